"""The composed steps: parse → build → reason → store and export.

``build`` writes, under the output folder:

- ``store/``: the embedded Oxigraph store with every named graph;
- ``notegraph.trig``: the named graphs (notes, gazetteer, topics, ontology, inferred);
- ``notegraph.ttl``: asserted and inferred triples in one graph;
- ``ontology.md``: the ontology's documentation page.

Every file is written whole or not at all; a note that cannot be parsed is reported, never
silently dropped.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from notegraph.build import GRAPH_INFERRED, GRAPH_ONTOLOGY, GRAPH_TOPICS, build_dataset
from notegraph.cache import RecordCache
from notegraph.errors import InputError, NoteReadError
from notegraph.export import nquads, serialize_graph, serialize_trig, union, write_atomic
from notegraph.ontology import load_ontology, markdown
from notegraph.parse import note_files, parse_bytes, parse_file
from notegraph.reason import reason
from notegraph.records import NoteRecord
from notegraph.store import write_store

PARALLEL_FROM = 200  # notes; below this, starting worker processes costs more than it saves


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
    seconds: dict[str, float] = field(default_factory=dict)

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
        rows.append("time: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items()))
        return rows


def parse_all(paths: Iterable[Path], report: BuildReport,
              progress: Callable[[Iterable, int], Iterable] | None = None,
              cache: RecordCache | None = None) -> list[NoteRecord]:
    """Parse every note (or take its record from the cache), recording failures.

    Many notes are parsed by one worker process per core; the order of the records is the order
    of the files either way.
    """
    files = list(paths)
    folder = cache.folder if cache is not None else None
    workers = os.cpu_count() or 1
    records = []
    with contextlib.ExitStack() as stack:
        if workers > 1 and len(files) >= PARALLEL_FROM:
            pool = stack.enter_context(ProcessPoolExecutor(workers))
            outcomes = pool.map(_parse_job, files, [folder] * len(files), chunksize=64)
        else:
            outcomes = (_parse_job(path, folder) for path in files)
        for record, error, key, hit in (progress(outcomes, len(files)) if progress
                                        else outcomes):
            if cache is not None and key:
                cache.note_use(key, hit)
            if error is not None:
                report.errors.append(error)
            else:
                records.append(record)
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
    """The named graphs of asserted facts: notes, gazetteer and topics (not the ontology)."""
    return sorted(g.identifier for g in dataset.graphs()
                  if isinstance(g.identifier, URIRef)
                  and not str(g.identifier).startswith("urn:x-rdflib:")
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
          progress: Callable[[Iterable, int], Iterable] | None = None) -> BuildReport:
    """Parse the notes, build and reason over the graph, persist the store and exports."""
    report = BuildReport()
    started = time.perf_counter()
    cache = RecordCache(out / "cache" / "records")
    records = parse_all(note_files([notes]), report, progress, cache)
    cache.prune()
    report.notes = len(records)
    report.parsed, report.cached = cache.misses, cache.hits
    report.seconds["parse"] = time.perf_counter() - started
    _collect_problems(records, report)
    mark = time.perf_counter()
    dataset = build_dataset(records, root=notes)
    asserted = union(dataset, asserted_graph_names(dataset))
    report.triples_asserted = len(asserted)
    report.seconds["build"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report.triples_inferred = len(reason_dataset(dataset, reasoner, asserted))
    report.seconds["reason"] = time.perf_counter() - mark
    mark = time.perf_counter()
    report.outputs = write_outputs(dataset, out)
    report.seconds["write"] = time.perf_counter() - mark
    return report


def _collect_problems(records: list[NoteRecord], report: BuildReport) -> None:
    for record in records:
        for actor in record.organisers + record.participants:
            if actor.unresolved:
                report.unresolved.append(f"{record.source}:{actor.line}: {actor.name}")
        report.warnings += [f"{record.source}:{w.line}: {w.message}" for w in record.warnings]


def write_outputs(dataset, out: Path) -> list[Path]:
    """The store, the TriG and Turtle exports and the ontology page."""
    names = asserted_graph_names(dataset)
    everything = sorted(names + [GRAPH_ONTOLOGY, GRAPH_INFERRED, GRAPH_TOPICS])
    trig = serialize_trig(dataset, sorted(set(everything)))
    turtle = serialize_graph(union(dataset, names + [GRAPH_INFERRED]), "ttl", dataset)
    paths = [out / "notegraph.trig", out / "notegraph.ttl", out / "ontology.md", out / "store"]
    write_atomic(paths[0], trig)
    write_atomic(paths[1], turtle)
    write_atomic(paths[2], markdown(load_ontology()))
    write_store(paths[3], nquads(dataset, union_default=True))
    return paths


def export_store(store: Path, fmt: str, which: str = "all") -> str:
    """Serialise the stored graph: ``asserted``, ``inferred`` or ``all`` (with the ontology)."""
    from notegraph.store import read_store

    dataset = read_store(store)
    asserted = asserted_graph_names(dataset)
    names = {"asserted": asserted, "inferred": [GRAPH_INFERRED],
             "all": asserted + [GRAPH_INFERRED, GRAPH_ONTOLOGY]}[which]
    if fmt == "trig":
        return serialize_trig(dataset, names)
    return serialize_graph(union(dataset, names), fmt, dataset)
