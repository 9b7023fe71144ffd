"""Running stored queries on the embedded store or on any SPARQL 1.1 endpoint, same results.

Parameters are checked, turned into RDF terms and written as an escaped ``VALUES`` block at the
start of the WHERE clause, for Oxigraph locally and for SPARQLWrapper remotely (Oxigraph's
substitutions bind the same terms but its optimiser does not see them, so a query bound that way
scans every event before keeping one). With reasoning on, the default graph is the union of
the asserted and the inferred triples (``store.query_options``); with it off, the asserted
triples alone; the ontology is in its own graph either way. Remotely, the graphs are named: the
ontology's is left out, and with reasoning off the inferred graphs too (and the derived counts
of what reasoning adds, ``store.is_reasoning_graph``). Locally, a final ``ORDER BY``
over plain variables is applied to the converted rows (``ordered``), in SPARQL's order. A query
with a ``#+ pagination`` header is cut into pages when a page is asked for (``notegraph.pages``);
without one, every row comes back.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef

from notegraph.build import GRAPH_ONTOLOGY
from notegraph.errors import NotegraphError
from notegraph.ordering import ordered, oxigraph_order_key, sorted_distinct
from notegraph.pages import Page, cut_page
from notegraph.queries import StoredQuery, bind_parameters, split_order, with_values
from notegraph.store import is_reasoning_graph, open_database, query_options, to_rdflib

DEFAULT_TIMEOUT = 30


class EndpointError(NotegraphError):
    """A remote SPARQL endpoint that cannot be reached or that fails (exit code 3)."""


@dataclass
class QueryResult:
    """Rows of a SELECT (rdflib terms, ``None`` when unbound) or the graph of a CONSTRUCT."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    graph: Graph | None = None
    page: Page | None = None

    def to_dataframe(self):
        """The rows as a pandas DataFrame of Python values (IRIs and literals as strings,
        numbers as numbers)."""
        import pandas as pd

        if self.kind == "CONSTRUCT":
            rows = [tuple(map(python_value, triple)) for triple in sorted(self.graph)]
            return pd.DataFrame(rows, columns=["subject", "predicate", "object"])
        return pd.DataFrame([tuple(map(python_value, row)) for row in self.rows],
                            columns=self.variables)

    def comparable(self) -> list[tuple[str, ...]]:
        """Rows as sorted tuples of N-Triples strings, for comparing two engines."""
        if self.kind == "CONSTRUCT":
            return sorted(tuple(term.n3() for term in triple) for triple in self.graph)
        return sorted(tuple("" if t is None else t.n3() for t in row) for row in self.rows)


def python_value(term: Any) -> Any:
    """An rdflib term as a plain Python value."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if isinstance(value, (int, float, bool)) else str(term)
    return str(term)


class LocalEngine:
    """Queries over the embedded Oxigraph store written by ``notegraph build``."""

    def __init__(self, store: Path) -> None:
        self.store = open_database(Path(store))

    @classmethod
    def over(cls, store) -> LocalEngine:
        """An engine over an already open Oxigraph database of a store."""
        engine = cls.__new__(cls)
        engine.store = store
        return engine

    def run(self, query: StoredQuery, values: dict[str, str] | None = None,
            reasoning: bool = True, page: int | None = None) -> QueryResult:
        """Run a stored query with its parameters checked and bound: every row, or only page
        ``page`` (counted from 1) of a query with a ``#+ pagination`` header."""
        bindings = bind_parameters(query, values or {})
        text = _without_comments(query.text)
        if page is not None and query.pagination and query.kind == "SELECT":
            return cut_page(self, query, text, bindings, page, reasoning)
        return self.answer(with_values(text, bindings), reasoning)

    def answer(self, text: str, reasoning: bool) -> QueryResult:
        """The result of a query text, in the order of its final ``ORDER BY``."""
        unordered, order = split_order(text)
        result = self._query(unordered, reasoning)
        if not order:
            return result
        if not {name for name, _ in order} <= set(result.variables):
            return self._query(text, reasoning)  # ordered by a variable it does not return
        result.rows = ordered(result.variables, result.rows, order)
        return result

    def key_rows(self, text: str, reasoning: bool,
                 order: tuple[tuple[str, bool], ...]) -> list[tuple]:
        """The distinct rows of a SELECT as Oxigraph terms, sorted by ``order``: keys of pages,
        thousands of them, of which a page converts only the few it uses (``as_term``)."""
        solutions = self.store.query(split_order(text)[0], **query_options(reasoning))
        variables = [v.value for v in solutions.variables]
        columns = [(variables.index(name), descending) for name, descending in order]
        return sorted_distinct(map(tuple, solutions), columns, oxigraph_order_key)

    @staticmethod
    def as_term(term):
        """An Oxigraph term of ``key_rows`` as an rdflib term."""
        return None if term is None else to_rdflib(term)

    def _query(self, text: str, reasoning: bool) -> QueryResult:
        return _local_result(self.store.query(text, **query_options(reasoning)))


