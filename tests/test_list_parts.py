"""Lists read part by part and remembered give what reading each list whole gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from notegraph import actors, gazetteer, list_cuts, parse_file
from notegraph.list_parts import ListMemo
from notegraph.text import Passage

from conftest import EXTRA, NOTES

LISTS = [
    "Korea, Republic of, Chile",  # a name across a comma
    "Serbia, Chile, and Peru",  # an "and" with nothing before it in its part
    "Trinidad and Tobago and Chile",
    "Bosnia and Herzegovina, Serbia and Montenegro, Serbia",
    "Saint Vincent and the Grenadines, Chile and the Netherlands",
    "the Ministry of Health of the Republic of Moldova and Serbia",
    "Serbia (remote), Chile (observer) and the IAEA (host)",
    "Members of Parliament from Serbia, Chile and Peru",
    "Representatives and experts from Serbia and Chile",
    "United Nations Office on Drugs and Crime (UNODC), OSCE, CPC of the OSCE",
    "OSCE CPC, FSC Support Section, Chile",
    "Ministry of Foreign Affairs, Ministry of Defence and the National Police",
    "Albania; Serbia, Montenegro; Chile and Peru",
    "Chile (a, b; c), Peru and (remote) Serbia",
    "Serbia (remote, Chile and Peru",
    "Serbia,, Chile , ; Peru,",
    "Serbia  and  Chile,  Peru ",
    "Attorney General's Chambers and Ministry of Legal Affairs; Serbia",
    "Tsinghua University and the University of Cape Town, Chile",
    " and Chile, Peru",
    "Chile and, Peru",
    "Serbia Slovenia, Chile Peru and Austria",
    "IAEA and OPCW as well as the WHO & UNODA, Chile",
    "World Customs Organization (WCO) and the Regional Centre for Peace and Disarmament in Africa",
    "Government of Albania, the Government of Chile (host), Canada and Denmark",
]


@pytest.fixture
def whole(monkeypatch: pytest.MonkeyPatch):
    """Every list read whole, as before lists were read part by part."""
    monkeypatch.setattr(actors, "_MEMO", _NeverParts())


class _NeverParts:
    def entries(self, *_arguments: object) -> None:
        return None


def _read(text: str, context: str | None = None, mode: str = "in-person",
          explicit: bool = False) -> list[dict]:
    found = actors.resolve_list(Passage(text), gazetteer.load(), context, mode, explicit)
    return [actor.to_dict() for actor in found]


SETTINGS = [(None, "in-person", False), ("CHL", "in-person", False), ("CHL", "observer", True)]


@pytest.mark.parametrize("text", LISTS)
def test_parts_read_as_the_whole_list(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    memo = ListMemo(actors._read, list_cuts.and_splits, list_cuts.AND_SEPARATOR,
                    actors._may_describe)
    monkeypatch.setattr(actors, "_MEMO", memo)
    by_parts = [[_read(text, *settings) for settings in SETTINGS] for _time in range(2)]
    monkeypatch.setattr(actors, "_MEMO", _NeverParts())
    whole = [_read(text, *settings) for settings in SETTINGS]
    assert by_parts == [whole, whole]  # the second time from remembered readings


def test_a_part_that_could_run_on_is_read_with_its_list() -> None:
    memo = ListMemo(actors._read, list_cuts.and_splits, list_cuts.AND_SEPARATOR,
                    actors._may_describe)
    context = (None, False)
    assert memo.entries("Korea, Republic of", gazetteer.load(), context) is None
    assert memo.entries("Serbia, Chile, and Peru", gazetteer.load(), context) is None
    assert [actor.id for _begin, _separator, actor in memo.entries(
        "Chile, Peru and Serbia", gazetteer.load(), context)] == ["CHL", "PER", "SRB"]


def _records(folder: Path) -> list[dict]:
    return [parse_file(path).to_dict() for path in sorted(folder.glob("*.txt"))]


@pytest.mark.parametrize("folder", [NOTES, EXTRA], ids=["data-notes", "notes-extra"])
def test_notes_parse_as_with_whole_lists(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    by_parts = _records(folder)
    monkeypatch.setattr(actors, "_MEMO", _NeverParts())
    assert by_parts == _records(folder)
