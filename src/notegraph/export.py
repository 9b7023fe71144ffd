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
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

from notegraph.quads import TripleSet

FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


def canonical(graph) -> Graph:
    """A copy with canonical blank-node labels and triples inserted in sorted order."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(_as_graph(graph))
    ordered = Graph()
    for prefix, namespace in graph.namespace_manager.namespaces():
        ordered.bind(prefix, namespace, override=True, replace=True)
    for triple in sorted(graph):
        ordered.add(triple)
    return ordered


def serialize_graph(graph: Graph, fmt: str, prefixes: Dataset | Graph | None = None) -> str:
    """One graph as Turtle, N-Triples or JSON-LD, the same bytes for the same triples."""
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        graph = to_canonical_graph(_as_graph(graph))
    if fmt == "nt":
        from rdflib.plugins.serializers.nt import _nt_row

        return "".join(sorted(_nt_row(triple) for triple in graph))
    if fmt == "jsonld":
        ordered = canonical(graph)
        _bind(ordered, prefixes or graph)
        return _sorted_jsonld(ordered.serialize(format="json-ld"))
    namespaces = dict((prefixes or graph).namespace_manager.namespaces())
    return turtle(graph, namespaces)


def _as_graph(triples) -> Graph:
    if isinstance(triples, Graph):
        return triples
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def _bind(graph: Graph, source) -> None:
    for prefix, namespace in source.namespace_manager.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)


LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def turtle(triples, namespaces: dict[str, URIRef]) -> str:
    """Deterministic Turtle: prefixes used, subjects in order, predicates and objects sorted.

    >>> from rdflib import Literal, Namespace
    >>> ex = Namespace("http://example.org/")
    >>> print(turtle([(ex.b, ex.p, Literal(2)), (ex.a, ex.p, ex.b), (ex.a, ex.p, Literal("x"))],
    ...              {"ex": ex}), end="")
    @prefix ex: <http://example.org/> .
    <BLANKLINE>
    ex:a ex:p "x",
            ex:b .
    <BLANKLINE>
    ex:b ex:p "2"^^<http://www.w3.org/2001/XMLSchema#integer> .
    """
    ordered = sorted((str(ns), prefix) for prefix, ns in namespaces.items() if prefix)
    by_length = sorted(ordered, key=lambda item: -len(item[0]))
    used: set[str] = set()
    rows: dict[tuple[int, str], dict[str, list[str]]] = {}
    for subject, predicate, obj in triples:
        key = (isinstance(subject, BNode), str(subject))
        predicates = rows.setdefault(key, {})
        label = "a" if str(predicate) == RDF_TYPE else _name(predicate, by_length, used)
        predicates.setdefault(label, []).append(_value(obj, by_length, used))
    blocks = []
    for (is_blank, subject), predicates in sorted(rows.items()):
        head = f"_:{subject}" if is_blank else _name(URIRef(subject), by_length, used)
        parts = []
        for label in sorted(predicates, key=lambda p: (p != "a", p)):
            values = ",\n        ".join(sorted(set(predicates[label])))
            parts.append(f"{label} {values}")
        blocks.append(f"{head} " + " ;\n    ".join(parts) + " .\n")
    header = "".join(f"@prefix {prefix}: <{ns}> .\n" for ns, prefix in
                     sorted(ordered, key=lambda item: item[1]) if prefix in used)
    return header + "\n" + "\n".join(blocks)


def _name(term: URIRef, prefixes: list[tuple[str, str]], used: set[str]) -> str:
    text = str(term)
    for namespace, prefix in prefixes:
        if text.startswith(namespace) and LOCAL_NAME.fullmatch(text[len(namespace):]):
            used.add(prefix)
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def _value(term, prefixes: list[tuple[str, str]], used: set[str]) -> str:
    from rdflib.plugins.serializers.nt import _quoteLiteral

    if isinstance(term, URIRef):
        return _name(term, prefixes, used)
    if isinstance(term, BNode):
        return f"_:{term}"
    return _quoteLiteral(term)


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


def union(dataset, graph_names: Iterable[URIRef]) -> TripleSet:
    """The triples of several named graphs as one set of triples, prefixes kept."""
    merged = TripleSet()
    for prefix, namespace in dataset.namespace_manager.namespaces():
        merged.bind(prefix, namespace)
    for name in graph_names:
        merged.update(dataset.graph(name))
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
