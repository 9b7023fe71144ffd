"""notegraph benchmarks: one run, one table of figures, side by side with the reference tools.

    python benchmarks/run.py [--sizes 100,1000,10000] [--owlrl-max 1000] [--repeat 5]

For each size, a child process generates that many notes (benchmarks/generate.py, seeded), then
measures parse+build throughput, reasoning time with owlrl (the reference, up to --owlrl-max
notes), notegraph's fast path and the Rust engine ``reasonable``, and its own peak RSS. On the
largest size it also builds the full store and measures every stored query (p50, p95; for a paged
query, of page 1, what ``notegraph query NAME`` gives, and beside it the median time of every
row), the cold start of ``notegraph query`` (a query that reads little), network projection with
centralities, and adding one note to the built corpus. Nothing here is asserted: the figures are
printed, not tested.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from notegraph.workers import PARALLEL_FROM  # noqa: E402

SAMPLE = {"state": "Serbia", "other": "Montenegro", "topic": "biosecurity", "from_year": "2010",
          "to_year": "2030", "kind": "un-body", "role": "host", "mode": "remote"}


REASONABLE_MEMORY_GB = 12  # the cap on the reasonable process, so it cannot take the machine


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_children_mb() -> float:
    """The largest peak RSS of the worker processes waited for (builds parse in parallel)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def timed(function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


def measure_size(size: int, owlrl_max: int, work: Path) -> dict:
    """Figures for one corpus size (run in a child process, so RSS is per size)."""
    from generate import write

    from notegraph import parse_paths
    from notegraph.build import build_dataset
    from notegraph.export import union
    from notegraph.pipeline import asserted_graph_names
    from notegraph.reason import reason

    notes = work / f"notes-{size}"
    write(size, notes, seed=1540)
    result, parse_seconds = timed(parse_paths, [notes])
    dataset, build_seconds = timed(build_dataset, result.records)
    data = union(dataset, asserted_graph_names(dataset))
    figures = {"size": size, "notes_per_s": size / (parse_seconds + build_seconds),
               "parse_s": parse_seconds, "build_s": build_seconds, "triples": len(data)}
    figures["reasonable_s"] = reasonable_seconds(data)  # first, while this process is small
    from notegraph.fastreason import derive_rules, rules

    _, figures["rules_s"] = timed(derive_rules)  # what the saved rules spare every build
    rules()
    fast, figures["fast_s"] = timed(reason, data, "fast")
    by_note, figures["by_note_s"] = timed(note_by_note, dataset, result.records)
    by_note -= set(data)
    reference = set(fast)
    if size <= owlrl_max:
        reference, figures["owlrl_s"] = timed(reason, data, "owlrl")
        reference = set(reference)
        figures["owlrl_equal"] = set(fast) == reference
    figures["by_note_equal"] = by_note == reference
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def note_by_note(dataset, records) -> set:
    """The build's reasoning, on one core: each note against the shared closure, the shared
    graphs, then the joins across notes."""
    from notegraph.build import GRAPH_GAZETTEER, GRAPH_TOPICS, EventIndex, add_note
    from notegraph.fastreason import reason_fast
    from notegraph.quads import TripleSet
    from notegraph.units import joined_inferences, link_triples, shared_closure

    base, index = shared_closure(), EventIndex.of(records)
    inferred, unit_links = set(), []
    for record in records:
        note = TripleSet()
        add_note(note, record, index)
        own = reason_fast(note, base)
        inferred |= own
        unit_links.append(link_triples(note, own))
    shared = TripleSet()
    shared.update(dataset.graph(GRAPH_GAZETTEER))
    shared.update(dataset.graph(GRAPH_TOPICS))
    return inferred | set(joined_inferences(shared, unit_links))


def reasonable_seconds(data) -> float | str | None:
    """The Rust OWL 2 RL engine on the same graph plus the ontology, in its own process, so
    that running out of memory there costs only this figure ("killed" in the table)."""
    try:
        import reasonable  # noqa: F401
    except ImportError:
        return None
    from notegraph.units import ntriples

    with tempfile.NamedTemporaryFile("w", suffix=".nt", delete=False) as stream:
        stream.write(ntriples(data))
    try:
        done = subprocess.run([sys.executable, __file__, "--reasonable", stream.name],
                              capture_output=True, text=True, check=False,
                              preexec_fn=_cap_memory)
    finally:
        Path(stream.name).unlink(missing_ok=True)
    if done.returncode != 0:
        memory = "MemoryError" in done.stderr or "memory" in done.stderr.lower()
        return f"out of memory ({REASONABLE_MEMORY_GB} GB)" if memory or done.returncode < 0 \
            else f"failed ({done.returncode})"
    return float(done.stdout.strip().splitlines()[-1])


def _cap_memory() -> None:
    limit = REASONABLE_MEMORY_GB << 30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def run_reasonable(path: str) -> None:
    import reasonable
    from rdflib import Graph

    from notegraph.ontology import load_ontology

    graph = Graph().parse(path, format="nt")
    for triple in load_ontology():
        graph.add(triple)
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(graph)
    print(timed(reasoner.reason)[1])


def measure_store(size: int, work: Path, repeat: int) -> dict:
    """Store-level figures on a built corpus: queries, cold start, networks, adding a note."""
    from generate import write

    from notegraph.analysis import centralities
    from notegraph.networks import participations
    from notegraph.pipeline import build
    from notegraph.queries import load_catalogue
    from notegraph.report import network_for
    from notegraph.sparql import LocalEngine

    notes, out = work / f"store-notes-{size}", work / f"out-{size}"
    write(size, notes, seed=1540)
    report, end_to_end = timed(build, notes, out, exports=())
    engine = LocalEngine(out / "store")
    queries = {}
    for name, query in load_catalogue().items():
        values = {p.name: SAMPLE[p.name] for p in query.params if p.name in SAMPLE}
        wanted = {p.name for p in query.params} - set(SAMPLE)
        if wanted:
            values.update({k: v for k, v in _event_parameters(engine, query).items()
                           if k in wanted})
        queries[name] = query_times(engine, query, values, repeat)
    cold = [timed(subprocess.run, [sys.executable, "-m", "notegraph", "query", "people",
                                   "--store", str(out / "store"), "--format", "csv"],
                  capture_output=True, check=True)[1] for _ in range(3)]
    rows, edges_seconds = timed(participations, str(out / "store"))
    graph, project_seconds = timed(network_for, rows, "states", "newman")
    _, centrality_seconds = timed(centralities, graph)
    extra = work / f"extra-{size}"
    write(1, extra, seed=99)
    for path in extra.glob("*.txt"):
        (notes / f"added-{path.name}").write_bytes(path.read_bytes())
    added, add_seconds = timed(build, notes, out, exports=())
    return {"size": size, "end_to_end_s": end_to_end, "queries": queries,
            "cold_start_s": statistics.median(cold), "edges_s": edges_seconds,
            "projection_s": project_seconds, "centralities_s": centrality_seconds,
            "events": report.notes, "build_seconds": report.seconds, "added": added.store,
            "add_one_note_s": add_seconds, "peak_rss_mb": peak_rss_mb(),
            "peak_rss_workers_mb": peak_rss_children_mb(), "triples": report.triples_asserted,
            "inferred": report.triples_inferred}


def query_times(engine, query, values: dict, repeat: int) -> tuple:
    """p50 and p95 of what a user gets (page 1 of a paged query, else every row), and for a
    paged query the median time of every row (of at most three runs: they are the slow ones)."""
    page = 1 if query.pagination else None
    times = [timed(engine.run, query, values, page=page)[1] for _ in range(repeat)]
    every = None
    if page is not None:
        every = statistics.median(timed(engine.run, query, values)[1]
                                  for _ in range(min(repeat, 3)))
    return statistics.median(times), sorted(times)[max(0, int(0.95 * repeat) - 1)], every


def _event_parameters(engine, query) -> dict:
    from notegraph.queries import load_catalogue
    from notegraph.sparql import python_value

    first = engine.run(load_catalogue()["events"], {}, page=1).rows[0]
    event = python_value(first[2]).rsplit("/", 1)[-1]
    return {"event": event, "actor": "https://w3id.org/notegraph/id/state/SRB"}


def child(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="notegraph-bench-") as folder:
        work = Path(folder)
        if args.store:
            print(json.dumps(measure_store(args.child, work, args.repeat)))
        else:
            print(json.dumps(measure_size(args.child, args.owlrl_max, work)))


def run_child(size: int, args: argparse.Namespace, store: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", str(size), "--owlrl-max",
               str(args.owlrl_max), "--repeat", str(args.repeat)] + (["--store"] if store else [])
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark of {size} notes failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def seconds(value: float | str | None) -> str:
    if isinstance(value, str):
        return value
    return "—" if value is None else f"{value:8.2f}"


def print_tables(sizes: list[dict], store: dict) -> None:
    print("\nparse + build and reasoning")
    print(f"{'notes':>7} {'notes/s':>9} {'parse ms':>9} {'build ms':>9} {'triples':>9} "
          f"{'owlrl s':>9} {'fast s':>9} "
          f"{'by note s':>10} {'reasonable s':>13} {'fast vs reasonable':>19} {'= owlrl':>8} "
          f"{'by note =':>10} {'peak RSS MB':>12}")
    for row in sizes:
        ratio = row["reasonable_s"] / row["fast_s"] if isinstance(row.get("reasonable_s"),
                                                                  float) else None
        print(f"{row['size']:>7} {row['notes_per_s']:>9.0f} "
              f"{1000 * row['parse_s'] / row['size']:>9.2f} "
              f"{1000 * row['build_s'] / row['size']:>9.2f} {row['triples']:>9} "
              f"{seconds(row.get('owlrl_s')):>9} {seconds(row['fast_s']):>9} "
              f"{seconds(row['by_note_s']):>10} {seconds(row.get('reasonable_s')):>13} "
              f"{'—' if ratio is None else f'{ratio:.1f}x':>19} "
              f"{str(row.get('owlrl_equal', '—')):>8} {str(row['by_note_equal']):>10} "
              f"{row['peak_rss_mb']:>12.0f}")
    print(f"(notes/s: parse_paths, on {os.cpu_count()} cores from {PARALLEL_FROM} notes, then "
          "build_dataset, one process; parse and build in ms a note)")
    print("(by note: each note reasoned against the shared closure, then the joins across notes, "
          "on one core; '=' compares with owlrl where it ran, else with the fast path)")
    print(f"(deriving the fast path's rules from the ontology with owlrl: {row['rules_s']:.2f} s; "
          f"builds read them from ontology/rules.json)")
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in store["build_seconds"].items())
    parse_build = store["build_seconds"]["parse"] + store["build_seconds"]["build"]
    print(f"\nstore of {store['size']} notes (build without exports: {steps}); "
          f"adding one note: {store['added']}")
    print(f"store of {store['size']} notes: {store['triples']} triples asserted, "
          f"{store['inferred']} inferred; parse + build (parallel, with each note's reasoning) "
          f"{store['size'] / parse_build:.0f} notes/s")
    print(f"store of {store['size']} notes: end to end {store['end_to_end_s']:.1f} s, "
          f"peak RSS {store['peak_rss_mb']:.0f} MB (largest child process "
          f"{store['peak_rss_workers_mb']:.0f} "
          f"MB), add one note {store['add_one_note_s']:.2f} s, "
          f"'notegraph query' cold start {store['cold_start_s']:.2f} s")
    print(f"network: edges query {store['edges_s']:.2f} s, "
          f"projection {store['projection_s']:.2f} s, "
          f"centralities {store['centralities_s']:.2f} s")
    print(f"\n{'stored query':<24} {'p50 ms':>8} {'p95 ms':>8} {'every row ms':>13}")
    for name, (p50, p95, every) in sorted(store["queries"].items()):
        full = "—" if every is None else f"{every * 1000:.1f}"
        print(f"{name:<24} {p50 * 1000:>8.1f} {p95 * 1000:>8.1f} {full:>13}")
    print("(a paged query's p50 and p95 are of page 1, what 'notegraph query NAME' gives; "
          "'every row' is its full result, --all)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--owlrl-max", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--store", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reasonable", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reasonable:
        run_reasonable(args.reasonable)
        return
    if args.child is not None:
        child(args)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = [run_child(size, args) for size in sizes]
    store = run_child(max(sizes), args, store=True)
    print_tables(rows, store)


if __name__ == "__main__":
    main()
