"""A list's text → its items: cut at separators outside names and parentheses.

A list such as "UNODA, Ministry of Public Health of the Republic of Belarus (Republican Research
Centre), Serbia and Slovenia" is cut at its commas (at its semicolons when it has one outside
parentheses and names) and at the "and"s next to a known name or between two institutions; names
run together where a PDF line break lost the comma ("Serbia Slovenia") are cut apart.

>>> from notegraph import gazetteer
>>> text = "UNODA, the Ministry of Health (Serbia) and Chile"
>>> tokens, mentions = gazetteer.load().scan(text)
>>> items, _leans = cut_items(text, 0, tokens, mentions)
>>> [(text[item.begin:item.end], item.separator, item.notes) for item in items]
[('UNODA', '', []), (' the Ministry of Health (Serbia)', ',', ['Serbia']), ('Chile', 'and', [])]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notegraph.gazetteer import Gazetteer, Mention, Token
from notegraph.text import parenthesised

AGENCY_WORDS = re.compile(
    r"\b(?:ministry|ministries|department|office|agency|authority|board|commission|council|"
    r"force|forces|police|customs|assembly|parliament|senate|congress|university|institute|"
    r"centre|center|chambers?|administration|service|directorate|bureau|committee|army|navy|"
    r"guard|laboratory|inspectorate|secretariat|unit|cabinet|presidency|court|prosecutor|"
    r"attorney|academy|college|school|regulator|regulatory|coast|border|national)\b",
    re.IGNORECASE)
BRACKETED = re.compile(r"\([^()]*\)")
TRAILING_BRACKETS = re.compile(r"(?:\s*\([^()]*\))+\s*$")
SEPARATORS = {True: re.compile(r";"), False: re.compile(r";|,")}
AND_SEPARATOR = re.compile(r"\s(?:and|as well as|&)\s+(?:also\s+)?(?:of\s+)?(?:the\s+)?")
SIDE_BREAK = re.compile(r"[,;()]|\sand\s")


@dataclass
class Item:
    """One entry of a list: its text span, the names in it and its annotations."""

    begin: int
    end: int
    separator: str  # what stood before it: "," ";" "and" or ""
    mentions: list[Mention]
    inner_mentions: list[Mention]
    notes: list[str]
    brackets: list[tuple[int, int]]


def cut_items(text: str, offset: int, tokens: list[Token], mentions: list[Mention],
           semicolons: bool | None = None) -> tuple[list[Item], bool]:
    """Cut the list at top-level separators outside names and parentheses; and whether an "and"
    had nothing before it (its reading then depends on the text before ``text``)."""
    if ";" not in text and "," not in text and not AND_SEPARATOR.search(text):
        whole = text[offset:].strip(" .,;:")  # one item, or none
        return ([make_item(text, offset, len(text), "", mentions)] if whole else []), False
    covered = _covered(text, mentions)
    if semicolons is None:
        semicolons = any(not covered[i] for i in _positions(text, ";"))
    cuts: list[tuple[int, int, str]] = []
    leans_left = False
    for begin, end, kind in _separators(text, semicolons):
        if begin < offset or covered[begin]:
            continue
        if kind == "and":
            leans_left = leans_left or not _before(text, begin)
            if not and_splits(text, begin, end, mentions, semicolons):
                continue
        cuts.append((begin, end, kind))
    items, start, separator = [], offset, ""
    for begin, end, kind in cuts + [(len(text), len(text), "")]:
        if text[start:begin].strip(" .,;:"):
            items.append(make_item(text, start, begin, separator, mentions))
        start, separator = end, kind
    return items, leans_left


def split_adjacent(text: str, item: Item, gazetteer: Gazetteer) -> list[Item]:
    """Names run together where a PDF line break lost the comma: "Serbia Slovenia"."""
    cuts = []
    for first, second in zip(item.mentions, item.mentions[1:], strict=False):
        between = text[first.end:second.begin]
        if "(" in between:
            between = BRACKETED.sub("", between)
        if between.strip() or "demonym" in (first.kind, second.kind):
            continue
        if {first.kind, second.kind} == {"organisation"} and _related(first.id, second.id,
                                                                      gazetteer):
            continue
        cuts.append(second.begin)
    if not cuts:
        return [item]
    bounds = [item.begin] + cuts + [item.end]
    return [make_item(text, begin, end, item.separator if begin == item.begin else ",",
                       item.mentions + item.inner_mentions)
            for begin, end in zip(bounds, bounds[1:], strict=False)]


def _related(first: str, second: str, gazetteer: Gazetteer) -> bool:
    return first in gazetteer.ancestors(second) or second in gazetteer.ancestors(first)


def _covered(text: str, mentions: list[Mention]) -> bytearray:
    """Which characters sit inside a known name or inside parentheses (1 for those), from an
    opening parenthesis to its closing one, or to the end when it is not closed.

    >>> list(_covered("a (b) c", []))
    [0, 0, 1, 1, 1, 0, 0, 0]
    """
    covered = parenthesised(text) if "(" in text else bytearray(len(text) + 1)
    for mention in mentions:
        covered[mention.begin:mention.end] = b"\x01" * (mention.end - mention.begin)
    return covered


def _positions(text: str, character: str) -> list[int]:
    """Every place of one character in a text."""
    found, position = [], text.find(character)
    while position >= 0:
        found.append(position)
        position = text.find(character, position + 1)
    return found


def _separators(text: str, semicolons: bool) -> list[tuple[int, int, str]]:
    found = [(m.start(), m.end(), m.group()) for m in SEPARATORS[semicolons].finditer(text)]
    found += [(m.start(), m.end(), "and") for m in AND_SEPARATOR.finditer(text)]
    return sorted(found)


def and_splits(text: str, begin: int, end: int, mentions: list[Mention],
                semicolons: bool) -> bool:
    """ "X and Y" splits when a known name ends right before it or starts right after it, and
    in a comma list when both sides name institutions ("Tsinghua University and the University
    of Cape Town"); a semicolon or bullet item such as "Attorney General's Chambers and Ministry
    of Legal Affairs" stays whole."""
    if not semicolons and _institution_sides(text, begin, end):
        return True
    before = _before(text, begin)
    ends_before = any(m.end >= len(before) - 1 and m.end <= begin + 1 for m in mentions)
    starts_after = any(m.begin == end for m in mentions)
    return ends_before or starts_after


def _before(text: str, begin: int) -> str:
    """The text before an "and", without the blanks and parentheses that end it."""
    before = text[:begin].rstrip()
    if before.endswith(")"):
        before = TRAILING_BRACKETS.sub("", text[:begin]).rstrip()
    return before


def _institution_sides(text: str, begin: int, end: int) -> bool:
    left = SIDE_BREAK.split(text[:begin])[-1]
    right = SIDE_BREAK.split(text[end:])[0]
    return (bool(AGENCY_WORDS.search(left)) and bool(AGENCY_WORDS.search(right))
            and right[:1].isupper() and len(left.split()) >= 2 and len(right.split()) >= 2)


def make_item(text: str, begin: int, end: int, separator: str,
               mentions: list[Mention]) -> Item:
    inside = [m for m in mentions if m.begin >= begin and m.end <= end]
    part = text[begin:end]
    brackets = [(m.start() + begin, m.end() + begin)
                for m in BRACKETED.finditer(part)] if "(" in part else []
    if not brackets:
        return Item(begin, end, separator, inside, [], [], brackets)
    outer = [m for m in inside if not any(b <= m.begin < e for b, e in brackets)]
    inner = [m for m in inside if m not in outer]
    notes = [text[b + 1: e - 1].strip() for b, e in brackets]
    return Item(begin, end, separator, outer, inner, notes, brackets)
