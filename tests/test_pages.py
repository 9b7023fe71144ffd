"""Pages of stored queries: page K is exactly rows (K-1)*N+1..K*N of the full ordered result,
locally and on a real Oxigraph server, by page keys and in the plain LIMIT/OFFSET form."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from notegraph.networks import participations
from notegraph.queries import QueryError, load_catalogue, read_query
from notegraph.sparql import LocalEngine, RemoteEngine

SAMPLE = {"topic": "national-action-plans", "from_year": "2014", "to_year": "2016", "role": "host"}
PAGED = sorted(name for name, query in load_catalogue().items() if query.pagination)


def n3_rows(rows: list[tuple]) -> list[tuple[str, ...]]:
    """Rows as N-Triples strings, in their order, to compare two engines."""
    return [tuple("" if term is None else term.n3() for term in row) for row in rows]


def small_pages(query, total: int):
    """The query with pages of a size that cuts its rows into three or more pages, the last
    one partial."""
    size = max(1, total // 3 - 1)
    while size > 1 and total % size == 0:
        size -= 1
    return dataclasses.replace(query, pagination=size)


def assert_pages_are_slices(engine, query, values: dict, reasoning: bool,
                            full: list[tuple]) -> None:
    size = query.pagination
    last = -(-len(full) // size)
    for number in sorted({1, 2, 3, last - 1, last, last + 1} - {0, -1}):
        result = engine.run(query, values, reasoning, page=number)
        expected = full[(number - 1) * size:number * size]
        assert n3_rows(result.rows) == n3_rows(expected), (query.name, number)
        assert result.page.number == number and result.page.rows == len(expected)
        if query.page_keys is not None:
            assert result.page.more is (number < last), (query.name, number)


@pytest.mark.parametrize("reasoning", [True, False])
@pytest.mark.parametrize("name", PAGED)
def test_pages_are_slices_of_the_full_result_locally(dev_store: Path, name: str,
                                                     reasoning: bool) -> None:
    engine = LocalEngine(dev_store)
    query = load_catalogue()[name]
    values = {p.name: SAMPLE[p.name] for p in query.params}
    full = engine.run(query, values, reasoning).rows
    assert len(full) >= 4, "the sample should give rows for several pages"
    assert_pages_are_slices(engine, small_pages(query, len(full)), values, reasoning, full)


@pytest.mark.parametrize("reasoning", [True, False])
@pytest.mark.parametrize("name", PAGED)
def test_pages_are_the_same_on_an_oxigraph_server(dev_store: Path, published, name: str,
                                                  reasoning: bool) -> None:
    endpoint, _output = published
    query = load_catalogue()[name]
    values = {p.name: SAMPLE[p.name] for p in query.params}
    full = LocalEngine(dev_store).run(query, values, reasoning).rows
    remote = RemoteEngine(endpoint)
    assert n3_rows(remote.run(query, values, reasoning).rows) == n3_rows(full)
    assert_pages_are_slices(remote, small_pages(query, len(full)), values, reasoning, full)


@pytest.fixture(scope="module")
def plain_query(tmp_path_factory: pytest.TempPathFactory):
    """event-topics paged the plain way: its header without the page keys."""
    text = (load_catalogue()["event-topics"].path.read_text(encoding="utf-8")
            .replace("#+ page-keys:", "#+ unused:"))
    path = tmp_path_factory.mktemp("queries") / "event-topics-plain.rq"
    path.write_text(text, encoding="utf-8")
    return read_query(path)


@pytest.mark.parametrize("reasoning", [True, False])
def test_plain_pages_append_limit_and_offset(dev_store: Path, published, plain_query,
                                             reasoning: bool) -> None:
    assert plain_query.page_keys is None
    full = LocalEngine(dev_store).run(plain_query, {}, reasoning).rows
    query = small_pages(plain_query, len(full))
    for engine in (LocalEngine(dev_store), RemoteEngine(published[0])):
        assert_pages_are_slices(engine, query, {}, reasoning, full)
    full_page = LocalEngine(dev_store).run(query, {}, reasoning, page=1).page
    assert full_page.more is None  # a full plain page cannot tell whether rows follow


def test_a_query_without_pagination_gives_every_row(dev_store: Path) -> None:
    query = load_catalogue()["people"]
    assert query.pagination is None
    result = LocalEngine(dev_store).run(query, {}, page=1)
    assert result.page is None and result.rows == LocalEngine(dev_store).run(query, {}).rows


def test_the_library_still_reads_every_edge(dev_store: Path) -> None:
    edges = LocalEngine(dev_store).run(load_catalogue()["participation-edges"], {}).rows
    assert len(edges) > load_catalogue()["participation-edges"].pagination
    assert len(participations(str(dev_store))) == len(edges)


@pytest.mark.parametrize(("header", "message"), [
    ("#+ pagination: 0\n", "a whole number of rows per page"),
    ("#+ pagination: many\n", "a whole number of rows per page"),
    ("#+ page-keys: SELECT ?event WHERE { ?event ?p ?o }\n", "needs a '#\\+ pagination: N'"),
    ("#+ pagination: 10\n#+ page-keys: SELECT ?topic WHERE { ?c ?p ?topic }\n",
     "must select the first variables of the query's final ORDER BY, here \\?event$"),
])
def test_bad_pagination_headers_are_named(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "bad.rq"
    path.write_text("#+ summary: Events and topics\n" + header
                    + "SELECT ?event ?topic WHERE { ?event ?p ?topic }\nORDER BY ?event ?topic\n",
                    encoding="utf-8")
    with pytest.raises(QueryError, match=message):
        read_query(path)


def _query(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "notegraph", "query", *args],
                          capture_output=True, text=True, check=False)


def test_cli_gives_page_one_and_says_how_to_go_on(dev_store: Path) -> None:
    total = len(LocalEngine(dev_store).run(load_catalogue()["participation-edges"], {}).rows)
    first = _query("participation-edges", "--store", str(dev_store), "--format", "csv")
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.splitlines()) == 1 + 100
    assert "rows 1-100 (page 1, 100 rows a page)" in first.stderr
    assert "--page 2" in first.stderr and "--all" in first.stderr
    last = -(-total // 100)
    end = _query("participation-edges", "--store", str(dev_store), "--page", str(last))
    assert f"rows {(last - 1) * 100 + 1}-{total} " in end.stdout and "the last page" in end.stdout
    assert f"--page {last + 1}" not in end.stdout
    every = _query("participation-edges", "--store", str(dev_store), "--format", "csv", "--all")
    assert len(every.stdout.splitlines()) == 1 + total and every.stderr == ""


def test_cli_refuses_page_zero(dev_store: Path) -> None:
    result = _query("events", "--store", str(dev_store), "--page", "0")
    assert result.returncode == 2 and "--page" in result.stderr


@pytest.fixture(scope="module")
def served(dev_store: Path):
    from oxigraph_server import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "notegraph", "serve", "--port", str(port),
                                "--store", str(dev_store)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/", timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    raise
                subprocess.run(["sleep", "0.1"], check=True)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _page(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")


def test_server_pages_stored_queries(served: str, dev_store: Path) -> None:
    total = len(LocalEngine(dev_store).run(load_catalogue()["participation-edges"], {}).rows)
    first = _page(f"{served}/run/participation-edges")
    assert "rows 1-100 (page 1, 100 rows a page)" in first
    assert first.count("<tr>") == 1 + 100
    assert 'href="/run/participation-edges?page=2"' in first
    second = _page(f"{served}/run/participation-edges?page=2")
    assert "rows 101-200" in second and 'href="/run/participation-edges?page=1"' in second
    every = _page(f"{served}/run/participation-edges?page=all")
    assert every.count("<tr>") == 1 + total and "rows a page" not in every
    hosts = _page(f"{served}/run/hosts-and-supporters?role=host&page=1")
    assert "the last page" in hosts and "page=2" not in hosts
    with pytest.raises(urllib.error.HTTPError) as error:
        _page(f"{served}/run/events?page=0")
    assert error.value.code == 400
    error.value.close()


def test_keys_sort_alike_as_oxigraph_and_as_rdflib_terms() -> None:
    from pyoxigraph import BlankNode, Literal, NamedNode

    from notegraph.ordering import order_key, oxigraph_order_key
    from notegraph.store import to_rdflib

    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [NamedNode("https://w3id.org/notegraph/id/event/2013-05-09-x"), BlankNode("b1"),
             Literal("Vienna"), Literal("Vienne", language="fr"),
             Literal("2013-05-09", datatype=NamedNode(f"{xsd}date")),
             Literal("2013-05-09T10:00:00", datatype=NamedNode(f"{xsd}dateTime")),
             Literal("10", datatype=NamedNode(f"{xsd}integer")),
             Literal("9.5", datatype=NamedNode(f"{xsd}decimal")),
             Literal("true", datatype=NamedNode(f"{xsd}boolean"))]
    for term in terms:
        assert oxigraph_order_key(term) == order_key({}, to_rdflib(term)), term
    assert oxigraph_order_key(None) == order_key({}, None)


@pytest.mark.parametrize("descending", [False, True])
def test_page_keys_come_sorted_and_once(dev_store: Path, descending: bool) -> None:
    text = ("SELECT ?event WHERE { ?event <https://w3id.org/notegraph/ontology#topic> ?t }")
    engine = LocalEngine(dev_store)
    keys = [row[0].value for row in engine.key_rows(text, True, (("event", descending),))]
    events = {str(row[0]) for row in engine.answer(text, True).rows}
    assert len(events) < len(engine.answer(text, True).rows)  # events repeat, one per topic
    assert keys == sorted(events, reverse=descending)
