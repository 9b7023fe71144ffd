"""The embedded store: an Oxigraph database on disk, changed whole or not at all.

Every named graph is kept, and their union is also written into the default graph, so that
queries over everything (reasoning on) read one graph instead of merging ten thousand at query
time. No server is needed; the same data can be published to a remote endpoint later.

``sync_store`` brings a store to a wanted set of graphs, each with a key that changes when its
content does (kept in the store's own ``graph/build`` graph). A few changed graphs are replaced
in one SPARQL update, which Oxigraph applies in one transaction; many are bulk-loaded into a
new store that is then swapped in. Each note's inferences are kept in their own graph under
``graph/inferred/``, so that a note can be replaced alone; ``read_store`` gives them back as
the one inferred graph.
"""

from __future__ import annotations

import functools
import gc
import pickle
import shutil
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef

from notegraph.build import GRAPH_BUILD as BUILD_GRAPH
from notegraph.build import GRAPH_DERIVED as DERIVED_GRAPH
from notegraph.build import GRAPH_INFERRED as INFERRED_GRAPH
from notegraph.errors import NotegraphError
from notegraph.export import write_atomic

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
GRAPH_BUILD, GRAPH_INFERRED = str(BUILD_GRAPH), str(INFERRED_GRAPH)  # as plain IRI strings
BUILD_KEY = "urn:notegraph:build-key"
STORE, GENERATION = "urn:notegraph:store", "urn:notegraph:generation"  # new at every change
LOAD_CHUNK = 500_000  # quads per bulk load: Oxigraph's loader holds what it is given
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


class StoreError(NotegraphError):
    """The embedded store is missing or unreadable: run ``notegraph build`` first."""


