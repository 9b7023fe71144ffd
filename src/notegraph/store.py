"""The embedded store: a folder with an Oxigraph database and the graphs it was made from.

- ``oxigraph/``: the database queries read. Its default graph is the union of every asserted
  graph (the notes', the gazetteer, the topics, the derived counts); ``graph/inferred`` holds
  what the reasoning graphs add to it, ``graph/ontology`` the ontology and ``graph/build`` the
  store's generation, new at every change. Queries with reasoning read the default graph, the
  inferred graph and the ontology as one (``query_options``), without it the default graph
  alone. The graphs themselves are not in the database: a named graph costs Oxigraph twice the
  indexes of the default graph, and ten thousand of them made every build three times slower.
- ``graphs/``: each graph's own text (``notegraph.graphtexts``), read by the exports,
  ``read_store`` and updates; with the count of the triples more than one graph holds
  (``notegraph.holders``).

``sync_store`` brings a store to a wanted set of graphs, each with a key that changes when its
content does. A few changed graphs are replaced in one SPARQL update, which Oxigraph applies in
one transaction; many are bulk-loaded into a new store that is then swapped in. The empty named
graph ``graph/asserted`` stands for the default graph, so that a client listing the graphs of
``notegraph serve`` can name it.
"""

from __future__ import annotations

import functools
import gc
import shutil
import sys
import tempfile
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef

from notegraph.build import GRAPH_BUILD as BUILD_GRAPH
from notegraph.build import GRAPH_DERIVED as DERIVED_GRAPH
from notegraph.build import GRAPH_INFERRED as INFERRED_GRAPH
from notegraph.build import GRAPH_ONTOLOGY as ONTOLOGY_GRAPH
from notegraph.build import ID
from notegraph.errors import NotegraphError
from notegraph.graphtexts import (
    Index,
    PackWriter,
    iter_texts,
    read_index,
    read_texts,
    unused_packs,
    write_index,
)
from notegraph.holders import ASSERTED, INFERRED, HolderCount, lines, moves_of, parsed

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_BUILD, GRAPH_INFERRED = str(BUILD_GRAPH), str(INFERRED_GRAPH)  # as plain IRI strings
GRAPH_ONTOLOGY, GRAPH_ASSERTED = str(ONTOLOGY_GRAPH), str(ID["graph/asserted"])
ONTOLOGY = "ontology"  # the layer of the ontology graph
STORE, GENERATION = "urn:notegraph:store", "urn:notegraph:generation"  # new at every change
DATABASE, GRAPHS = "oxigraph", "graphs"  # the two parts of a store folder
LOAD_CHUNK = 500_000  # lines per pack: Oxigraph's loader holds what it is given
LOAD_THREADS = 2  # bulk loads at once: each parses on one thread, so two load ~1.7x faster
REBUILD_SHARE, REBUILD_MIN = 0.2, 50  # above this share (and number) of graphs changed, a new
# store is bulk-loaded rather than updated in place

Wanted = dict[str, tuple[str, Callable[[], str]]]  # graph IRI → (key, its N-Triples text)


def is_inferred_graph(name: str) -> bool:
    """The inferred graph, or one note's part of it."""
    return name == GRAPH_INFERRED or name.startswith(GRAPH_INFERRED + "/")


def is_reasoning_graph(name: str) -> bool:
    """A graph that queries without reasoning leave out: the inferred graphs, and the derived
    counts of what reasoning adds (``graph/derived/inferred/``, see ``notegraph.pairs``).

    >>> is_reasoning_graph(f"{DERIVED_GRAPH}/inferred/pairs/2012-2015/SRB")
    True
    >>> is_reasoning_graph(f"{DERIVED_GRAPH}/pairs/2012-2015/SRB")
    False
    """
    return is_inferred_graph(name) or name.startswith(f"{DERIVED_GRAPH}/inferred/")


def is_derived_graph(name: str) -> bool:
    """The graph of counts the build derives (``notegraph.derived``), kept apart from the facts
    in the exports."""
    return name == str(DERIVED_GRAPH) or name.startswith(f"{DERIVED_GRAPH}/")


def layer_of(graph: str) -> str:
    """Where a graph's triples go in the database: the asserted union (the default graph),
    the inferred graph, or the ontology."""
    if graph == GRAPH_ONTOLOGY:
        return ONTOLOGY
    return INFERRED if is_reasoning_graph(graph) else ASSERTED


class StoreError(NotegraphError):
    """The embedded store is missing or unreadable: run ``notegraph build`` first."""


