"""The same stored queries against a real Oxigraph server filled by 'notegraph publish', and the
'notegraph serve' endpoint answering SPARQLWrapper and curl."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from notegraph.queries import ParameterError, load_catalogue
from notegraph.sparql import EndpointError, LocalEngine, RemoteEngine

from oxigraph_server import free_port

SAMPLE = {"state": "Serbia", "other": "Montenegro",
          "event": "2013-05-09-belgrade-regional-workshop",
          "actor": "https://w3id.org/notegraph/id/state/SRB", "topic": "biosecurity",
          "from_year": "2014", "to_year": "2016", "kind": "un-body", "role": "host",
          "mode": "remote"}
HOSTILE = ['x" } UNION { ?s ?p ?o } #', "back\\slash", "brace}{", "new\nline", "<urn:evil>",
           "Côte d'Ivoire", "Türkiye"]


def test_publish_reports_every_graph(published) -> None:
    _endpoint, output = published
    assert "graph/inferred" in output and "graph/gazetteer" in output
    assert "MISMATCH" not in output


@pytest.mark.parametrize("name", sorted(load_catalogue()))
@pytest.mark.parametrize("reasoning", [True, False])
def test_same_rows_locally_and_remotely(dev_store: Path, published, name: str,
                                        reasoning: bool) -> None:
    endpoint, _output = published
    query = load_catalogue()[name]
    values = {p.name: SAMPLE[p.name] for p in query.params}
    local = LocalEngine(dev_store).run(query, values, reasoning).comparable()
    remote = RemoteEngine(endpoint).run(query, values, reasoning).comparable()
    assert local == remote
    if name not in ("unresolved-names", "national-agencies"):
        assert local, "the sample parameters should give rows"


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_remotely(dev_store: Path, published, value: str) -> None:
    endpoint, _output = published
    query = load_catalogue()["hosts-and-supporters"]
    remote = RemoteEngine(endpoint).run(query, {"role": value})
    local = LocalEngine(dev_store).run(query, {"role": value})
    assert remote.rows == [] and local.rows == []


@pytest.mark.parametrize("value", ["Côte d'Ivoire", "Türkiye"])
def test_unicode_state_names_remotely(dev_store: Path, published, value: str) -> None:
    endpoint, _output = published
    query = load_catalogue()["state-events"]
    remote = RemoteEngine(endpoint).run(query, {"state": value}).comparable()
    assert remote == LocalEngine(dev_store).run(query, {"state": value}).comparable()
    assert remote


def test_hostile_state_is_refused_before_sending() -> None:
    with pytest.raises(ParameterError):
        RemoteEngine("http://127.0.0.1:9/query").run(load_catalogue()["state-events"],
                                                     {"state": 'x" } UNION {'})


def test_unreachable_endpoint_is_exit_code_3() -> None:
    port = free_port()
    result = subprocess.run([sys.executable, "-m", "notegraph", "query", "events", "--endpoint",
                             f"http://127.0.0.1:{port}/query", "--timeout", "5"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 3
    assert result.stderr.startswith("error: http://127.0.0.1:")
    assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(EndpointError):
        RemoteEngine(f"http://127.0.0.1:{port}/query", timeout=5).graph_names()


@pytest.fixture(scope="module")
def served(dev_store: Path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "notegraph", "serve", "--port", str(port),
                                "--store", str(dev_store), "--cors", "--max-rows", "50"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{base}/", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_serve_answers_sparqlwrapper(served: str, dev_store: Path) -> None:
    query = load_catalogue()["state-events"]
    remote = RemoteEngine(f"{served}/sparql").run(query, {"state": "Germany"}).comparable()
    assert remote == LocalEngine(dev_store).run(query, {"state": "Germany"}).comparable()
    assert len(remote) == 5


class _Reply:
    def __init__(self, raw: bytes) -> None:
        self.stdout = raw.decode("utf-8")


def _curl(*args: str) -> _Reply:
    """curl as a separate process; headers kept (-i) and CRLF line ends untouched."""
    assert shutil.which("curl"), "curl is needed for this test"
    result = subprocess.run(["curl", "-s", "-i", *args], capture_output=True, check=True)
    return _Reply(result.stdout)


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/notegraph/ontology#Event> }"


def test_serve_json_csv_xml_by_accept_with_curl(served: str) -> None:
    url = f"{served}/sparql?query={urllib.parse.quote(COUNT)}"
    json_reply = _curl("-H", "Accept: application/sparql-results+json", url).stdout
    body = json.loads(json_reply.split("\r\n\r\n", 1)[1])
    events = int(body["results"]["bindings"][0]["n"]["value"])
    assert events >= 10
    csv_reply = _curl("-H", "Accept: text/csv", url).stdout
    assert "Content-Type: text/csv" in csv_reply and f"n\r\n{events}\r\n" in csv_reply
    xml_reply = _curl("-H", "Accept: application/sparql-results+xml", url).stdout
    assert "<sparql xmlns" in xml_reply and f">{events}</literal>" in xml_reply
    assert "Access-Control-Allow-Origin: *" in json_reply


def test_serve_construct_as_turtle_with_post(served: str) -> None:
    query = ("CONSTRUCT { ?e a <https://w3id.org/notegraph/ontology#Event> } WHERE { "
             "?e a <https://w3id.org/notegraph/ontology#Event> }")
    reply = _curl("-X", "POST", "-H", "Content-Type: application/sparql-query", "-H",
                  "Accept: text/turtle", "--data-binary", query, f"{served}/sparql").stdout
    head, body = reply.split("\r\n\r\n", 1)
    assert "Content-Type: text/turtle" in head
    assert len(Graph().parse(data=body, format="turtle")) >= 10


def test_serve_is_read_only_and_caps_results(served: str) -> None:
    update = urllib.parse.urlencode({"update": "CLEAR ALL"})
    reply = _curl("-X", "POST", "-H", "Content-Type: application/x-www-form-urlencoded",
                  "--data", update, f"{served}/sparql").stdout
    assert reply.startswith("HTTP/1.0 403") or reply.startswith("HTTP/1.1 403")
    many = urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }")
    capped = _curl(f"{served}/sparql?query={many}").stdout
    assert "X-Notegraph-Truncated: true" in capped
    assert len(json.loads(capped.split("\r\n\r\n", 1)[1])["results"]["bindings"]) == 50


def test_serve_lists_stored_queries_with_runnable_links(served: str) -> None:
    with urllib.request.urlopen(f"{served}/") as response:
        page = response.read().decode("utf-8")
    for name in load_catalogue():
        assert f'href="/run/{name}"' in page
    with urllib.request.urlopen(f"{served}/run/state-events?state=Germany") as response:
        assert "Third Wiesbaden Conference" in response.read().decode("utf-8")