def write_store(path: Path, nquads: str | Iterable[Path]) -> None:
    """Replace the store at ``path`` with these quads (text, or files of them, each loaded as
    soon as it is given), built aside and then swapped in."""
    from pyoxigraph import RdfFormat, Store

    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    store = None
    try:
        store = Store(str(staging))
        if isinstance(nquads, str):
            store.bulk_load(nquads.encode("utf-8"), format=RdfFormat.N_QUADS)
        else:
            _load_files(store, nquads)
        store.optimize()  # one compaction: queries over a fresh load run about twice as fast
        store.flush()
        store = None  # closed, before its folder moves
        retired = path.with_name(f".{path.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if path.exists():
            path.rename(retired)
        staging.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException as error:
        store = None  # the database is closed before its folder is removed: the frames of the
        traceback.clear_frames(error.__traceback__)  # failed load and the loaders' futures
        gc.collect()  # (a cycle through the exception) hold it open too
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _load_files(store, parts: Iterable[Path]) -> None:
    """Bulk-load files of N-Quads ``LOAD_THREADS`` at a time, each as soon as ``parts`` gives
    it, so the next file is written while the last loads (Oxigraph's own loader, given several
    files, loads them in parallel too). The first failure is raised, and the files not begun
    are not loaded."""
    from pyoxigraph import RdfFormat

    def load(part: Path) -> None:
        # the files are the build's own N-Quads, of IRIs it minted or checked: lenient skips
        # checking every IRI again (about a tenth of the load time), not the syntax
        store.bulk_load(path=str(part), format=RdfFormat.N_QUADS, lenient=True)

    pool = ThreadPoolExecutor(LOAD_THREADS)
    try:
        loads: list = []
        for part in parts:
            for done in loads:
                if done.done():
                    done.result()  # raises a failure without waiting for the rest
            loads.append(pool.submit(load, part))
        for done in loads:
            done.result()
    finally:
        pool.shutdown(cancel_futures=True)


def sync_store(path: Path, wanted: Wanted, keys_file: Path | None = None) -> str:
    """Make the store hold exactly the wanted graphs; say what was done.

    With ``keys_file``, a copy of the graphs' keys is kept there, tagged with the store's
    generation (changed at every change of the store), so that the next sync reads one triple
    of the store instead of every key when nothing else changed it.

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
    current = _known_keys(path, keys_file)
    if current is None:
        outcome = f"new store: {len(wanted)} graphs"
        generation = _rebuild(path, wanted)
    else:
        changed = sorted(g for g, (key, _text) in wanted.items() if current.get(g) != key)
        removed = sorted(set(current) - set(wanted))
        counts = f"{len(changed)} graphs replaced, {len(removed)} removed"
        if not changed and not removed:
            return "unchanged"
        generation = None
        if len(changed) + len(removed) <= max(REBUILD_MIN, REBUILD_SHARE * len(wanted)):
            generation = _update(path, wanted, changed, removed, current)
        outcome = f"updated: {counts}"
        if generation is None:
            outcome = f"rebuilt: {counts}"
            generation = _rebuild(path, wanted)
    if keys_file is not None:
        write_atomic(keys_file, pickle.dumps(
            (generation, {graph: key for graph, (key, _text) in wanted.items()})))
    return outcome


def _known_keys(path: Path, keys_file: Path | None) -> dict[str, str] | None:
    """The stored graphs' keys: from the keys file when it is of the store's generation."""
    if keys_file is not None and path.is_dir():
        try:
            generation, keys = pickle.loads(keys_file.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            generation = keys = None
        if generation is not None and generation == store_generation(path):
            return keys
    return _stored_keys(path)


def store_generation(path: Path) -> str | None:
    """The store's generation: a new value at every change ``sync_store`` makes."""
    from pyoxigraph import NamedNode, Store

    store = Store.read_only(str(path))
    found = next(iter(store.quads_for_pattern(NamedNode(STORE), NamedNode(GENERATION), None,
                                              NamedNode(GRAPH_BUILD))), None)
    return None if found is None else found.object.value


def _stored_keys(path: Path) -> dict[str, str] | None:
    from pyoxigraph import NamedNode, Store

    if not path.is_dir():
        return None
    store = Store.read_only(str(path))
    keys = {quad.subject.value: quad.object.value for quad in store.quads_for_pattern(
        None, NamedNode(BUILD_KEY), None, NamedNode(GRAPH_BUILD))}
    return keys or None


def _generation_triple(generation: str) -> str:
    """The store's generation as one triple of the build graph (N-Triples and SPARQL alike)."""
    return f"<{STORE}> <{GENERATION}> {_literal(generation)}"


def _rebuild(path: Path, wanted: Wanted) -> str:
    """A new store from every wanted graph, written to files of N-Quads (a new one after
    every ``LOAD_CHUNK`` quads, since Oxigraph's loader holds what it is given) and
    bulk-loaded as they are written; its generation."""
    generation = uuid.uuid4().hex
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.load."))
    try:
        write_store(path, _nquads_files(folder, wanted, generation))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return generation


def _nquads_files(folder: Path, wanted: Wanted, generation: str) -> Iterator[Path]:
    """Every wanted graph as N-Quads, in its named graph and in the default graph (the union),
    with its key; each file given once it is written and closed."""
    number, lines = 0, 0
    stream = (folder / "0.nq").open("w", encoding="utf-8")
    try:
        for graph, (key, text) in wanted.items():  # a note's two graphs stay together
            if lines >= LOAD_CHUNK:
                stream.close()
                yield Path(stream.name)
                number, lines = number + 1, 0
                stream = (folder / f"{number}.nq").open("w", encoding="utf-8")
            content = text()
            stream.write(content.replace(" .\n", f" <{graph}> .\n"))
            stream.write(content)  # the default graph: the union
            stream.write(f"<{graph}> <{BUILD_KEY}> {_literal(key)} <{GRAPH_BUILD}> .\n")
            lines += 2 * content.count("\n") + 1
        stream.write(f"{_generation_triple(generation)} <{GRAPH_BUILD}> .\n")
    finally:
        stream.close()
    yield Path(stream.name)


def _update(path: Path, wanted: Wanted, changed: list[str], removed: list[str],
            current: dict[str, str]) -> str | None:
    """Replace the changed graphs and drop the removed ones in one transaction, keeping the
    default graph the union of what remains; the store's new generation, or None (and nothing
    done) when a triple to delete has a blank node, which SPARQL's DELETE DATA cannot name."""
    from pyoxigraph import Store

    store = Store(str(path))
    texts = {graph: wanted[graph][1]() for graph in changed}
    added = {line for text in texts.values() for line in text.splitlines()}
    replaced = set(changed) | set(removed)
    lost = _lost_triples(store, replaced, added)
    if any(line.startswith("_:") or " _:" in line for line in lost):
        return None
    operations = [f"DROP SILENT GRAPH <{graph}>" for graph in sorted(replaced)]
    if lost:
        operations.append("DELETE DATA { " + " ".join(sorted(lost)) + " }")
    for graph, text in sorted(texts.items()):
        operations.append(f"INSERT DATA {{ GRAPH <{graph}> {{ {text} }} {text} }}")
    stale = [f"<{g}> <{BUILD_KEY}> {_literal(current[g])} ." for g in sorted(replaced)
             if g in current]
    fresh = [f"<{g}> <{BUILD_KEY}> {_literal(wanted[g][0])} ." for g in changed]
    if stale:
        operations.append(f"DELETE DATA {{ GRAPH <{GRAPH_BUILD}> {{ {' '.join(stale)} }} }}")
    operations.append(f"INSERT DATA {{ GRAPH <{GRAPH_BUILD}> {{ {' '.join(fresh)} }} }}")
    generation = uuid.uuid4().hex
    operations.append(f"DELETE WHERE {{ GRAPH <{GRAPH_BUILD}> {{ <{STORE}> <{GENERATION}> ?g }} }}")
    fresh_generation = _generation_triple(generation)
    operations.append(f"INSERT DATA {{ GRAPH <{GRAPH_BUILD}> {{ {fresh_generation} }} }}")
    store.update(" ;\n".join(operations))
    store.flush()
    return generation


def _lost_triples(store, replaced: set[str], added: set[str]) -> set[str]:
    """Triples of the replaced graphs that no other graph holds and no new graph brings: they
    leave the default graph."""
    from pyoxigraph import DefaultGraph, NamedNode

    lost = set()
    for graph in replaced:
        for quad in store.quads_for_pattern(None, None, None, NamedNode(graph)):
            line = f"{quad.subject} {quad.predicate} {quad.object} ."
            if line in added or line in lost:
                continue
            holders = (q.graph_name for q in store.quads_for_pattern(
                quad.subject, quad.predicate, quad.object, None))  # stopped at the first other
            if all(isinstance(g, DefaultGraph) or g.value in replaced for g in holders):
                lost.add(line)
    return lost


def _literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_store(path: Path) -> Dataset:
    """The whole store as an rdflib Dataset: each note's inferences in the one inferred graph,
    without the triples another note asserts."""
    from pyoxigraph import Store

    if not path.is_dir():
        raise StoreError(f"{path}: no notegraph store here; run 'notegraph build' first")
    store = Store.read_only(str(path))
    dataset = to_dataset(quad for quad in store.quads_for_pattern(None, None, None, None)
                         if getattr(quad.graph_name, "value", GRAPH_BUILD) != GRAPH_BUILD)
    inferred = dataset.graph(URIRef(GRAPH_INFERRED))
    for graph in dataset.graphs():
        if graph.identifier != inferred.identifier and isinstance(graph.identifier, URIRef):
            for triple in graph:
                if triple in inferred:
                    inferred.remove(triple)
    return dataset


def read_trig(path: Path) -> Dataset:
    """A TriG file as an rdflib Dataset (parsed by Oxigraph)."""
    from pyoxigraph import RdfFormat, parse

    with path.open("rb") as handle:
        return to_dataset(parse(handle, format=RdfFormat.TRIG))


def to_dataset(quads) -> Dataset:
    """Oxigraph quads → an rdflib Dataset with one graph per named graph."""
    dataset = Dataset()
    graphs: dict[str, object] = {}
    for quad in quads:
        name = getattr(quad.graph_name, "value", None)
        if name is not None and is_inferred_graph(name):
            name = GRAPH_INFERRED
        if name is None:
            target = dataset.default_graph
        else:
            target = graphs.get(name) or graphs.setdefault(name, dataset.graph(URIRef(name)))
        target.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
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