def open_database(path: Path, read_only: bool = True):
    """The Oxigraph database of a store folder."""
    from pyoxigraph import Store

    database = Path(path) / DATABASE
    if not database.is_dir():
        if (Path(path) / "CURRENT").is_file():
            raise StoreError(f"{path}: a store written by an earlier notegraph; run "
                             "'notegraph build' again")
        raise StoreError(f"{path}: no notegraph store here; run 'notegraph build' first")
    return Store.read_only(str(database)) if read_only else Store(str(database))


def query_options(reasoning: bool) -> dict:
    """Oxigraph's query options for the store's graphs with reasoning or without."""
    from pyoxigraph import DefaultGraph, NamedNode

    if not reasoning:
        return {}
    return {"default_graph": [DefaultGraph(), NamedNode(GRAPH_INFERRED)]}


def dataset_graphs(names: list[str]) -> list:
    """Graph names a client gives (``default-graph-uri``) as Oxigraph graphs:
    ``graph/asserted`` is the default graph."""
    from pyoxigraph import DefaultGraph, NamedNode

    return [DefaultGraph() if name == GRAPH_ASSERTED else NamedNode(name) for name in names]


def sync_store(path: Path, wanted: Wanted) -> str:
    """Make the store hold exactly the wanted graphs; say what was done.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "store"
    >>> one = {"urn:g1": ("k1", lambda: "<urn:s> <urn:p> <urn:o> .\\n")}
    >>> sync_store(folder, one)
    'new store: 1 graphs'
    >>> sync_store(folder, one | {"urn:g2": ("k2", lambda: "<urn:s> <urn:p> <urn:o2> .\\n")})
    'updated: 1 graphs replaced, 0 removed'
    >>> sync_store(folder, one | {"urn:g2": ("k2", lambda: "<urn:s> <urn:p> <urn:o2> .\\n")})
    'unchanged'
    """
    index = current_index(path)
    if index is None:
        _rebuild(path, wanted)
        return f"new store: {len(wanted)} graphs"
    changed = sorted(g for g, (key, _text) in wanted.items()
                     if g not in index.graphs or index.graphs[g].key != key)
    removed = sorted(set(index.graphs) - set(wanted))
    if not changed and not removed:
        return "unchanged"
    counts = f"{len(changed)} graphs replaced, {len(removed)} removed"
    few = len(changed) + len(removed) <= max(REBUILD_MIN, REBUILD_SHARE * len(wanted))
    if few and _update(path, index, wanted, changed, removed) is not None:
        return f"updated: {counts}"
    _rebuild(path, wanted)
    return f"rebuilt: {counts}"


def current_index(path: Path) -> Index | None:
    """The index of the store's graphs, when it is of the database's generation."""
    index = read_index(path / GRAPHS)
    if index is None or not (path / DATABASE).is_dir():
        return None
    return index if index.generation == store_generation(path) else None


def store_generation(path: Path) -> str | None:
    """The store's generation: a new value at every change ``sync_store`` makes."""
    from pyoxigraph import NamedNode

    database = open_database(path)
    found = next(iter(database.quads_for_pattern(NamedNode(STORE), NamedNode(GENERATION), None,
                                                 NamedNode(GRAPH_BUILD))), None)
    return None if found is None else found.object.value


def _generation_triple(generation: str) -> str:
    """The store's generation as one triple of the build graph (in SPARQL)."""
    return f"<{STORE}> <{GENERATION}> {_literal(generation)}"


def _rebuild(path: Path, wanted: Wanted) -> str:
    """A new store from every wanted graph, built aside and then swapped in; its generation."""
    from pyoxigraph import Store

    generation = uuid.uuid4().hex
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    database = None
    try:
        (staging / GRAPHS).mkdir()
        database = Store(str(staging / DATABASE))
        index = _load_graphs(database, staging / GRAPHS, wanted, generation)
        database.optimize()  # one compaction: queries over a fresh load run about twice as fast
        database.flush()
        database = None  # closed, before its folder moves
        write_index(staging / GRAPHS, index)
        _swap(staging, path)
    except BaseException as error:
        database = None  # the database is closed before its folder is removed: the frames of
        traceback.clear_frames(error.__traceback__)  # the failed load and the loaders' futures
        gc.collect()  # (a cycle through the exception) hold it open too
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return generation


