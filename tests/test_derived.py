"""Derived data: the counts the build writes give the rows the counting queries gave, and stay
equal to a clean build's after notes are added, changed or removed."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

from notegraph.derived import GRAPH_DERIVED, event_counts
from notegraph.pipeline import build
from notegraph.queries import load_catalogue
from notegraph.sparql import LocalEngine

NOTES = Path(__file__).parents[1] / "data" / "notes"
LOME = "2014-06-lome-unrec-portuguese-speaking-reporting-workshop.txt"

# organisations-by-kind as it was before the derived counts: counting every event at query
# time. Kept as the oracle of the query that reads ng:eventCount.
COUNTING_ORGANISATIONS_BY_KIND = """
PREFIX ng: <https://w3id.org/notegraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?kind ?organisation ?name ?orgKind ?partOf (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  VALUES ?class { ng:Organisation ng:NationalAgency }
  ?organisation a ?class .
  OPTIONAL { ?organisation ng:organisationKind ?declared }
  BIND (COALESCE(?declared, IF(?class = ng:NationalAgency, "national-agency", "unknown"))
        AS ?orgKind)
  FILTER (COALESCE(?kind, ?orgKind) = ?orgKind)
  ?organisation rdfs:label ?name .
  OPTIONAL { ?organisation ng:partOf|org:subOrganizationOf ?parent .
             FILTER NOT EXISTS { ?organisation ng:partOf|org:subOrganizationOf ?middle .
                                 ?middle ng:partOf|org:subOrganizationOf ?parent } }
  BIND (STRAFTER(STR(?parent), "/id/") AS ?partOf)
  ?event ng:host|ng:organiser|ng:supporter|ng:funder|ng:participant|ng:remoteParticipant
         |ng:observer ?organisation .
  { SELECT ?event WHERE { ?event ng:describedBy ?note } }
}
GROUP BY ?kind ?organisation ?name ?orgKind ?partOf
ORDER BY ?orgKind DESC(?events) ?name
"""


def _derived(store: Path) -> set[str]:
    """The lines of every derived graph (the organisations' counts and the pair counts), each
    with its graph."""
    from notegraph.store import iter_graph_texts

    prefix = str(GRAPH_DERIVED)
    return {f"{line} <{graph}>" for graph, text in iter_graph_texts(store)
            if graph.startswith(prefix) for line in text.splitlines()}


def test_two_notes_of_one_event_count_it_once() -> None:
    first = (("urn:event/1", "urn:org/a"), ("urn:event/2", "urn:org/a"))
    second = (("urn:event/1", "urn:org/a"), ("urn:event/1", "urn:org/b"))
    assert event_counts([first, second]) == {"urn:org/a": 2, "urn:org/b": 1}


@pytest.mark.parametrize("reasoning", [True, False], ids=["reasoning", "no-reasoning"])
@pytest.mark.parametrize("kind", [None, "un-body", "national-agency", "regional-organisation"])
def test_organisations_by_kind_gives_the_rows_of_counting_every_event(
        dev_store: Path, kind: str | None, reasoning: bool) -> None:
    query = load_catalogue()["organisations-by-kind"]
    oracle = dataclasses.replace(query, text=COUNTING_ORGANISATIONS_BY_KIND)
    values = {"kind": kind} if kind else {}
    engine = LocalEngine(dev_store)
    expected = engine.run(oracle, values, reasoning).rows
    assert expected
    assert engine.run(query, values, reasoning).rows == expected


@pytest.mark.parametrize("dropped", [
    "Organisation for the Prohibition of Chemical Weapons (OPCW) (via video link); ",
    "Guinea-Bissau; ",  # from the list of participating States: pair counts change
], ids=["an organisation", "a State"])
def test_derived_counts_after_adding_changing_and_removing_notes_are_a_clean_builds(
        tmp_path: Path, dropped: str) -> None:
    notes = tmp_path / "notes"
    shutil.copytree(NOTES, notes)
    out = tmp_path / "out"
    held_back = (notes / LOME).read_bytes()
    (notes / LOME).unlink()
    build(notes, out, exports=())
    without = _derived(out / "store")

    (notes / LOME).write_bytes(held_back)
    build(notes, out, exports=())
    added = _derived(out / "store")
    assert added != without
    assert added == _fresh_derived(notes, tmp_path / "fresh-added")

    assert dropped in held_back.decode("utf-8")
    (notes / LOME).write_text(held_back.decode("utf-8").replace(dropped, ""), encoding="utf-8")
    build(notes, out, exports=())
    changed = _derived(out / "store")
    assert changed not in (added, without)
    assert changed == _fresh_derived(notes, tmp_path / "fresh-changed")

    (notes / LOME).unlink()
    build(notes, out, exports=())
    assert _derived(out / "store") == without


def _fresh_derived(notes: Path, out: Path) -> set[str]:
    build(notes, out, exports=())
    return _derived(out / "store")
