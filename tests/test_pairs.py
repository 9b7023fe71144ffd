"""Pair counts: the counts the build writes give the rows the counting query gave, for any range
of years, with and without reasoning (that they stay equal to a clean build's after notes are
added, changed or removed is tested with the other derived counts, in test_derived.py)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from notegraph.build import GRAPH_DERIVED, ID, NG, SCHEMA
from notegraph.pairs import PAIRS_GRAPH, note_part, pair_graphs
from notegraph.queries import load_catalogue
from notegraph.sparql import LocalEngine

# state-pairs as it was before the derived counts: counting every event at query time. Kept as
# the oracle of the query that reads the cumulative counts.
COUNTING_STATE_PAIRS = """
PREFIX ng: <https://w3id.org/notegraph/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?from_year ?to_year ?state ?other (COUNT(DISTINCT ?event) AS ?events)
WHERE {
  { SELECT DISTINCT ?event ?year ?state WHERE {
      ?a a ng:State ; skos:notation ?state .
      ?event ng:represented|ng:participant|ng:remoteParticipant|ng:observer
             |ng:host|ng:organiser ?a .
      { SELECT ?event ?year WHERE {
          ?event ng:describedBy ?note .
          { SELECT ?event ?start WHERE { ?event schema:startDate ?start } }
          BIND (xsd:integer(SUBSTR(STR(?start), 1, 4)) AS ?year) } }
  } }
  FILTER (?year >= COALESCE(?from_year, 0))
  FILTER (?year <= COALESCE(?to_year, 9999))
  { SELECT DISTINCT ?event ?other WHERE {
      ?b a ng:State ; skos:notation ?other .
      ?event ng:represented|ng:participant|ng:remoteParticipant|ng:observer
             |ng:host|ng:organiser ?b .
  } }
  FILTER (?state < ?other)
}
GROUP BY ?from_year ?to_year ?state ?other
ORDER BY DESC(?events) ?state ?other
"""

RANGES = [(None, None), ("2014", None), (None, "2014"), ("2010", "2030"), ("2015", "2018"),
          ("2016", "2016"), ("2013", "2013"), ("1990", "2009"), ("2018", "2015"), ("-5", "0"),
          ("2012", "123456789")]


def _values(first: str | None, last: str | None) -> dict[str, str]:
    return {name: value for name, value in (("from_year", first), ("to_year", last)) if value}


@pytest.mark.parametrize("reasoning", [True, False], ids=["reasoning", "no-reasoning"])
@pytest.mark.parametrize("years", RANGES, ids=lambda years: f"{years[0]}-{years[1]}")
def test_state_pairs_gives_the_rows_of_counting_every_event(
        dev_store: Path, years: tuple, reasoning: bool) -> None:
    query = load_catalogue()["state-pairs"]
    oracle = dataclasses.replace(query, text=COUNTING_STATE_PAIRS, pagination=None)
    engine = LocalEngine(dev_store)
    expected = engine.run(oracle, _values(*years), reasoning).rows
    assert engine.run(query, _values(*years), reasoning).rows == expected
    assert engine.run(query, _values(*years), reasoning, page=1).rows == expected[:100]
    if years in ((None, None), ("2015", "2018")):
        assert len(expected) > 100  # so that the page is a cut


def test_reasoning_counts_a_state_through_its_agency(dev_store: Path) -> None:
    query = load_catalogue()["state-pairs"]
    engine = LocalEngine(dev_store)
    counts = {}
    for reasoning in (True, False):
        rows = engine.run(query, {}, reasoning).rows
        counts[reasoning] = {(str(a), str(b)): n.toPython() for _f, _t, a, b, n in rows}
    assert counts[True][("DEU", "USA")] == counts[False][("DEU", "USA")] + 1
    assert set(counts[False]) < set(counts[True])


def test_two_notes_of_one_event_count_it_once() -> None:
    event = URIRef(f"{ID}event/e1")
    srb, mne = URIRef(f"{ID}state/SRB"), URIRef(f"{ID}state/MNE")
    dated = (event, SCHEMA.startDate, Literal("2013-05-09"))
    first = note_part([(event, NG.describedBy, URIRef("urn:n1")), dated, (event, NG.host, srb),
                       (event, NG.participant, mne)], [])
    second = note_part([(event, NG.describedBy, URIRef("urn:n2")), dated,
                        (event, NG.participant, mne), (event, NG.observer, srb)], [])
    text = pair_graphs([first, second], [])[f"{PAIRS_GRAPH}/2012-2015/MNE"][1]()
    assert '"MNESRB10111"' in text


def test_what_reasoning_adds_is_kept_apart() -> None:
    event, agency = URIRef(f"{ID}event/e1"), URIRef(f"{ID}org/deu-bafa")
    deu, srb = URIRef(f"{ID}state/DEU"), URIRef(f"{ID}state/SRB")
    part = note_part([(event, NG.describedBy, URIRef("urn:n1")), (event, NG.host, srb),
                      (event, NG.participant, agency),
                      (event, SCHEMA.startDate, Literal("2013-05-09"))],
                     [(event, NG.represented, deu), (event, NG.represented, srb)])
    assert part.inferred_states == ((str(event), "DEU"),)
    graphs = pair_graphs([part], [])
    assert f"{PAIRS_GRAPH}/2012-2015/DEU" not in graphs
    inferred = graphs[f"{GRAPH_DERIVED}/inferred/pairs/2012-2015/DEU"][1]()
    assert inferred == (f"<{ID}pair/DEU-SRB/inferred> <{ID}years/2012-2015> "
                        '"DEUSRB10111" .\n')


