"""Parser behaviour on the seeds, the dev notes and small hand-written notes."""

from __future__ import annotations

from pathlib import Path

import pytest

from notegraph import parse_file, parse_text

HEADER = "Event: Workshop on X\nDate and Venue: 9-10 May 2013, Belgrade, Serbia\n"


@pytest.fixture(scope="module")
def seed_2013(notes_dir: Path):
    return parse_file(notes_dir / "000_ce1ffb009a01f4c0.txt")


@pytest.fixture(scope="module")
def seed_2015(notes_dir: Path):
    return parse_file(notes_dir / "001_cb52ca95894b248a.txt")


def _by_id(actors):
    return {a.id: a for a in actors}


def test_national_agencies_and_sub_units(seed_2013) -> None:
    participants = _by_id(seed_2013.participants)
    assert participants["deu-bafa"].part_of == "DEU"
    assert participants["usa-dos"].part_of == "USA"
    assert participants["blr-moh"].part_of == "BLR"
    university = [a for a in seed_2013.participants if "University" in a.name]
    assert [(a.name, a.part_of) for a in university] == [("Serbian University of Defense", "SRB")]
    organisers = _by_id(seed_2013.organisers)
    assert (organisers["osce-cpc"].part_of, organisers["osce-cpc"].role) == ("osce", "supporter")
    assert organisers["SRB"].role == "host"


def test_attendance_modes(seed_2013, notes_dir: Path) -> None:
    assert _by_id(seed_2013.participants)["bwc-isu"].mode == "remote"
    lome = parse_file(notes_dir / "2014-06-lome-unrec-portuguese-speaking-reporting-workshop.txt")
    modes = {a.id: a.mode for a in lome.participants}
    assert (modes["BRA"], modes["opcw"], modes["AGO"]) == ("observer", "remote", "in-person")


def test_objectives_topics_and_attachment(seed_2013) -> None:
    assert len(seed_2013.objectives) == 1
    assert seed_2013.objectives[0].startswith("To exchange national experiences")
    assert set(seed_2013.topics) >= {"national-action-plans", "assistance", "biosecurity",
                                     "regional-cooperation"}
    assert seed_2013.recommendations == ()
    assert seed_2013.recommendations_attached is True
    assert seed_2013.urls == (
        "http://www.un.org/en/sc/1540/national-implementation/pdf/Serbia_action-plan.pdf",)


def test_related_event_with_title(seed_2013) -> None:
    (event,) = seed_2013.related_events
    assert event.title.startswith("Workshop on Implementing Security Council Resolution 1540")
    assert (event.start_date, event.end_date, event.city, event.country, event.relation) == (
        "2010-06-14", "2010-06-17", "Split", "HRV", "follow-up-of")


def test_series_people_figures_contact(seed_2015) -> None:
    assert (seed_2015.series_ordinal, seed_2015.series_title) == (
        2, "meeting of the OSCE Points of Contact (PoCs) on UNSCR 1540")
    people = {p.name: p for p in seed_2015.people}
    assert people["Branca Latinovitch"].title == "Ambassador"
    assert people["Branca Latinovitch"].affiliation == "Serbian Ministry of Foreign Affairs"
    assert people["Mathew Geertsen"].title == "Mr."
    assert [(f.count, f.total) for f in seed_2015.figures] == [(23, 51)]
    assert seed_2015.contact == "1540experts@un.org"
    (event,) = seed_2015.related_events
    assert (event.start_date, event.city, event.relation) == ("2014-04-10", "Vienna",
                                                              "earlier-in-series")


@pytest.mark.parametrize(("phrase", "role"), [
    ("with support of", "supporter"),
    ("with the support of", "supporter"),
    ("in cooperation with", "organiser"),
    ("in coordination with", "organiser"),
    ("funded by", "funder"),
    ("with the financial support of", "funder"),
    ("hosted by", "host"),
])
def test_organiser_role_phrases(phrase: str, role: str) -> None:
    record = parse_text(HEADER + f"Organiser: UNODA {phrase} the OPCW\n")
    assert [(a.id, a.role) for a in record.organisers] == [("unoda", "organiser"), ("opcw", role)]


