"""The composed steps: parse → build → reason → store and export.

``build`` writes, under the output folder:

- ``store/``: the embedded store: the Oxigraph database queries read, and every named graph's
  own text (``notegraph.store``);
- ``ontology.md``: the ontology's documentation page;
- with the default ``exports``, ``notegraph.trig`` (the named graphs: notes, gazetteer, topics,
  ontology, inferred) and ``notegraph.ttl`` (asserted and inferred triples in one graph).

Builds are incremental: a note whose file is unchanged is not read again, one whose bytes are
unchanged is not parsed again, and only the triples of changed notes change in the store
(see :mod:`notegraph.units` and :func:`notegraph.store.sync_store`). Every file is written
whole or not at all; a note that cannot be parsed is reported, never silently dropped.
"""

from __future__ import annotations

import contextlib
import functools
import os
import resource
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from notegraph.build import (
    GRAPH_GAZETTEER,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_TOPICS,
    add_topics,
)
from notegraph.cache import Manifest, RecordCache, UnitCache
from notegraph.derived import GRAPH_DERIVED, derived_graph
from notegraph.errors import InputError, NoteReadError
from notegraph.export import serialize_graph, serialize_trig, union, write_atomic
from notegraph.fastreason import ontology_digest
from notegraph.ontology import load_ontology, markdown
from notegraph.pairs import pair_graphs
from notegraph.parse import is_note_name, parse_bytes, parse_file
from notegraph.quads import TripleSet
from notegraph.reason import reason
from notegraph.records import NoteRecord
from notegraph.store import is_derived_graph, sync_store
from notegraph.unit_infos import UnitInfo, unit_infos
from notegraph.units import (
    UNIT_VERSION,
    HeldLinks,
    HeldLinksDropped,
    NoteSummary,
    event_index,
    inferred_graph_name,
    joined_inferences,
    new_gazetteer_steps,
    ntriples,
    shared_graph,
    summarise,
    updated_keys,
)
from notegraph.workers import paused_collection, worker_map

EXPORTS = ("ttl", "trig")



@dataclass
class BuildReport:
    """What a build did: counts, problems and the files it wrote."""

    notes: int = 0
    parsed: int = 0
    cached: int = 0
    errors: list[InputError] = field(default_factory=list)
    triples_asserted: int = 0
    triples_inferred: int = 0
    unresolved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    store: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)  # this process, after each step

    def step(self, name: str, started: float) -> float:
        """Record a step's time (since ``started``) and the peak memory so far; the time now."""
        now = time.perf_counter()
        self.seconds[name] = now - started
        self.peak_mb[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return now

    def lines(self) -> list[str]:
        """The report as printable lines."""
        rows = [f"notes parsed:      {self.notes} ({self.cached} unchanged, from the cache)",
                f"notes failed:      {len(self.errors)}",
                f"triples asserted:  {self.triples_asserted}",
                f"triples inferred:  {self.triples_inferred}",
                f"unresolved names:  {len(self.unresolved)}",
                f"warnings:          {len(self.warnings)}"]
        rows += [f"  failed: {error}" for error in self.errors]
        rows += [f"  unresolved: {name}" for name in self.unresolved]
        rows += [f"  warning: {warning}" for warning in self.warnings]
        rows += [f"wrote {path}" for path in self.outputs]
        rows.append(f"store: {self.store}")
        rows.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()))
        if self.peak_mb:
            rows.append("peak memory (this process, workers apart), after: " + ", ".join(
                f"{k} {v:.0f} MB" for k, v in self.peak_mb.items()))
        return rows


def parse_all(paths: Iterable[Path], report: BuildReport,
              progress: Callable[[Iterable, int], Iterable] | None = None,
              cache: RecordCache | None = None,
              keys: dict[str, str] | None = None) -> list[NoteRecord]:
    """Parse every note (or take its record from the cache), recording failures; ``keys``
    receives each record's cache key by source.

    Many notes are parsed by one worker process per core; the order of the records is the order
    of the files either way.
    """
    files = list(paths)
    job = functools.partial(_parse_job, folder=cache.folder if cache is not None else None)
    records = []
    with worker_map(job, files, chunksize=64) as outcomes:
        for record, error, key, hit in (progress(outcomes, len(files)) if progress
                                        else outcomes):
            if cache is not None and key:
                cache.note_use(key, hit)
            if error is not None:
                report.errors.append(error)
            else:
                records.append(record)
                if keys is not None:
                    keys[record.source] = key
    return records


def _parse_job(path: Path, folder: Path | None):
    """Parse one note, through the cache when there is one: (record, error, key, cache hit)."""
    cache = RecordCache(folder) if folder is not None else None
    try:
        if cache is None:
            return parse_file(path), None, "", False
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise NoteReadError(str(path), f"cannot read the file ({exc.strerror})") from exc
        record = cache.get(data, str(path))
        if record is not None:
            return record, None, cache.key(data), True
        record = parse_bytes(data, str(path))
        cache.put(data, record)
        return record, None, cache.key(data), False
    except InputError as error:
        return None, error, "", False