def _swap(staging: Path, path: Path) -> None:
    retired = path.with_name(f".{path.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if path.exists():
        path.rename(retired)
    staging.rename(path)
    shutil.rmtree(retired, ignore_errors=True)


def _load_graphs(database, folder: Path, wanted: Wanted, generation: str) -> Index:
    """Write every wanted graph into the packs of its layer and bulk-load each pack as soon as
    it is written; then take out of the inferred graph what the asserted union or the ontology
    holds. The index of the packs."""
    writers = {layer: PackWriter(folder, layer[0], LOAD_CHUNK)
               for layer in (ASSERTED, INFERRED, ONTOLOGY)}
    count, ontology = HolderCount(), set()
    with _Loader(database) as loader:
        for graph, (key, text_of) in wanted.items():
            text, layer = text_of(), layer_of(graph)
            writers[layer].add(graph, key, text)
            if layer == ONTOLOGY:
                ontology.update(lines(text))
            else:
                count.add(layer, graph, text)
            loader.load_all(writers[layer].take_ready(), layer)
        for layer, writer in writers.items():
            loader.load_all(writer.close(), layer)
        entries = {graph: entry for writer in writers.values()
                   for graph, entry in writer.entries.items()}
        held = count.held(lambda graphs: iter_texts(folder, {g: entries[g] for g in graphs}),
                          ontology)  # while the last packs load
    doubled = sorted(line for line, (asserted, inferred) in held.items()
                     if inferred and (asserted or line in ontology))
    _remove_lines(database, doubled, _named(GRAPH_INFERRED))
    database.update(_data("INSERT", [], [], build=[_generation_triple(generation)]))
    database.add_graph(_named(GRAPH_ASSERTED))
    return Index(generation, entries, held)


def _remove_lines(database, triples: list[str], graph) -> None:
    """Remove these N-Triples lines from a graph one quad at a time (SPARQL's DELETE DATA
    cannot name a blank node, and the ontology's lists have some)."""
    from pyoxigraph import Quad

    for triple in parsed(triples):
        database.remove(Quad(triple.subject, triple.predicate, triple.object, graph))


def _named(iri: str):
    from pyoxigraph import NamedNode

    return NamedNode(iri)


class _Loader:
    """Bulk loads of pack files into their layer's graph, ``LOAD_THREADS`` at a time. The first
    failure is raised, and the files not begun are not loaded."""

    def __init__(self, database) -> None:
        self.database = database
        self.pool = ThreadPoolExecutor(LOAD_THREADS)
        self.loads: list = []

    def __enter__(self) -> _Loader:
        return self

    def load_all(self, packs: list[Path], layer: str) -> None:
        for done in self.loads:
            if done.done():
                done.result()  # raises a failure without waiting for the rest
        self.loads += [self.pool.submit(self._load, pack, layer) for pack in packs]

    def _load(self, pack: Path, layer: str) -> None:
        from pyoxigraph import RdfFormat

        target = {ASSERTED: None, INFERRED: GRAPH_INFERRED, ONTOLOGY: GRAPH_ONTOLOGY}[layer]
        # the packs are the build's own N-Triples, of IRIs it minted or checked: lenient skips
        # checking every IRI again (about a tenth of the load time), not the syntax
        options = {} if target is None else {"to_graph": _named(target)}
        self.database.bulk_load(path=str(pack), format=RdfFormat.N_TRIPLES, lenient=True,
                                **options)

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                for done in self.loads:
                    done.result()
        finally:
            self.pool.shutdown(cancel_futures=True)


def _update(path: Path, index: Index, wanted: Wanted, changed: list[str],
            removed: list[str]) -> str | None:
    """Replace the changed graphs and drop the removed ones in one transaction, keeping the
    database the union of what remains; the store's new generation, or None (and nothing done)
    when the ontology changed or a triple to delete has a blank node, which SPARQL's DELETE
    DATA cannot name."""
    folder = path / GRAPHS
    if GRAPH_ONTOLOGY in changed or GRAPH_ONTOLOGY in removed:
        return None
    old = read_texts(folder, {g: index.graphs[g] for g in [*changed, *removed, GRAPH_ONTOLOGY]
                              if g in index.graphs})
    ontology = set(lines(old.pop(GRAPH_ONTOLOGY, "")))
    new = {graph: wanted[graph][1]() for graph in changed}
    delta = {ASSERTED: Counter(), INFERRED: Counter()}
    for graph, text in old.items():
        delta[layer_of(graph)].subtract(lines(text))
    for graph, text in new.items():
        delta[layer_of(graph)].update(lines(text))
    database = open_database(path, read_only=False)
    held = dict(index.held)
    moves = moves_of(database, held, delta, ontology, _named(GRAPH_INFERRED))
    if moves is None or any("_:" in line for line in moves["delete"] + moves["delete inferred"]):
        return None
    generation = uuid.uuid4().hex
    packs = PackWriter(folder, f"u{generation}", lines_per_pack=sys.maxsize)  # one pack
    for graph, text in sorted(new.items()):
        packs.add(graph, wanted[graph][0], text)
    packs.close()
    database.update(";\n".join([
        _data("DELETE", moves["delete"], moves["delete inferred"]),
        _data("INSERT", moves["insert"], moves["insert inferred"]),
        f"DELETE WHERE {{ GRAPH <{GRAPH_BUILD}> {{ <{STORE}> <{GENERATION}> ?g }} }}",
        _data("INSERT", [], [], build=[_generation_triple(generation)])]))
    database.flush()
    graphs = {g: entry for g, entry in index.graphs.items() if g not in removed} | packs.entries
    fresh = Index(generation, graphs, held)
    write_index(folder, fresh)
    for pack in unused_packs(folder, fresh):
        pack.unlink(missing_ok=True)
    return generation


def _data(verb: str, default: list[str], inferred: list[str], build: tuple = ()) -> str:
    """A DELETE DATA or INSERT DATA of lines into the default, inferred and build graphs."""
    blocks = [" ".join(default)]
    if inferred:
        blocks.append(f"GRAPH <{GRAPH_INFERRED}> {{ {' '.join(inferred)} }}")
    if build:
        blocks.append(f"GRAPH <{GRAPH_BUILD}> {{ {' . '.join(build)} }}")
    return f"{verb} DATA {{ {' '.join(blocks)} }}"


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_store(path: Path) -> Dataset:
    """The store's graphs as an rdflib Dataset: each note's inferences in the one inferred
    graph, without the triples another note asserts."""
    return to_dataset(_quads_of(iter_graph_texts(path)))


def iter_graph_texts(path: Path) -> Iterator[tuple[str, str]]:
    """Every graph of the store with its N-Triples text, one at a time."""
    open_database(path)  # the same error as a query when there is no store
    index = read_index(path / GRAPHS)
    if index is None:
        raise StoreError(f"{path}: the store's graphs are unreadable; run 'notegraph build' "
                         "again")
    return iter_texts(path / GRAPHS, index.graphs)


def _quads_of(texts: Iterable[tuple[str, str]]):
    from pyoxigraph import RdfFormat, parse

    for graph, text in texts:
        for triple in parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES):
            yield graph, triple


