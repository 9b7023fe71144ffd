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

import contextlib
import itertools
import json
import os
import re
from collections.abc import Iterable, Iterator
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
    if _has_blank_nodes(graph):
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


def _has_blank_nodes(triples) -> bool:
    return any(type(s) is BNode or type(o) is BNode for s, _p, o in triples)


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
    render = _Renderer(namespaces)
    rows: dict[tuple[bool, str], dict[str, list[str]]] = {}
    for subject, predicate, obj in triples:
        key = (isinstance(subject, BNode), str(subject))
        predicates = rows.get(key)
        if predicates is None:
            predicates = rows[key] = {}
        label = render.predicate(predicate)
        values = predicates.get(label)
        if values is None:
            values = predicates[label] = []
        values.append(render.value(obj))
    blocks = []
    for (is_blank, subject), predicates in sorted(rows.items()):
        head = f"_:{subject}" if is_blank else render.value(URIRef(subject))
        parts = []
        for label in sorted(predicates, key=lambda p: (p != "a", p)):
            values = ",\n        ".join(sorted(set(predicates[label])))
            parts.append(f"{label} {values}")
        blocks.append(f"{head} " + " ;\n    ".join(parts) + " .\n")
    return render.header() + "\n" + "\n".join(blocks)


class _Renderer:
    """Terms as Turtle text, prefixed where possible, remembered once rendered."""

    def __init__(self, namespaces: dict[str, URIRef]) -> None:
        pairs = sorted((str(ns), prefix) for prefix, ns in namespaces.items() if prefix)
        self.by_length = sorted(pairs, key=lambda item: -len(item[0]))
        self.used: set[str] = set()
        self.cache: dict[object, str] = {}

    def predicate(self, term: URIRef) -> str:
        return "a" if str(term) == RDF_TYPE else self.value(term)

    def value(self, term) -> str:
        found = self.cache.get(term)
        if found is None:
            found = self.cache[term] = self._render(term)
        return found

    def _render(self, term) -> str:
        from rdflib.plugins.serializers.nt import _quoteLiteral

        if isinstance(term, URIRef):
            text = str(term)
            for namespace, prefix in self.by_length:
                if text.startswith(namespace) and LOCAL_NAME.fullmatch(text[len(namespace):]):
                    self.used.add(prefix)
                    return f"{prefix}:{text[len(namespace):]}"
            return f"<{text}>"
        if isinstance(term, BNode):
            return f"_:{term}"
        return _quoteLiteral(term)

    def header(self) -> str:
        return "".join(f"@prefix {prefix}: <{ns}> .\n" for ns, prefix in
                       sorted(self.by_length, key=lambda item: item[1]) if prefix in self.used)


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


def nquads(dataset, union_default: bool = False) -> str:
    """Every quad of the dataset as sorted N-Quads lines; with ``union_default``, the union of
    all named graphs is written into the default graph too."""
    from rdflib.plugins.serializers.nt import _nt_row

    lines, union_lines = [], set()
    for graph in dataset.graphs():
        if not isinstance(graph.identifier, URIRef) or not len(graph):
            continue
        suffix = f" {graph.identifier.n3()} .\n"
        for triple in graph:
            row = _nt_row(triple)
            lines.append(row[:-3] + suffix)
            if union_default:
                union_lines.add(row)
    return "".join(sorted(lines)) + "".join(sorted(union_lines))


@contextlib.contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; renamed over ``path`` when the block ends
    without error, removed otherwise, so a file is written whole or not at all. The name is
    this process's own (its id and a number), so the file is made as any other, with the
    permissions the umask gives, and a build writing thousands of files pays for no more.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_target(folder / "a.txt") as temporary:
    ...     _ = temporary.write_text("whole")
    >>> (folder / "a.txt").read_text(), sorted(p.name for p in folder.iterdir())
    ('whole', ['a.txt'])
    """
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{next(_TEMPORARY_NUMBERS)}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_TEMPORARY_NUMBERS = itertools.count()


def write_atomic(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Write text (UTF-8, LF line ends), bytes, or text given in parts, whole or not at all."""
    with atomic_target(path) as temporary:
        if isinstance(data, bytes):
            temporary.write_bytes(data)
        else:
            with temporary.open("w", encoding="utf-8", newline="\n") as stream:
                stream.writelines([data] if isinstance(data, str) else data)