def asserted_graph_names(dataset) -> list[URIRef]:
    """The named graphs of asserted facts: notes, gazetteer and topics (not the ontology, nor
    the derived counts)."""
    return sorted(g.identifier for g in dataset.graphs()
                  if isinstance(g.identifier, URIRef)
                  and not str(g.identifier).startswith("urn:x-rdflib:")
                  and not is_derived_graph(str(g.identifier))
                  and g.identifier not in (GRAPH_ONTOLOGY, GRAPH_INFERRED) and len(g))


def reason_dataset(dataset, backend: str = "fast", asserted=None):
    """The inferred triples of the asserted graphs (their union, when already at hand), added
    to the dataset as its own graph."""
    if asserted is None:
        asserted = union(dataset, asserted_graph_names(dataset))
    inferred = reason(asserted, backend, load_ontology())
    dataset.graph(GRAPH_INFERRED).update(inferred)
    return inferred


def build(notes: Path, out: Path, reasoner: str = "fast",
          progress: Callable[[Iterable, int], Iterable] | None = None,
          exports: Iterable[str] = EXPORTS) -> BuildReport:
    """Parse the notes, build and reason over the graph, bring the store up to date and write
    the exports (``ttl``, ``trig``; none for an empty list)."""
    with paused_collection():  # a build's objects live until it ends, and those of the
        # manifest are millions: collections would walk them over and over, freeing little
        return _build(notes, out, reasoner, progress, exports)


def _build(notes: Path, out: Path, reasoner: str,
           progress: Callable[[Iterable, int], Iterable] | None,
           exports: Iterable[str]) -> BuildReport:
    report = BuildReport()
    started = time.perf_counter()
    folder = out / "cache"
    manifest = Manifest(folder / "manifest", f"{UNIT_VERSION}/{reasoner}/compact-4")
    (folder / "manifest.pickle").unlink(missing_ok=True)  # the one-file manifest, before
    (folder / "store-keys.pickle").unlink(missing_ok=True)  # the store keeps its own keys
    records = RecordCache(folder / "records")
    stamps = note_stamps(notes)
    known = {path: manifest.fresh(path, stamp) for path, stamp in stamps.items()}
    keys: dict[str, str] = {}
    parsed = {r.source: r for r in parse_all([Path(p) for p in stamps if not known[p]], report,
                                             progress, records, keys)}
    summaries = [known[p][0] if known[p] else summarise(parsed[p], keys[p])
                 for p in stamps if known[p] or p in parsed]
    report.notes = len(summaries)
    report.parsed = records.misses
    report.cached = report.notes - report.parsed
    for summary in summaries:
        report.unresolved += summary.unresolved
        report.warnings += summary.warnings
    mark = report.step("parse", started)
    units = UnitCache(folder / "units")
    index = event_index(summaries)
    unit_keys = updated_keys(summaries, [known[s.source][1] if known[s.source] else None
                                         for s in summaries], manifest.events, index, notes,
                             reasoner)
    infos = unit_infos(summaries, unit_keys, known, parsed, records, units,
                        (index, notes, reasoner))
    records.used.update(s.content_key for s in summaries)
    records.prune()
    units.prune(set(unit_keys))
    manifest.save({s.source: (stamps[s.source], s, key, info)
                   for s, key, info in zip(summaries, unit_keys, infos, strict=True)},
                  index.events)
    mark = report.step("build", mark)
    shared = _shared_graphs(infos)
    shared[GRAPH_INFERRED] = _shared_inferences(shared, infos, units, unit_keys, reasoner)
    report.triples_asserted = sum(info.asserted for info in infos) + sum(
        len(shared[g]) for g in (GRAPH_GAZETTEER, GRAPH_TOPICS))
    report.triples_inferred = sum(info.inferred for info in infos) + len(shared[GRAPH_INFERRED])
    mark = report.step("reason", mark)
    shared[GRAPH_DERIVED] = derived_graph(info.organisation_events for info in infos)
    wanted = _wanted_graphs(summaries, unit_keys, units, shared)
    wanted[str(GRAPH_ONTOLOGY)] = (f"ontology {ontology_digest()}", _ontology_text)
    wanted.update(pair_graphs((info.pair_part for info in infos), shared[GRAPH_INFERRED]))
    report.store = sync_store(out / "store", wanted)
    report.outputs = [out / "store"] + write_exports(out, exports)
    report.step("store", mark)
    return report


def note_stamps(notes: Path) -> dict[str, tuple[int, int]]:
    """The paths of the note files (as ``parse.note_files`` finds them, as strings) with
    their size and modification time, from one listing of the folder."""
    if not notes.is_dir():
        return {str(notes): Manifest.stamp(notes)}
    stamps = {}
    folder = str(notes)
    with os.scandir(folder) as entries:
        for entry in entries:
            if not is_note_name(entry.name) or not entry.is_file():
                continue
            info = entry.stat()
            stamps[os.path.join(folder, entry.name)] = (info.st_size, info.st_mtime_ns)
    return dict(sorted(stamps.items()))


