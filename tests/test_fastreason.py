"""The fast reasoner gives exactly owlrl's ABox entailments."""

from __future__ import annotations

import sys
from pathlib import Path

from notegraph import parse_paths
from notegraph.build import build_dataset
from notegraph.export import union
from notegraph.pipeline import asserted_graph_names
from notegraph.reason import reason

TESTS = Path(__file__).parent


def _data(records):
    dataset = build_dataset(records)
    return union(dataset, asserted_graph_names(dataset))


def test_same_triples_as_owlrl_on_the_dev_and_extra_notes() -> None:
    records = (parse_paths([TESTS.parent / "data" / "notes"]).records
               + parse_paths([TESTS / "notes-extra"]).records)
    data = _data(records)
    before = set(data)
    reference = set(reason(data, backend="owlrl"))
    fast = set(reason(data, backend="fast"))
    assert fast == reference
    assert len(fast) > 5000
    assert set(data) == before  # neither engine touched its input


def test_same_triples_on_hand_made_edge_cases() -> None:
    from rdflib import Graph, Namespace
    from rdflib.namespace import ORG

    from notegraph.namespaces import NG

    data_id = Namespace("https://w3id.org/notegraph/id/")
    graph = Graph()
    # a chain of sub-units three deep, a series of three meetings, an organiser that is an agency
    graph.add((data_id["org/c"], ORG.subOrganizationOf, data_id["org/b"]))
    graph.add((data_id["org/b"], NG.partOf, data_id["org/a"]))
    graph.add((data_id["org/a"], NG.partOf, data_id["state/X"]))
    graph.add((data_id["event/1"], NG.organiser, data_id["org/c"]))
    graph.add((data_id["event/3"], NG.precededInSeriesBy, data_id["event/2"]))
    graph.add((data_id["event/2"], NG.precededInSeriesBy, data_id["event/1"]))
    graph.add((data_id["event/3"], NG.inSeries, data_id["series/s"]))
    assert set(reason(graph, backend="fast")) == set(reason(graph, backend="owlrl"))
    inferred = reason(graph, backend="fast")
    assert (data_id["event/1"], NG.involves, data_id["state/X"]) in inferred
    assert (data_id["event/1"], NG.inSeries, data_id["series/s"]) in inferred
    assert (data_id["event/1"], NG.sameSeriesAs, data_id["event/3"]) in inferred


def test_same_triples_as_owlrl_on_generated_notes() -> None:
    """100 notes here (owlrl needs about 40 s for them); `make bench` checks 1,000."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate", TESTS.parent / "benchmarks" / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", generator)
    spec.loader.exec_module(generator)
    from notegraph import parse_text

    records = [parse_text(text, f"{stem}.txt") for stem, text, _gold in
               generator.generate(100, seed=1540)]
    data = _data(records)
    assert len(data) > 20_000
    assert set(reason(data, backend="fast")) == set(reason(data, backend="owlrl"))