def _local_result(result) -> QueryResult:
    from pyoxigraph import QuerySolutions, QueryTriples

    terms = _Terms()
    if isinstance(result, QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [tuple(map(terms.__getitem__, solution)) for solution in result]
        return QueryResult("SELECT", variables, rows)
    if isinstance(result, QueryTriples):
        graph = Graph()
        for triple in result:
            graph.add(tuple(map(terms.__getitem__, triple)))
        return QueryResult("CONSTRUCT", graph=graph)
    return QueryResult("ASK", ["answer"], [(Literal(bool(result)),)])


class _Terms(dict):
    """Oxigraph terms of one result as rdflib terms, each converted once (results repeat the same
    events, actors and labels on many rows); ``None`` (unbound) stays ``None``."""

    def __init__(self) -> None:
        super().__init__({None: None})

    def __missing__(self, term):
        converted = self[term] = to_rdflib(term)
        return converted


class RemoteEngine:
    """Queries over a SPARQL 1.1 endpoint through SPARQLWrapper."""

    def __init__(self, endpoint: str, timeout: int = DEFAULT_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._graphs: list[str] | None = None

    def run(self, query: StoredQuery, values: dict[str, str] | None = None,
            reasoning: bool = True, page: int | None = None) -> QueryResult:
        """Run a stored query remotely, parameters in a VALUES block: every row, or only page
        ``page`` of a query with a ``#+ pagination`` header, cut as locally."""
        bindings = bind_parameters(query, values or {})
        text = _without_comments(query.text)
        if page is not None and query.pagination and query.kind == "SELECT":
            return cut_page(self, query, text, bindings, page, reasoning)
        if query.kind == "CONSTRUCT":
            return QueryResult("CONSTRUCT", graph=self._construct(with_values(text, bindings),
                                                                  self._graphs_for(reasoning)))
        return self.answer(with_values(text, bindings), reasoning)

    def answer(self, text: str, reasoning: bool) -> QueryResult:
        """The rows of a SELECT text, in the endpoint's order."""
        return self._select(text, self._graphs_for(reasoning))

    def key_rows(self, text: str, reasoning: bool,
                 order: tuple[tuple[str, bool], ...]) -> list[tuple]:
        """The distinct rows of a SELECT, sorted here by ``order`` as the local engine sorts."""
        result = self.answer(split_order(text)[0], reasoning)
        return ordered(result.variables, list(dict.fromkeys(result.rows)), order)

    @staticmethod
    def as_term(term):
        """A term of ``key_rows`` as an rdflib term (it is one already)."""
        return term

    def _graphs_for(self, reasoning: bool) -> list[str]:
        graphs = [g for g in self.graph_names() if g != str(GRAPH_ONTOLOGY)]
        if reasoning:
            return graphs
        return [g for g in graphs if not is_reasoning_graph(g)]

    def count(self, graph: str) -> int:
        """The number of triples in one named graph of the endpoint."""
        from notegraph.queries import sparql_term

        name = sparql_term(URIRef(graph))
        text = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}"
        data = self._request(text, [], "json")
        return int(data["results"]["bindings"][0]["n"]["value"])

    def graph_names(self) -> list[str]:
        """The endpoint's named graphs (asked once), in one row: an endpoint may cap the rows
        of a result below the number of graphs (IRIs hold no spaces)."""
        if self._graphs is None:
            text = ('SELECT (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?names) '
                    "WHERE { GRAPH ?g { } }")
            data = self._request(text, [], "json")
            names = data["results"]["bindings"][0].get("names", {}).get("value", "")
            self._graphs = sorted(names.split())
        return self._graphs

    def _select(self, text: str, graphs: list[str]) -> QueryResult:
        data = self._request(text, graphs, "json")
        variables = data["head"]["vars"]
        rows = [tuple(_from_json(binding.get(v)) for v in variables)
                for binding in data["results"]["bindings"]]
        return QueryResult("SELECT", variables, rows)

    def _construct(self, text: str, graphs: list[str]) -> Graph:
        data = self._request(text, graphs, "turtle")
        return Graph().parse(data=data, format="turtle")

    def _request(self, text: str, graphs: list[str], fmt: str) -> Any:
        from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setTimeout(self.timeout)
        client.setQuery(text)
        for graph in graphs:
            client.addDefaultGraph(graph)
        client.setReturnFormat(JSON if fmt == "json" else TURTLE)
        try:
            response = client.query()
            return response.convert() if fmt == "json" else response.response.read()
        except Exception as exc:  # SPARQLWrapper raises URLError, socket errors, its own
            raise EndpointError(f"{self.endpoint}: {_reason(exc)}") from exc


def _without_comments(text: str) -> str:
    """The query without its comment lines (the #+ header), which some clients misread."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "reason", "") or exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:300]


def _from_json(value: dict | None) -> Any:
    if value is None:
        return None
    if value["type"] == "uri":
        return URIRef(value["value"])
    if value["type"] == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    if "datatype" in value and not value["datatype"].endswith("#string"):
        return Literal(value["value"], datatype=URIRef(value["datatype"]))
    return Literal(value["value"])


def render(result: QueryResult, fmt: str) -> str:
    """A result as a text table, CSV, JSON (a list of objects) or Turtle."""
    if fmt == "ttl" or result.kind == "CONSTRUCT":
        from notegraph.build import PREFIXES
        from notegraph.export import serialize_graph

        graph = result.graph if result.graph is not None else Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return serialize_graph(graph, "ttl")
    rows = [tuple(map(python_value, row)) for row in result.rows]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows(["" if v is None else v for v in row] for row in rows)
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(result.variables, row, strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return _table(result.variables, rows)


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[str(c) for c in columns]] + [["" if v is None else _short(v) for v in row]
                                           for row in rows]
    widths = [min(max(len(row[i]) for row in cells), 60) for i in range(len(columns))]
    lines = ["  ".join(cell[:60].ljust(width) for cell, width in zip(row, widths, strict=True))
             .rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * width for width in widths))
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    text = str(value)
    return text.removeprefix("https://w3id.org/notegraph/id/")


def run_stored(name: str, values: dict[str, str] | None = None, store: str | Path = "out/store",
               endpoint: str | None = None, reasoning: bool = True,
               timeout: int = DEFAULT_TIMEOUT, page: int | None = None) -> QueryResult:
    """Run the stored query ``name`` locally (the store) or remotely (``endpoint``): every row,
    or only page ``page`` when the query is paged (``#+ pagination``)."""
    from notegraph.queries import QueryError, load_catalogue

    catalogue = load_catalogue()
    if name not in catalogue:
        raise QueryError(f"no stored query named {name!r}; 'notegraph queries' lists them")
    engine = RemoteEngine(endpoint, timeout) if endpoint else LocalEngine(Path(store))
    return engine.run(catalogue[name], values or {}, reasoning, page)


def query_frame(name: str, store: str | Path = "out/store", endpoint: str | None = None,
                reasoning: bool = True, **values: str):
    """A stored query's result as a pandas DataFrame.

    >>> # frame = query_frame("state-pairs", from_year="2014")
    """
    return run_stored(name, values, store, endpoint, reasoning).to_dataframe()
