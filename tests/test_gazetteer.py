"""The gazetteer: State name variants, the organisations file, unresolved names kept."""

from __future__ import annotations

import pycountry
import pytest

from notegraph import gazetteer, parse_text
from notegraph.actors import resolve_list
from notegraph.text import Passage

KINDS = {"un-body", "international-organisation", "regional-organisation", "national-agency",
         "ngo", "academia", "industry"}


@pytest.mark.parametrize(("name", "code"), [
    ("The former Yugoslav Republic of Macedonia", "MKD"),
    ("the former Yugoslav Republic of Macedonia", "MKD"),
    ("Bosnia & Herzegovina", "BIH"),
    ("United States (US)", "USA"),
    ("United States of America", "USA"),
    ("Viet Nam", "VNM"),
    ("Lao PDR", "LAO"),
    ("Lao People's Democratic Republic", "LAO"),
    ("Bolivia (Plurinational State of)", "BOL"),
    ("Türkiye", "TUR"),
    ("Turkey", "TUR"),
    ("Holy See", "VAT"),
    ("Kyrgyz Republic", "KGZ"),
    ("Republic of Moldova", "MDA"),
    ("Côte d’Ivoire", "CIV"),
    ("Cote d'Ivoire", "CIV"),
    ("Sao Tome and Principe", "STP"),
    ("São Tomé and Príncipe", "STP"),
    ("Cape Verde", "CPV"),
    ("The Gambia", "GMB"),
    ("Kingdom of the Netherlands", "NLD"),
    ("United Republic of Tanzania", "TZA"),
    ("Democratic Republic of the Congo", "COD"),
    ("Republic of Korea", "KOR"),
    ("Brunei Darussalam", "BRN"),
    ("United Kingdom (UK)", "GBR"),
])
def test_state_variants(name: str, code: str) -> None:
    assert gazetteer.load().state(name) == code


def test_organisations_file_is_consistent() -> None:
    organisations = gazetteer.read_organisations()
    ids = [org.id for org in organisations]
    assert len(ids) == len(set(ids))
    names: dict[str, str] = {}
    for org in organisations:
        assert org.kind in KINDS, org.id
        if org.part_of:
            assert org.part_of in ids or pycountry.countries.get(alpha_3=org.part_of), org.id
        for name in (org.name, org.acronym, *org.other_names):
            if name:
                assert names.setdefault(name.casefold(), org.id) == org.id, name


def test_national_agencies_point_at_their_state() -> None:
    for org in gazetteer.read_organisations():
        if org.kind == "national-agency":
            assert pycountry.countries.get(alpha_3=org.part_of), org.id


def test_acronyms_match_case_sensitively() -> None:
    found = resolve_list(Passage("WHO, and who knows"), gazetteer.load())
    assert [a.id for a in found][:1] == ["who"]
    assert all(a.id != "who" for a in found[1:])


def test_unknown_name_is_kept_and_reported() -> None:
    record = parse_text("Event: Workshop on X\nDate and Venue: 9-10 May 2013, Belgrade, Serbia\n"
                        "Organiser: UNODA\n"
                        "Participants: Albania, Zorblax Institute for Things (ZIT)\n")
    unknown = [a for a in record.participants if a.unresolved]
    assert [(a.name, a.acronym) for a in unknown] == [("Zorblax Institute for Things", "ZIT")]
    assert any("Zorblax" in w.message and w.line == 4 for w in record.warnings)


def test_cities_know_their_country() -> None:
    assert gazetteer.load().city("Addis Ababa") == ("Addis Ababa", "ETH")
    assert gazetteer.load().city("Bogota") == ("Bogotá", "COL")