def _shared_graphs(infos: list[UnitInfo]) -> dict[URIRef, TripleSet]:
    """The graphs every note shares and reasoning reads: the gazetteer entries they name and
    the topics (the ontology is the rules)."""
    topics = TripleSet()
    add_topics(topics)
    return {GRAPH_GAZETTEER: shared_graph(infos), GRAPH_TOPICS: topics}


def _ontology_text() -> str:
    """The ontology as N-Triples, its blank nodes with stable labels."""
    from rdflib.compare import to_canonical_graph

    return ntriples(to_canonical_graph(load_ontology()))


def _shared_inferences(shared: dict, infos: list[UnitInfo], units: UnitCache,
                       keys: list[str], reasoner: str) -> TripleSet:
    """What the shared graphs entail, and what the notes entail together but not alone (with
    owlrl, everything, from the whole graph)."""
    asserted = TripleSet()
    asserted.update(shared[GRAPH_GAZETTEER])
    asserted.update(shared[GRAPH_TOPICS])
    if reasoner != "fast":
        for key in keys:
            asserted.update(_triples(units.get(key).asserted))
        return reason(asserted, reasoner, load_ontology())
    links = [info.links for info in infos]
    if not new_gazetteer_steps(links):  # else the compact links are not enough
        with contextlib.suppress(HeldLinksDropped):  # an event joining through another note
            return joined_inferences(asserted, links, HeldLinks(info.held for info in infos))
    return joined_inferences(asserted, [units.get(key).links for key in keys])


def _triples(text: str):
    from pyoxigraph import RdfFormat, parse

    from notegraph.store import to_rdflib

    for triple in parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES):
        yield to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)


def _wanted_graphs(summaries: list[NoteSummary], keys: list[str], units: UnitCache,
                   shared: dict[URIRef, TripleSet]) -> dict:
    """Every graph the store must hold: graph IRI → (key, a function giving its text)."""
    import hashlib

    wanted = {}
    for summary, key in zip(summaries, keys, strict=True):
        wanted[summary.graph] = (key, functools.partial(_unit_text, units, key, "asserted"))
        wanted[inferred_graph_name(summary.graph)] = (
            key, functools.partial(_unit_text, units, key, "inferred"))
    for name, triples in shared.items():
        text = ntriples(triples)
        wanted[str(name)] = (hashlib.sha256(text.encode("utf-8")).hexdigest(),
                             functools.partial(str, text))
    return wanted


def _unit_text(units: UnitCache, key: str, part: str) -> str:
    return getattr(units.get(key), part)


def write_exports(out: Path, exports: Iterable[str]) -> list[Path]:
    """The ontology page and the exports of the stored graph: TriG with every graph (ontology
    included), the other formats with the asserted and inferred triples."""
    paths = [out / "ontology.md"]
    _write_ontology_page(paths[0], out / "cache" / "ontology-page.key")
    exports = list(exports)
    if not exports:
        return paths
    from notegraph.store import read_store

    dataset = functools.cache(functools.partial(read_store, out / "store"))  # read once, if at all
    for fmt in exports:
        paths.append(out / f"notegraph.{fmt}")
        which = "all" if fmt == "trig" else "asserted+inferred"
        write_atomic(paths[-1], _export_text(out / "store", fmt, which, dataset))
    return paths


def _write_ontology_page(path: Path, key_file: Path) -> None:
    """The ontology's documentation page, written again only when the ontology changed."""
    key = ontology_digest()
    with contextlib.suppress(OSError):
        if path.is_file() and key_file.read_text(encoding="utf-8") == key:
            return
    write_atomic(path, markdown(load_ontology()))
    write_atomic(key_file, key)


def export_store(store: Path, fmt: str, which: str = "all") -> Iterator[str]:
    """Serialise the stored graph, in parts of text: ``asserted``, ``inferred``,
    ``asserted+inferred`` or ``all`` (with the ontology)."""
    from notegraph.store import read_store

    return _export_text(store, fmt, which, functools.partial(read_store, store))


def _export_text(store: Path, fmt: str, which: str,
                 dataset: Callable[[], object]) -> Iterator[str]:
    """N-Triples straight from the store's texts (``notegraph.ntexport``), the other formats
    from the rdflib dataset ``dataset()`` gives."""
    from notegraph.ntexport import store_ntriples

    parts = store_ntriples(store, which) if fmt == "nt" else None
    return parts if parts is not None else iter([serialize_dataset(dataset(), fmt, which)])


def serialize_dataset(dataset, fmt: str, which: str) -> str:
    """``asserted``, ``inferred``, ``asserted+inferred`` or ``all`` (with the ontology) graphs
    of a dataset: as named graphs in TriG, as one graph in the other formats."""
    asserted = asserted_graph_names(dataset)
    names = {"asserted": asserted, "inferred": [GRAPH_INFERRED],
             "asserted+inferred": asserted + [GRAPH_INFERRED],
             "all": asserted + [GRAPH_INFERRED, GRAPH_ONTOLOGY]}[which]
    if fmt == "trig":
        return serialize_trig(dataset, names)
    return serialize_graph(union(dataset, names), fmt, dataset)
