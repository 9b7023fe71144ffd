"""The graph: reasoning facts on the seeds, no noise, determinism, golden graph, ontology docs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, BNode, Graph, Literal, Namespace
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from notegraph.build import GRAPH_INFERRED, build_dataset
from notegraph.export import union
from notegraph.namespaces import NG
from notegraph.ontology import NAMESPACES_PATH, load_ontology, namespace_source, terms, undocumented
from notegraph.pipeline import asserted_graph_names
from notegraph.reason import VOCABULARIES, reason
from notegraph.store import read_trig

ID = Namespace("https://w3id.org/notegraph/id/")
GOLDEN = Path(__file__).parent / "golden" / "seeds.ttl"
BELGRADE_2013 = ID["event/2013-05-09-belgrade-regional-workshop"]
BELGRADE_2015 = ID["event/2015-05-26-belgrade-second-meeting-osce-points"]
VIENNA_2014 = ID["event/2014-04-10-vienna"]


@pytest.fixture(scope="module")
def graphs(seeds_build):
    _report, out = seeds_build
    dataset = read_trig(out / "notegraph.trig")
    return (_graph(union(dataset, asserted_graph_names(dataset))),
            _graph(union(dataset, [GRAPH_INFERRED])))


def _graph(triples) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_host_is_organiser_and_participant(graphs) -> None:
    asserted, inferred = graphs
    serbia = ID["state/SRB"]
    assert (BELGRADE_2013, NG.host, serbia) in asserted
    for fact in [(serbia, RDF.type, NG.Organiser), (serbia, RDF.type, NG.Participant),
                 (BELGRADE_2013, NG.organiser, serbia), (serbia, NG.participatedIn, BELGRADE_2013)]:
        assert fact not in asserted and fact in inferred, fact


@pytest.mark.parametrize("actor", ["state/DEU", "state/BLR", "state/USA", "org/osce"])
def test_involved_through_agencies_and_sub_units(graphs, actor: str) -> None:
    asserted, inferred = graphs
    fact = (BELGRADE_2013, NG.involves, ID[actor])
    assert fact not in asserted
    assert fact in inferred
    assert (ID[actor], NG.involvedIn, BELGRADE_2013) in inferred


def test_series_membership_is_inferred(graphs) -> None:
    asserted, inferred = graphs
    assert (BELGRADE_2015, NG.precededInSeriesBy, VIENNA_2014) in asserted
    assert (VIENNA_2014, NG.sameSeriesAs, BELGRADE_2015) in inferred
    series = asserted.value(BELGRADE_2015, NG.inSeries)
    assert series is not None
    assert (VIENNA_2014, NG.inSeries, series) in inferred


def test_reasoning_leaves_its_input_alone() -> None:
    from notegraph import parse_paths

    records = parse_paths([Path(__file__).parents[1] / "data" / "notes" /
                           "000_ce1ffb009a01f4c0.txt"]).records
    dataset = build_dataset(records)
    data = union(dataset, asserted_graph_names(dataset))
    before = set(data)
    inferred = reason(data)
    assert set(data) == before
    assert len(inferred) > 0
    assert not set(inferred) & before


def test_exports_hold_no_reasoning_noise(graphs) -> None:
    _asserted, inferred = graphs
    for subject, predicate, obj in inferred:
        assert not isinstance(subject, (Literal, BNode))
        assert not isinstance(obj, BNode)
        assert not (predicate == OWL.sameAs and subject == obj)
        assert not str(predicate).startswith(str(RDF) + "_")
        assert not str(subject).startswith(VOCABULARIES)


def test_rebuild_is_byte_identical(seeds_build, tmp_path: Path) -> None:
    from notegraph.pipeline import build

    report, out = seeds_build
    notes = Path(report.outputs[0]).parent.parent / "again-notes"
    notes.mkdir(exist_ok=True)
    source = Path(__file__).parents[1] / "data" / "notes"
    for name in ("000_ce1ffb009a01f4c0.txt", "001_cb52ca95894b248a.txt"):
        (notes / name).write_bytes((source / name).read_bytes())
    build(notes, tmp_path)
    for name in ("notegraph.ttl", "notegraph.trig"):
        first = (out / name).read_bytes()
        second = (tmp_path / name).read_bytes()
        assert first == second, name


def test_golden_seed_graph(seeds_build, request: pytest.FixtureRequest) -> None:
    _report, out = seeds_build
    graph = Graph().parse(out / "notegraph.ttl", format="turtle")
    if request.config.getoption("--regenerate-golden"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    expected = Graph().parse(GOLDEN, format="turtle")
    if not isomorphic(graph, expected):
        _both, only_new, only_golden = graph_diff(to_isomorphic(graph), to_isomorphic(expected))
        pytest.fail("seed graph differs from tests/golden/seeds.ttl\n+ "
                    + "\n+ ".join(sorted(map(str, only_new)))[:3000] + "\n- "
                    + "\n- ".join(sorted(map(str, only_golden)))[:3000])


def test_every_ontology_term_is_documented(seeds_build) -> None:
    ontology = load_ontology()
    assert undocumented(ontology) == []
    assert len(terms(ontology)) >= 40
    _report, out = seeds_build
    page = (out / "ontology.md").read_text(encoding="utf-8")
    for name in terms(ontology):
        assert f"`ng:{name}`" in page


def test_namespace_matches_the_ontology() -> None:
    assert NAMESPACES_PATH.read_text(encoding="utf-8") == namespace_source(load_ontology())
    with pytest.raises(AttributeError):
        NG.Evnet  # noqa: B018


def test_incremental_build_reuses_unchanged_notes(tmp_path: Path) -> None:
    from notegraph.pipeline import build

    source = Path(__file__).parents[1] / "data" / "notes"
    notes = tmp_path / "notes"
    notes.mkdir()
    names = ["000_ce1ffb009a01f4c0.txt", "001_cb52ca95894b248a.txt",
             "2014-06-lome-unrec-portuguese-speaking-reporting-workshop.txt"]
    for name in names:
        (notes / name).write_bytes((source / name).read_bytes())
    first = build(notes, tmp_path / "out")
    assert (first.parsed, first.cached) == (3, 0)
    full = (tmp_path / "out" / "notegraph.ttl").read_bytes()
    (notes / names[2]).unlink()
    second = build(notes, tmp_path / "out")
    assert (second.parsed, second.cached) == (0, 2)
    assert b"lome" not in (tmp_path / "out" / "notegraph.ttl").read_bytes().lower()
    assert len(list((tmp_path / "out" / "cache" / "records").glob("*.pickle"))) == 2
    (notes / names[2]).write_bytes((source / names[2]).read_bytes())
    third = build(notes, tmp_path / "out")
    assert (third.parsed, third.cached) == (1, 2)
    assert (tmp_path / "out" / "notegraph.ttl").read_bytes() == full
