"""Deterministic serialisation (Turtle, N-Triples, JSON-LD, TriG) and atomic writes.

The same triples always give the same bytes: triples are inserted in sorted order, blank nodes
are relabelled canonically, and graphs of a TriG file are written in IRI order.

>>> from rdflib import Graph, Literal, URIRef
>>> graph = Graph()
>>> _ = graph.add((URIRef("urn:b"), URIRef("urn:p"), Literal(2)))
>>> _ = graph.add((URIRef("urn:a"), URIRef("urn:p"), Literal(1)))
>>> print(serialize_graph(graph, "nt"), end="")
<urn:a> <urn:p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .
<urn:b> <urn:p> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def canonical(graph: Graph) -> Graph:
    """A copy with canonical blank-node labels and triples inserted in sorted order."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(graph)
    ordered = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        ordered.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        ordered.add(triple)
    return ordered


def serialize_graph(graph: Graph, fmt: str, prefixes: Dataset | Graph | None = None) -> str:
    """One graph as Turtle, N-Triples or JSON-LD, the same bytes for the same triples."""
    ordered = canonical(graph)
    if prefixes is not None:
        for prefix, namespace in prefixes.namespace_manager.namespaces():
            ordered.bind(prefix, namespace, override=True, replace=True)
    if fmt == "nt":
        lines = ordered.serialize(format="nt").splitlines()
        return "".join(f"{line}\n" for line in sorted(filter(None, lines)))
    if fmt == "jsonld":
        return _sorted_jsonld(ordered.serialize(format="json-ld"))
    return ordered.serialize(format=FORMATS[fmt])


def _sorted_jsonld(text: str) -> str:
    """JSON-LD with nodes in ``@id`` order and every value list sorted."""
    nodes = json.loads(text)
    nodes = nodes if isinstance(nodes, list) else nodes.get("@graph", [nodes])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    nodes.sort(key=lambda node: node.get("@id", ""))
    return json.dumps(nodes, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def serialize_trig(dataset: Dataset, graph_names: Iterable[URIRef]) -> str:
    """Named graphs as TriG: one prefix block, then each graph in IRI order."""
    names = sorted(graph_names)
    head, bodies = [], []
    for name in names:
        text = serialize_graph(dataset.graph(name), "ttl", dataset)
        prefixes = [line for line in text.splitlines() if line.startswith("@prefix")]
        body = [line for line in text.splitlines() if not line.startswith("@prefix")]
        head += prefixes
        bodies.append(f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(set(head))) + "\n\n" + "\n".join(bodies)


def union(dataset: Dataset, graph_names: Iterable[URIRef]) -> Graph:
    """The triples of several named graphs as one graph, prefixes kept."""
    merged = Graph()
    for prefix, namespace in dataset.namespace_manager.namespaces():
        merged.bind(prefix, namespace, override=True, replace=True)
    for name in graph_names:
        for triple in dataset.graph(name):
            merged.add(triple)
    return merged


def nquads(dataset: Dataset) -> str:
    """Every quad of the dataset as sorted N-Quads lines."""
    from rdflib.plugins.serializers.nt import _nt_row

    lines = []
    for graph in dataset.graphs():
        if not isinstance(graph.identifier, URIRef) or not len(graph):
            continue
        suffix = f" {graph.identifier.n3()} .\n"
        lines += [_nt_row(triple)[:-3] + suffix for triple in graph]
    return "".join(sorted(lines))


def write_atomic(path: Path, text: str) -> None:
    """Write a file whole or not at all: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
