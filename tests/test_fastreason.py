"""The fast reasoner gives exactly owlrl's ABox entailments."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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


def _stored_inferences(notes: Path, out: Path) -> tuple[set, set]:
    """A build's asserted and inferred triples, as the store gives them back."""
    from notegraph.build import GRAPH_INFERRED
    from notegraph.pipeline import build
    from notegraph.store import read_store

    build(notes, out, exports=())
    dataset = read_store(out / "store")
    return union(dataset, asserted_graph_names(dataset)), set(dataset.graph(GRAPH_INFERRED))


def test_note_by_note_reasoning_equals_reasoning_over_everything(tmp_path: Path) -> None:
    """Each note against the shared graphs, the shared graphs, then the joins across notes."""
    notes = tmp_path / "notes"
    notes.mkdir()
    for folder in (TESTS.parent / "data" / "notes", TESTS / "notes-extra"):
        for path in folder.glob("*.txt"):
            (notes / path.name).write_bytes(path.read_bytes())
    asserted, inferred = _stored_inferences(notes, tmp_path / "out")
    assert inferred == set(reason(asserted, backend="fast"))
    assert len(inferred) > 5000


def test_same_triples_as_owlrl_on_generated_notes(tmp_path: Path) -> None:
    """100 notes here (owlrl needs about 40 s for them); `make bench` checks 1,000. Both the
    fast path over the whole graph and the note-by-note build give owlrl's triples."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "generate", TESTS.parent / "benchmarks" / "generate.py")
    generator = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("generate", generator)
    spec.loader.exec_module(generator)

    generator.write(100, tmp_path / "notes", seed=1540)
    data, built = _stored_inferences(tmp_path / "notes", tmp_path / "out")
    assert len(data) > 20_000
    reference = set(reason(data, backend="owlrl"))
    assert set(reason(data, backend="fast")) == reference
    assert built == reference


def test_a_state_and_an_organisation_with_the_same_code_stay_apart() -> None:
    """Greece (GRC) and the Gulf Research Center (grc) at one event: two participations, so
    ng:agent (functional) never makes them the same, and the fast path still equals owlrl."""
    from rdflib import Namespace

    from notegraph import parse_text
    from notegraph.namespaces import NG

    record = parse_text("Information Note\n\nEvent: Regional Workshop on Biosecurity\n"
                        "Date and Venue: 3-4 May 2019, Dublin, Ireland\nOrganiser: UNODA\n"
                        "Participants: Greece, Gulf Research Center\n", "x.txt")
    data = _data([record])
    data_id = Namespace("https://w3id.org/notegraph/id/")
    agents = {(s, o) for s, p, o in data if p == NG.agent}
    assert {o for _s, o in agents} >= {data_id["state/GRC"], data_id["org/grc"]}
    assert len({s for s, _o in agents}) == len(agents)
    assert set(reason(data, backend="fast")) == set(reason(data, backend="owlrl"))


def test_saved_rules_are_those_owlrl_derives_from_this_ontology() -> None:
    import json

    from notegraph.fastreason import (
        RULES_PATH,
        derive_rules,
        ontology_digest,
        rules,
        rules_from_json,
    )

    saved = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    assert saved["ontology_sha256"] == ontology_digest(), \
        "ontology/rules.json is stale: run 'python -m notegraph.ontology'"
    assert rules_from_json(saved) == derive_rules()
    assert rules() == derive_rules()
    assert len(derive_rules().chains) >= 3 and derive_rules().transitive


def test_rules_are_derived_again_when_the_saved_ones_are_for_another_ontology(
        tmp_path, monkeypatch) -> None:
    import json

    from notegraph import ruleset

    saved = json.loads(ruleset.RULES_PATH.read_text(encoding="utf-8"))
    saved["ontology_sha256"] = "0" * 64
    saved["transitive"] = []  # wrong on purpose: must not be used
    stale = tmp_path / "rules.json"
    stale.write_text(json.dumps(saved), encoding="utf-8")
    monkeypatch.setattr(ruleset, "RULES_PATH", stale)
    ruleset.rules.cache_clear()
    try:
        assert ruleset.rules() == ruleset.derive_rules()
    finally:
        ruleset.rules.cache_clear()


def test_joins_across_notes_through_an_organisation_part_of_a_state_in_another_note() -> None:
    """Note A: an event involves X and Y; note B: X is part of Y, and Z part of X. The joins
    give A's event involving Z (through X, part of Y, part of Z), and no link A holds."""
    from rdflib import Namespace

    from notegraph.fastreason import Closure, reason_fast
    from notegraph.namespaces import NG
    from notegraph.quads import TripleSet
    from notegraph.units import joined_inferences, link_triples

    data_id = Namespace("https://w3id.org/notegraph/id/")
    note_a = [(data_id.e1, NG.participant, data_id.x), (data_id.e1, NG.participant, data_id.y),
              (data_id.e1, NG.participant, data_id.w)]
    note_b = [(data_id.x, NG.partOf, data_id.y), (data_id.y, NG.partOf, data_id.z),
              (data_id.e2, NG.participant, data_id.x)]
    shared = TripleSet()
    base = Closure(shared)
    units = [(note, reason_fast(note, base)) for note in (note_a, note_b)]
    joined = joined_inferences(shared, [link_triples(note, own) for note, own in units])
    whole = reason_fast(note_a + note_b)
    held = set().union(*(set(note) | set(own) for note, own in units))
    assert held | set(joined) == set(whole) | set(note_a) | set(note_b)
    assert (data_id.e1, NG.involves, data_id.z) in joined