def read_trig(path: Path) -> Dataset:
    """A TriG file as an rdflib Dataset (parsed by Oxigraph)."""
    from pyoxigraph import RdfFormat, parse

    with path.open("rb") as handle:
        return to_dataset(parse(handle, format=RdfFormat.TRIG))


def to_dataset(quads) -> Dataset:
    """Oxigraph quads, or (graph name, triple) pairs, → an rdflib Dataset with one graph per
    named graph; each note's inferences in the one inferred graph, without the triples another
    graph asserts."""
    dataset = Dataset()
    graphs: dict[str, object] = {}
    for quad in quads:
        if isinstance(quad, tuple):
            name, quad = quad
        else:
            name = getattr(quad.graph_name, "value", None)
        if name is not None and is_inferred_graph(name):
            name = GRAPH_INFERRED
        if name is None:
            target = dataset.default_graph
        else:
            target = graphs.get(name) or graphs.setdefault(name, dataset.graph(URIRef(name)))
        target.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    inferred = graphs.get(GRAPH_INFERRED)
    if inferred is not None:
        for name, graph in graphs.items():
            if name != GRAPH_INFERRED:
                for triple in graph:
                    if triple in inferred:
                        inferred.remove(triple)
    return dataset


def to_rdflib(term):
    """One Oxigraph term as the equal rdflib term."""
    named_node, literal, blank_node = oxigraph_terms()
    kind = type(term)  # exact types: isinstance is slower, and these are called by the million
    if kind is named_node:
        return URIRef(term.value)
    if kind is literal:
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if kind is blank_node:
        return BNode(term.value)
    return URIRef(term.value)


@functools.cache
def oxigraph_terms():
    """Oxigraph's NamedNode, Literal and BlankNode classes (imported when first needed)."""
    from pyoxigraph import BlankNode, Literal, NamedNode

    return NamedNode, Literal, BlankNode
