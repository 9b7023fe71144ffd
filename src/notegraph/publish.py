"""Upload the built graph into an existing triple store over the SPARQL 1.1 Graph Store Protocol.

Each named graph is replaced with a ``PUT`` of its N-Triples; afterwards the triple count of every
graph is read back with a SPARQL query and compared.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from notegraph.export import serialize_graph
from notegraph.sparql import EndpointError, RemoteEngine
from notegraph.store import read_store


@dataclass
class PublishReport:
    """Graphs uploaded with their triple counts, and any count that did not match."""

    graphs: dict[str, int] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        rows = [f"{count:8d}  {name}" for name, count in sorted(self.graphs.items())]
        rows.append(f"{sum(self.graphs.values())} triples in {len(self.graphs)} graphs")
        rows += [f"MISMATCH {text}" for text in self.mismatches]
        return rows


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL next to a query endpoint (``.../query`` → ``.../store``).

    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    for suffix in ("/query", "/sparql"):
        if endpoint.rstrip("/").endswith(suffix):
            return endpoint.rstrip("/")[: -len(suffix)] + "/store"
    return endpoint.rstrip("/") + "/store"


def publish(store: Path, endpoint: str, graph_store: str | None = None,
            timeout: int = 60) -> PublishReport:
    """Upload every named graph of the store and verify the counts."""
    dataset = read_store(store)
    target = graph_store or graph_store_url(endpoint)
    report = PublishReport()
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not len(graph) or str(graph.identifier).startswith("urn:x-rdflib:"):
            continue
        _put(target, str(graph.identifier), serialize_graph(graph, "nt"), timeout)
        report.graphs[str(graph.identifier)] = len(graph)
    remote = RemoteEngine(endpoint, timeout)
    for name, expected in report.graphs.items():
        found = remote.count(name)
        if found != expected:
            report.mismatches.append(f"{name}: uploaded {expected}, the endpoint has {found}")
    return report


def _put(graph_store: str, graph: str, ntriples: str, timeout: int) -> None:
    url = f"{graph_store}?graph={urllib.parse.quote(graph, safe='')}"
    request = urllib.request.Request(url, data=ntriples.encode("utf-8"), method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"{graph_store}: upload of {graph} failed ({reason})") from exc