def test_compact_links_leave_out_only_what_points_at_the_gazetteer() -> None:
    from notegraph.units import (
        HeldLinks,
        HeldLinksDropped,
        compact_links,
        gazetteer_iris,
        new_gazetteer_steps,
    )

    ng, org = "https://w3id.org/notegraph/ontology#", "https://w3id.org/notegraph/id/org/"
    event, srb = "https://w3id.org/notegraph/id/event/e", "https://w3id.org/notegraph/id/state/SRB"
    minted = org + "srb-ministry-of-defence"
    links = ((event, ng + "involves", minted), (event, ng + "involves", srb),
             (event, ng + "represented", srb), (minted, ng + "partOf", srb),
             (event, ng + "sameSeriesAs", event + "2"))
    assert srb in gazetteer_iris() and org + "osce" in gazetteer_iris()
    other = (event + "-other", ng + "involves", srb)  # an event with no joining triple
    kept, held = compact_links(links + (other,), gazetteer_iris())
    assert kept == (links[0], links[3], links[4])
    assert HeldLinks([held]).of({event}) == {links[1], links[2]}
    with pytest.raises(HeldLinksDropped):  # only that it holds some is kept
        HeldLinks([held]).of({other[0]})
    assert not new_gazetteer_steps([kept])
    # a note that makes a gazetteer entry part of something new: the build takes every link
    novel = (org + "osce", ng + "partOf", org + "un")
    assert new_gazetteer_steps([(novel,)]) == {novel}
    # ... but not when the gazetteer says so too (a note naming a national agency of it)
    assert not new_gazetteer_steps([((org + "guy-mofa", ng + "partOf", srb[:-3] + "GUY"),)])


def test_same_triples_with_literals_and_blank_nodes_where_resources_usually_are() -> None:
    """Literal objects of properties with inverses, symmetric and super-properties (never
    turned round), literal and blank subjects, a cycle of a transitive property, an
    asserted type with super-classes, a reflexive sameAs: owlrl's triples, noise removed."""
    from rdflib import OWL, RDF, BNode, Graph, Literal, Namespace

    from notegraph.namespaces import NG

    data_id = Namespace("https://w3id.org/notegraph/id/")
    graph = Graph()
    for triple in [(data_id.e, NG.host, Literal("Host as text")),
                   (data_id.e, NG.acronym, Literal("ABC")),
                   (data_id.o, NG.acronym, Literal("XYZ", lang="en")),
                   (data_id.e, NG.sameSeriesAs, Literal("series")),
                   (data_id.e2, NG.sameSeriesAs, data_id.e),
                   (BNode("b1"), NG.participant, data_id.s),
                   (data_id.e, NG.participant, BNode("b2")),
                   (data_id.c, NG.partOf, data_id.b), (data_id.b, NG.partOf, data_id.c),
                   (data_id.e, NG.organiser, data_id.c), (data_id.x, RDF.type, NG.Host),
                   (data_id.e, OWL.sameAs, data_id.e),
                   (Literal("lit"), NG.partOf, data_id.y), (data_id.y, NG.partOf, data_id.w),
                   (Literal("lit2"), NG.host, data_id.z),
                   (data_id.e, NG.involves, Literal("lit"))]:
        graph.add(triple)
    fast = set(reason(graph, backend="fast"))
    assert fast == set(reason(graph, backend="owlrl"))
    assert (data_id.x, RDF.type, NG.Organiser) in fast
    assert (data_id.c, NG.partOf, data_id.c) in fast  # the cycle closes on itself
    assert not any(isinstance(s, Literal | BNode) for s, _p, _o in fast)