def test_organiser_state_at_the_venue_is_host() -> None:
    record = parse_text(HEADER + "Organiser: Government of Serbia and UNODA; funded by Norway\n")
    assert [(a.id, a.role) for a in record.organisers] == [
        ("SRB", "host"), ("unoda", "organiser"), ("NOR", "funder")]


def test_separate_date_and_venue_lines_and_month_precision() -> None:
    record = parse_text("Event: Meeting\nDate: November 2014\nVenue: Kingston, Jamaica\n")
    assert (record.start_date, record.date_precision) == ("2014-11", "month")
    assert (record.venue.city, record.venue.country) == ("Kingston", "JAM")


def test_declared_count_is_checked() -> None:
    record = parse_text(HEADER + "Organiser: UNODA\n"
                        "Participants: Representatives of three States: Albania, Serbia\n")
    assert any("announces 3 States but lists 2" in w.message for w in record.warnings)


def test_prose_only_note() -> None:
    record = parse_file(Path(__file__).parent / "data" / "prose-only-note.txt")
    assert record.title == "National Workshop on Strategic Trade Controls in Kenya"
    assert (record.start_date, record.end_date) == ("2017-09-12", "2017-09-13")
    assert (record.venue.city, record.venue.country) == ("Nairobi", "KEN")
    assert [(a.id, a.role) for a in record.organisers] == [
        ("KEN", "host"), ("unoda", "organiser"), ("eu", "funder")]
    ids = {a.id: a.part_of for a in record.participants}
    assert ids["iaea"] is None and ids["1540-goe"] is None
    assert [part for part in ids.values() if part] == ["KEN", "KEN"]
    assert [(e.city, e.start_date) for e in record.related_events] == [("Kampala", "2017-03-06")]


def test_text_without_title_or_date_is_an_error() -> None:
    from notegraph.errors import NoteParseError

    with pytest.raises(NoteParseError, match="does not look like an Information Note"):
        parse_text("Just some words.\n", "odd.txt")


def test_declared_count_uses_the_number_before_states() -> None:
    record = parse_text(HEADER + "Organiser: UNODA\n"
                        "Participants: 45 participants from 3 States: Albania, Serbia, Croatia\n")
    assert not any("announces" in w.message for w in record.warnings)
    assert len(record.states) == 3


def test_title_from_the_heading_when_there_is_no_event_label() -> None:
    record = parse_text("Information Note on the Regional Workshop on Export Controls for "
                        "Central Asia\n\nOrganiser: UNODA\n"
                        "Date and Venue: 5-6 May 2015, Almaty, Kazakhstan\n"
                        "Participants: Kazakhstan, Uzbekistan\n")
    assert record.title == "Regional Workshop on Export Controls for Central Asia"
    assert (record.venue.city, record.venue.country) == ("Almaty", "KAZ")


def test_many_notes_are_parsed_in_workers_with_the_same_records_in_order(
        notes_dir: Path, tmp_path: Path) -> None:
    """A folder of more notes than ``PARALLEL_FROM`` goes to worker processes: the records
    are those parsed one by one, in the files' order, and a bad file is an error, not a gap."""
    from notegraph import parse_paths
    from notegraph.parse import note_files
    from notegraph.workers import PARALLEL_FROM

    sources = sorted(notes_dir.glob("*.txt"))
    for number in range(PARALLEL_FROM + 10):
        source = sources[number % len(sources)]
        (tmp_path / f"{number:04d}-{source.name}").write_bytes(source.read_bytes())
    (tmp_path / "0100-broken.txt").write_bytes(b"\x00\x01\x02 not a note")
    result = parse_paths([tmp_path])
    assert [str(error).split(":")[0] for error in result.errors] == [
        str(tmp_path / "0100-broken.txt")]
    one_by_one = [parse_file(path) for path in note_files([tmp_path])
                  if path.name != "0100-broken.txt"]
    assert [r.to_dict() for r in result.records] == [r.to_dict() for r in one_by_one]
