"""Stored queries on the built-in notes: expected rows checked by hand against the notes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from notegraph.queries import (
    ParameterError,
    bind_parameters,
    load_catalogue,
    sparql_term,
    with_values,
)
from notegraph.sparql import LocalEngine

ID = "https://w3id.org/notegraph/id/"
BELGRADE_2013 = "2013-05-09-belgrade-regional-workshop"


@pytest.fixture(scope="module")
def engine(dev_store: Path) -> LocalEngine:
    return LocalEngine(dev_store)


def run(engine: LocalEngine, name: str, reasoning: bool = True, **values: str):
    return engine.run(load_catalogue()[name], values, reasoning).to_dataframe()


def short(value: str) -> str:
    return value.removeprefix(ID)


def test_events_in_a_year_range(engine) -> None:
    frame = run(engine, "events", from_year="2016", to_year="2016")
    assert list(frame["city"]) == ["San José", "Vienna"]
    assert len(run(engine, "events")) == 10


def test_event_participants(engine) -> None:
    frame = run(engine, "event-participants", event=BELGRADE_2013)
    assert (frame["kind"] == "state").sum() == 7
    assert (frame["kind"] == "organisation").sum() == 13
    modes = dict(zip(frame["actor"].map(short), frame["mode"], strict=True))
    assert modes["org/bwc-isu"] == "remote" and modes["state/SRB"] == "in-person"


def test_state_events_need_reasoning_for_agencies(engine) -> None:
    frame = run(engine, "state-events", state="Germany")
    how = dict(zip(frame["event"].map(short), frame["how"], strict=True))
    assert len(how) == 5
    assert how[f"event/{BELGRADE_2013}"] == "through an agency or sub-unit"
    without = run(engine, "state-events", reasoning=False, state="DEU")
    assert f"{ID}event/{BELGRADE_2013}" not in set(without["event"])
    assert len(without) == 4


def test_state_pairs(engine) -> None:
    frame = run(engine, "state-pairs")
    counts = {(a, b): n for a, b, n in zip(frame["state"], frame["other"], frame["events"],
                                           strict=True)}
    assert counts[("MNE", "SRB")] == 3
    assert counts[("DEU", "USA")] == 5
    rows = list(zip(frame["events"], frame["state"], frame["other"], strict=True))
    assert rows == sorted(rows, key=lambda row: (-row[0], row[1], row[2])) and len(rows) > 50
    later = run(engine, "state-pairs", from_year="2014")
    assert dict(zip(zip(later["state"], later["other"], strict=True), later["events"],
                    strict=True))[("DEU", "USA")] == 4
    plain = run(engine, "state-pairs", reasoning=False)
    assert dict(zip(zip(plain["state"], plain["other"], strict=True), plain["events"],
                    strict=True))[("DEU", "USA")] == 4


def test_organisations_by_kind(engine) -> None:
    frame = run(engine, "organisations-by-kind", kind="regional-organisation")
    ids = set(frame["organisation"].map(short))
    assert {"org/osce", "org/asean", "org/ecowas", "org/eu"} <= ids
    assert "org/iaea" not in ids
    assert set(frame["orgKind"]) == {"regional-organisation"}


def test_topics(engine) -> None:
    frame = run(engine, "topics-per-year")
    rows = set(zip(frame["year"], frame["topic"].map(short), frame["events"], strict=True))
    assert (2013, "topic/biosecurity", 1) in rows
    on_topic = run(engine, "events-on-topic", topic="Biosecurity and biosafety")
    assert f"{ID}event/{BELGRADE_2013}" in set(on_topic["event"])


def test_recommendations(engine) -> None:
    frame = run(engine, "recommendations")
    per_event = frame.groupby(frame["event"].map(short)).size().to_dict()
    assert per_event["event/2015-05-21-georgetown-national-round-table-guyana"] == 6
    assert len(frame) == 6 + 5 + 5 + 4 + 2  # Georgetown, Abidjan, San José, Addis, 2 attached
    attached = frame[frame["attached"]]
    assert set(attached["event"].map(short)) == {
        f"event/{BELGRADE_2013}",
        "event/2014-11-20-wiesbaden-third-wiesbaden-conference-industry"}


def test_series_and_follow_ups(engine) -> None:
    frame = run(engine, "series-and-follow-ups")
    rows = set(zip(frame["event"].map(short), frame["relation"], frame["other"].map(short),
                   strict=True))
    assert ("event/2015-05-26-belgrade-second-meeting-osce-points", "earlier in series",
            "event/2014-04-10-vienna") in rows
    assert (f"event/{BELGRADE_2013}", "follow-up of", "event/2010-06-14-split") in rows
    assert ("event/2015-05-26-belgrade-second-meeting-osce-points", "same series as",
            "event/2014-04-10-vienna") in rows
    plain = run(engine, "series-and-follow-ups", reasoning=False)
    assert "same series as" not in set(plain["relation"])


def test_participation_edges(engine) -> None:
    frame = run(engine, "participation-edges")
    belgrade = frame[frame["event"] == f"{ID}event/{BELGRADE_2013}"]
    roles = belgrade.groupby(belgrade["actor"].map(short))["role"].agg(set).to_dict()
    assert roles["state/SRB"] >= {"host", "organiser", "participant"}  # host ⊑ organiser ⊑ ...
    assert roles["state/DEU"] == {"represented"}  # through BAFA
    assert roles["org/osce-cpc"] == {"supporter"}
    plain = run(engine, "participation-edges", reasoning=False)
    plain_belgrade = plain[plain["event"] == f"{ID}event/{BELGRADE_2013}"]
    assert f"{ID}state/DEU" not in set(plain_belgrade["actor"])
    assert set(plain_belgrade[plain_belgrade["actor"] == f"{ID}state/SRB"]["role"]) == {
        "host", "participant"}


def test_event_topics(engine) -> None:
    frame = run(engine, "event-topics")
    belgrade = set(frame[frame["event"] == f"{ID}event/{BELGRADE_2013}"]["topic"])
    # "Bio-security", "Regional cooperation", action plans and assistance programmes
    assert {"Biosecurity and biosafety", "Regional cooperation",
            "National implementation action plans", "Assistance and capacity building"} <= belgrade


def test_first_co_attendance(engine) -> None:
    frame = run(engine, "first-co-attendance", state="Serbia", other="Montenegro")
    assert list(frame["event"].map(short)) == [f"event/{BELGRADE_2013}"]


def test_hosts(engine) -> None:
    frame = run(engine, "hosts-and-supporters", role="host")
    assert len(frame) == 7
    assert set(frame["role"]) == {"host"}
    funders = run(engine, "hosts-and-supporters", role="funder")
    assert "Kingdom of the Netherlands" in set(funders["name"])


def test_people(engine) -> None:
    frame = run(engine, "people")
    assert len(frame) == 7
    row = frame[frame["name"] == "Ilona Marković"].iloc[0]
    assert (row["title"], row["affiliation"]) == ("Ms.", "FSC Support Section")


def test_provenance_lines(engine) -> None:
    frame = run(engine, "provenance", event=BELGRADE_2013, actor=f"{ID}state/SRB")
    rows = set(zip(frame["role"], frame["asWritten"], frame["line"], frame["file"], strict=True))
    assert rows == {("host", "Republic of Serbia", 7, "000_ce1ffb009a01f4c0.txt"),
                    ("participant", "Serbia", 15, "000_ce1ffb009a01f4c0.txt")}


def test_remote_attendance(engine) -> None:
    frame = run(engine, "remote-attendance")
    rows = set(zip(frame["mode"], frame["actor"].map(short), strict=True))
    assert rows == {("remote", "org/bwc-isu"), ("observer", "state/BRA"), ("remote", "org/opcw"),
                    ("remote", "org/1540-goe"), ("observer", "state/MEX")}


def test_national_agencies(engine) -> None:
    frame = run(engine, "national-agencies", state="United States of America")
    counts = dict(zip(frame["agency"].map(short), frame["events"], strict=True))
    assert counts == {"org/usa-dos": 1, "org/usa-nnsa": 2, "org/usa-bis": 1, "org/usa-exbs": 1}


def test_events_in_country(engine) -> None:
    frame = run(engine, "events-in-country", state="SRB")
    assert list(frame["start"]) == ["2013-05-09", "2015-05-26"]


def test_state_subgraph_construct(engine) -> None:
    result = engine.run(load_catalogue()["state-subgraph"], {"state": "Belarus"})
    graph = result.graph
    moh, belarus = URIRef(f"{ID}org/blr-moh"), URIRef(f"{ID}state/BLR")
    ng = "https://w3id.org/notegraph/ontology#"
    assert (URIRef(f"{ID}event/{BELGRADE_2013}"), URIRef(f"{ng}participant"), moh) in graph
    assert (moh, URIRef(f"{ng}partOf"), belarus) in graph
    assert (URIRef(f"{ID}event/2015-05-26-belgrade-second-meeting-osce-points"),
            URIRef(f"{ng}participant"), belarus) in graph


def test_unresolved_names_with_their_line(tmp_path: Path) -> None:
    from notegraph.pipeline import build

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "odd.txt").write_text("Event: Workshop on X\nOrganiser: UNODA\n"
                                   "Date and Venue: 9-10 May 2013, Belgrade, Serbia\n"
                                   "Participants: Albania, Zorblax Institute for Things\n",
                                   encoding="utf-8")
    build(notes, tmp_path / "out")
    frame = run(LocalEngine(tmp_path / "out" / "store"), "unresolved-names")
    assert list(zip(frame["file"], frame["line"], frame["name"], strict=True)) == [
        ("odd.txt", 4, "Zorblax Institute for Things")]


def test_every_query_has_a_test_here() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    for name in load_catalogue():
        assert f'"{name}"' in text, name


@pytest.mark.parametrize("value", ['x" } UNION { ?s ?p ?o } #', "back\\slash", "brace}{",
                                   "new\nline", "<urn:evil>", "Côte d'Ivoire", "Türkiye"])
def test_string_parameters_are_terms_not_text(engine, value: str) -> None:
    frame = run(engine, "hosts-and-supporters", role=value)
    assert len(frame) == 0
    bound = bind_parameters(load_catalogue()["hosts-and-supporters"], {"role": value})
    assert bound == {"role": Literal(value)}
    original = load_catalogue()["hosts-and-supporters"].text
    text = with_values(original, bound)
    block = f"\n  VALUES (?role) {{ ({sparql_term(Literal(value))}) }}\n"
    assert text.replace(block, "", 1) == original
    assert "\n" not in sparql_term(Literal(value))


def test_state_parameters_accept_names_and_codes() -> None:
    query = load_catalogue()["state-events"]
    assert bind_parameters(query, {"state": "Côte d'Ivoire"})["state"] == URIRef(f"{ID}state/CIV")
    assert bind_parameters(query, {"state": "Türkiye"})["state"] == URIRef(f"{ID}state/TUR")
    assert bind_parameters(query, {"state": "tur"})["state"] == URIRef(f"{ID}state/TUR")
    with pytest.raises(ParameterError, match="did you mean.*Serbia"):
        bind_parameters(query, {"state": "Serbiaa"})
    with pytest.raises(ParameterError, match="not a State"):
        bind_parameters(query, {"state": "x} UNION {"})


def test_iri_parameters_reject_injection() -> None:
    query = load_catalogue()["provenance"]
    with pytest.raises(ParameterError, match="not an absolute IRI"):
        bind_parameters(query, {"event": BELGRADE_2013, "actor": "<urn:a> } UNION { ?s ?p ?o"})
    with pytest.raises(ParameterError, match="no parameter"):
        bind_parameters(query, {"nope": "1"})


def test_final_order_by_is_split_off_only_when_plain() -> None:
    from notegraph.queries import split_order

    assert split_order("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s DESC(?o)\n")[1] == (
        ("s", False), ("o", True))
    for text in ("SELECT * WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 1",
                 "SELECT * WHERE { ?s ?p ?o } ORDER BY STR(?s)",
                 "SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } ORDER BY ?s } }"):
        assert split_order(text) == (text, ())


@pytest.mark.parametrize("name", ["participation-edges", "hosts-and-supporters",
                                  "organisations-by-kind", "recommendations"])
def test_local_order_is_oxigraphs_order(engine, name: str) -> None:
    from notegraph.queries import split_order
    from notegraph.sparql import _local_result, _without_comments
    from notegraph.store import query_options

    query = load_catalogue()[name]
    text = _without_comments(query.text)
    keys = [column for column, _ in split_order(text)[1]]
    by_oxigraph = _local_result(engine.store.query(text, **query_options(reasoning=True)))
    ours = engine.run(query, {})
    columns = [by_oxigraph.variables.index(column) for column in keys]
    assert ([tuple(row[i] for i in columns) for row in ours.rows]
            == [tuple(row[i] for i in columns) for row in by_oxigraph.rows])
