"""The layout of a note: labelled header fields, then prose sections.

Header labels come with or without a colon ("Event Regional Workshop ...", "Organizer(s): ...");
a field runs until the next label or the first section heading, across wrapped lines and blank
lines. Participant fields keep their sub-labels ("States:", "Other participants:").

>>> from notegraph.text import clean_lines
>>> lines, _ = clean_lines("Information Note\\n\\nEvent Workshop on X\\n\\n(2004)\\n\\n"
...                        "Participants States: Albania, Serbia\\n\\nBackground\\n\\nIt was held.")
>>> note = split_layout(lines)
>>> note.fields[0].kind, note.fields[0].passage.text
('title', 'Workshop on X (2004)')
>>> note.fields[1].segments[0].label, note.fields[1].segments[0].passage.text
('States', 'Albania, Serbia')
>>> [(p.section, p.passage.text) for p in note.paragraphs]
[('background', 'It was held.')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from notegraph.text import Line, Passage, ends_sentence, lowered_text

COLON_LABELS = {
    "date_venue": r"dates?\s*(?:and|&|/|,)\s*(?:venue|place|location)s?|"
                  r"(?:venue|place|location)\s*(?:and|&|/|,)\s*dates?",
    "title": r"title\s+of\s+(?:the\s+)?(?:event|meeting)|event\s+title|"
             r"name\s+of\s+(?:the\s+)?event|event|title|meeting|activity|subject",
    "organisers": r"organi[sz]er\s*\(s\)|co-organi[sz]ers?|organi[sz]ers?|co-organi[sz]ed\s+by|"
                  r"organi[sz]ed\s+by|hosted\s+by|hosts?|convened\s+by|co-chairs?|"
                  r"organi[sz]ing\s+(?:institutions?|entities|partners)|in\s+partnership\s+with|"
                  r"in\s+cooperation\s+with|partners?|funding|funded\s+by|funders?|donors?|"
                  r"sponsors?|sponsored\s+by|financial\s+support|supported\s+by|support",
    "date": r"dates?(?:\s*\(s\))?|period",
    "venue": r"venue|place|location",
    "participants": r"participants|participating\s+states|participation|attendance|attendees",
}
# How the labels of each kind start, lower-cased: a line that starts otherwise opens no field
# of that kind.
LABEL_STARTS = {
    "date_venue": ("date", "venue", "place", "location"),
    "title": ("title", "event", "name", "meeting", "activity", "subject"),
    "organisers": ("organi", "co-", "host", "convened", "in", "partner", "funding", "funded",
                   "funder", "donor", "sponsor", "financial", "support"),
    "date": ("date", "period"),
    "venue": ("venue", "place", "location"),
    "participants": ("participa", "attendance", "attendees"),
}
ANY_LABEL_START = tuple(start for starts in LABEL_STARTS.values() for start in starts)
COLONLESS = {"date_venue", "title", "organisers", "date", "venue", "participants"}
NO_COLON_TITLE = r"title\s+of\s+(?:the\s+)?event|event\s+title|event"
LABEL_LINE = {
    kind: re.compile(rf"^(?P<label>{pattern})\s*(?P<colon>:)\s*(?P<rest>.*)$", re.IGNORECASE)
    for kind, pattern in COLON_LABELS.items()
}
BARE_LABEL_LINE = {
    kind: re.compile(rf"^(?P<label>(?i:{NO_COLON_TITLE if kind == 'title' else pattern}))"
                     rf"(?:\s+(?P<rest>[A-Z0-9(\u2022\u00b7\-].*))?$")
    for kind, pattern in COLON_LABELS.items() if kind in COLONLESS
}
PARTICIPANT_WORDS = re.compile(
    r"\b(?:states|participants?|organi[sz]ations?|observers?|institutions?|delegations?|"
    r"agencies|experts|speakers|others|members|countries|representatives|communities|bodies|"
    r"industry|academia|civil\s+society|ngos?|attendees|governments?)\b", re.IGNORECASE)
SUB_LABEL = re.compile(r"^(?P<label>[A-Z0-9][^:,;]{1,90}?)\s*:\s*(?P<rest>.*)$")
BULLET = re.compile(r"^(?:-\s*\d+\.\)"
                    r"|[\u2022\u25aa\u25cf\u25e6\u2023\u2043\u00b7*\-\u2013o\uf0b7\uf0a7]"
                    r"|\(?(?:[ivx]{1,4}|[a-z]|\d{1,2})[.)]\)?)\s+(?=\S)")
HEADING_WORDS = {
    "objectives": r"objectives?|purpose|aims?|goals?",
    "background": r"background|context|introduction",
    "recommendations": r"recommendations?",
    "conclusions": r"conclusions?|outcomes?|results?|follow-up|next\s+steps|way\s+forward",
    "highlights": r"highlights?|summary|proceedings|discussions?|overview|assessment|sessions?|"
                  r"key\s+points|main\s+points|presentations",
    "other": r"(?:additional|other|further)\s+(?:comments?|information|remarks)|comments?|remarks",
}
HEADING_PATTERNS = {section: re.compile(rf"\b(?:{words})\b")
                    for section, words in HEADING_WORDS.items()}
ANY_HEADING_WORD = re.compile(rf"\b(?:{'|'.join(HEADING_WORDS.values())})\b")
HEADING = re.compile(r"^(?:(?:\d{1,2}|[IVX]{1,4}|[A-H])[.)]\s*)?(?P<title>[A-Z][^.;:!?]{2,80}?)"
                     r"\s*:?$")
HEADING_STOP = re.compile(r"[.;!?]")
NOTE_TITLE = re.compile(r"^information\s+note(?![a-z])", re.IGNORECASE)


class Segment(NamedTuple):
    """Part of a participants field, under an optional sub-label such as "Other States"."""

    label: str | None
    passage: Passage


class Field(NamedTuple):
    """One labelled header field."""

    kind: str
    label: str
    line: int
    passage: Passage
    segments: tuple[Segment, ...] = ()


class Paragraph(NamedTuple):
    """A paragraph or a list item of the note body, with the section it sits in."""

    section: str
    passage: Passage
    is_item: bool = False


@dataclass(frozen=True)
class Layout:
    """Header fields and body paragraphs of one note."""

    fields: tuple[Field, ...]
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[tuple[int, str], ...] = field(default_factory=tuple)
    heading: str = ""  # the document's first line, such as "Information Note¹"

    def first(self, kind: str) -> Field | None:
        """The first header field of a kind."""
        return next((f for f in self.fields if f.kind == kind), None)

    def all(self, kind: str) -> list[Field]:
        """Every header field of a kind."""
        return [f for f in self.fields if f.kind == kind]


def heading_section(text: str) -> str | None:
    """The section a heading line opens, or None when the line is not a heading.

    >>> heading_section("1. Conference Objectives"), heading_section("Highlights and Assessment")
    ('objectives', 'highlights')
    >>> heading_section("The objectives were met.") is None
    True
    """
    text = text.strip()
    if not text or not ("A" <= text[0] <= "Z" or text[0].isdecimal()):
        return None  # a heading starts with a capital or its number
    if HEADING_STOP.search(text, 5):
        return None  # a heading's title has no ".;!?"; its numbering ends before the sixth place
    match = HEADING.match(text)
    if not match:
        return None
    words = len(match.group("title").split())
    if words > 8 or (text.strip().endswith(":") and words > 4):
        return None
    title = match.group("title").lower()
    if not ANY_HEADING_WORD.search(title):
        return None
    for section, pattern in HEADING_PATTERNS.items():
        if pattern.search(title):
            return section
    return None


def match_label(text: str) -> tuple[str, str, str] | None:
    """``(kind, label, rest)`` when a line opens a header field."""
    start = lowered_text(text[:12])
    if start is not None and not start.startswith(ANY_LABEL_START):
        return None
    for patterns in (LABEL_LINE, BARE_LABEL_LINE):
        for kind, pattern in patterns.items():
            if start is not None and not start.startswith(LABEL_STARTS[kind]):
                continue
            found = pattern.match(text)
            if found:
                return kind, found.group("label"), (found.group("rest") or "").strip()
    return None


def split_layout(lines: list[Line]) -> Layout:
    """Header fields and body paragraphs of cleaned note lines."""
    sections = [heading_section(line.text) if line.text else None for line in lines]
    body_start = next((i for i, section in enumerate(sections) if section), len(lines))
    fields = _header_fields(lines[:body_start])
    if not fields:
        body_start = 0
    paragraphs, headings = _body_paragraphs(lines[body_start:], sections[body_start:])
    heading = next((line.text for line in lines if line.text), "")
    return Layout(tuple(fields), tuple(paragraphs), tuple(headings), heading)


def _header_fields(lines: list[Line]) -> list[Field]:
    groups: list[tuple[str, str, list[Line]]] = []
    for line in lines:
        if not line.text or (not groups and NOTE_TITLE.match(line.text)):
            continue
        label = match_label(line.text)
        if label is not None:
            kind, text, rest = label
            groups.append((kind, text, [Line(line.number, rest)]))
        elif groups and groups[-1][0] != "participants" and _participant_sub_label(line.text):
            groups.append(("participants", "Participants", [line]))
        elif groups:
            groups[-1][2].append(line)
    return [_make_field(kind, label, group) for kind, label, group in groups]


def _participant_sub_label(text: str) -> bool:
    """A line such as "Observers: Iraq, Jordan" that opens a participant list without a
    "Participants" label above it."""
    found = SUB_LABEL.match(text)
    return bool(found and len(found.group("label").split()) <= 8
                and PARTICIPANT_WORDS.search(found.group("label")))


def _make_field(kind: str, label: str, lines: list[Line]) -> Field:
    passage = Passage.join(lines)
    segments = tuple(_segments(lines)) if kind == "participants" else ()
    return Field(kind, label, lines[0].number, passage, segments)


def _segments(lines: list[Line]) -> list[Segment]:
    """Split a participants field at its sub-labels; bullets become "; " separators."""
    groups: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in lines:
        text = line.text
        colon = ":" in text  # a sub-label needs one
        if colon and BULLET.match(text) and SUB_LABEL.match(BULLET.sub("", text)):
            text = BULLET.sub("", text)
        sub = SUB_LABEL.match(text) if colon else None
        while sub and len(sub.group("label").split()) <= 12:
            groups.append((sub.group("label").strip(), []))
            text = sub.group("rest")
            sub = SUB_LABEL.match(text)
        bullet = BULLET.match(text)
        if bullet:
            text = "; " + text[bullet.end():]
        groups[-1][1].append(Line(line.number, text))
    joined = [(label, Passage.join(group)) for label, group in groups]
    return [Segment(label, passage) for label, passage in joined
            if label is not None or passage.text.strip(" ;")]


def _body_paragraphs(lines: list[Line], sections: list[str | None]
                     ) -> tuple[list[Paragraph], list[tuple[int, str]]]:
    """Paragraphs and headings of the body; ``sections`` holds each line's ``heading_section``."""
    section = "other"
    headings: list[tuple[int, str]] = []
    pieces: list[tuple[str, list[Line], bool]] = []
    previous_blank = True
    for line, found in zip(lines, sections, strict=True):
        text = line.text
        if found:
            section = found
            headings.append((line.number, found))
            pieces.append((section, [], False))
            previous_blank = True
            continue
        if not text or (not pieces and NOTE_TITLE.match(text)):
            previous_blank = True
            continue
        bullet = bool(BULLET.match(text))
        if bullet or previous_blank or not pieces or not pieces[-1][1]:
            stripped = BULLET.sub("", text) if bullet else text
            if not bullet and pieces and _continues(pieces[-1], stripped):
                pieces[-1][1].append(Line(line.number, stripped))
            else:
                pieces.append((section, [Line(line.number, stripped)], bullet))
        else:
            pieces[-1][1].append(line)
        previous_blank = False
    paragraphs = [Paragraph(s, Passage.join(group), item) for s, group, item in pieces if group]
    return paragraphs, headings


def _continues(piece: tuple[str, list[Line], bool], text: str) -> bool:
    """A paragraph broken by a page or footnote goes on in lower case."""
    _section, group, _item = piece
    if not group:
        return False
    return not ends_sentence(group[-1].text) and (text[0].islower() or text[0] == "(")
