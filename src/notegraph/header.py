"""Header fields → title, dates, venue, organisers with roles, participants with modes.

>>> from notegraph import gazetteer
>>> venue = read_venue("Lomé (Togo), UNREC conference room", gazetteer.load())
>>> venue.city, venue.country, venue.place
('Lomé', 'TGO', 'UNREC conference room')
>>> [(a.id, a.role) for a in read_organisers(Passage(
...     "PGA, hosted by the National Assembly of Côte d'Ivoire, with the support of UNREC "
...     "and the financial support of the Kingdom of the Netherlands"), gazetteer.load(), "CIV")]
[('pga', 'organiser'), ('civ-national-assembly', 'host'), ('unrec', 'supporter'), ('NLD', 'funder')]
"""

from __future__ import annotations

import re

from notegraph.actors import dedupe, resolve_list
from notegraph.dates import DateRange, find_dates
from notegraph.gazetteer import Gazetteer
from notegraph.layout import Segment
from notegraph.records import Actor, Venue, changed
from notegraph.text import Passage, lowered_text

ROLE_PHRASES = [
    ("funder", r"(?:and\s+)?(?:with\s+)?(?:the\s+)?(?:kind\s+|generous\s+)?financial\s+"
               r"(?:support|assistance|contributions?)\s+(?:of|from|by)|funded\s+by|"
               r"financed\s+by|sponsored\s+by|with\s+(?:the\s+)?funding\s+(?:of|from|provided\s+by)"
               r"|thanks\s+to\s+(?:the\s+)?(?:financial\s+)?(?:contributions?|funding)\s+(?:of|from)"
               r"|with\s+(?:a\s+)?(?:financial\s+)?contributions?\s+(?:of|from)"),
    ("host", r"hosted\s+by|at\s+the\s+invitation\s+of|with\s+(?:the\s+)?hospitality\s+of"),
    ("supporter", r"(?:and\s+)?(?:with\s+)?(?:the\s+)?(?:kind\s+|generous\s+|technical\s+)?"
                  r"(?:support|assistance|facilitation)\s+(?:of|from)|supported\s+by|"
                  r"assisted\s+by|facilitated\s+by"),
    ("organiser", r"in\s+(?:close\s+)?(?:cooperation|co-operation|coordination|co-ordination|"
                  r"collaboration|partnership|association|conjunction|consultation)\s+with|"
                  r"together\s+with|jointly\s+with|through\s+its|co-organi[sz]ed\s+by|"
                  r"organi[sz]ed\s+by|convened\s+by"),
]
# The lookahead holds the first two letters any phrase can start with ("an", "wi", "th", "ki",
# "ge", "te", "su", "as", "fa", "fi", "fu", "sp", "ho", "at", "in", "to", "jo", "co", "or"): it
# changes no match, but most places fail it at once instead of trying every phrase.
ROLE_PATTERN = re.compile("(?=[awtkgfshijco][nihuepotsar])(?:" + "|".join(
    f"(?P<{role}>{pattern})" for role, pattern in ROLE_PHRASES) + ")", re.IGNORECASE)
# The same for lower-cased text (lowered_text): the same matches, found faster.
LOWER_ROLE_PATTERN = re.compile(ROLE_PATTERN.pattern)
SEMICOLON = re.compile(";")
BRACKETED = re.compile(r"\(([^()]+)\)")
NATIONAL_BODY = re.compile(r"\b(?:delegations?|national|agencies|institutions|authorities|"
                           r"government)\b", re.IGNORECASE)
VENUE_BREAK = re.compile(r"[,()\u2013\u2014]|\s-\s")
BUILDING = re.compile(r"\b(?:centre|center|hall|hotel|headquarters|room|building|palace|house|"
                      r"premises|office|offices|campus|auditorium|ministry|embassy|complex|"
                      r"venue|conference|university|academy|institute|floor|club|resort)\b",
                      re.IGNORECASE)
ONLINE = re.compile(r"\b(?:online|virtual|videoconference|video\s+conference|webinar)\b",
                    re.IGNORECASE)
MODES = {"observer": re.compile(r"\bobservers?\b", re.IGNORECASE),
         "remote": re.compile(r"\b(?:remote|online|video|virtual)", re.IGNORECASE)}
NATIONAL = re.compile(r"\bnational\s+(?:participants|agencies|institutions|authorities|"
                      r"delegation)\b|\bnational\b", re.IGNORECASE)


def read_dates(text: str) -> DateRange | None:
    """The event's dates: the first full date in the field, else a month or a year."""
    found = find_dates(text, years=True)
    return found[0] if found else None


def read_venue(text: str, gazetteer: Gazetteer) -> Venue:
    """City, country and building from a venue text with any date removed."""
    for found in find_dates(text):
        text = text[:found.begin] + " " + text[found.stop:]
    if ONLINE.search(text) and "," not in text:
        return Venue(online=True)
    parts = [p.strip(" .") for p in VENUE_BREAK.split(text) if p.strip(" .")]
    country_index = next((i for i, p in enumerate(parts) if gazetteer.state(p)), None)
    city = _venue_city(parts, country_index, gazetteer)
    country = gazetteer.state(parts[country_index]) if country_index is not None else None
    if city and country is None:
        known = gazetteer.city(city)
        country = known[1] if known else None
    place = ", ".join(p for p in parts if p != city and (country_index is None or
                                                        p != parts[country_index])) or None
    return Venue(city=city, country=country, place=place, online=bool(ONLINE.search(text)))


def _venue_city(parts: list[str], country_index: int | None, gazetteer: Gazetteer) -> str | None:
    known = [p for p in parts if gazetteer.city(p)]
    if country_index is not None:
        before = [p for p in parts[:country_index] if not BUILDING.search(p)]
        if before:
            return before[-1]
    if known:
        return known[0]
    plain = [p for p in parts if not BUILDING.search(p) and not gazetteer.state(p)]
    return plain[0] if plain else None


def read_organisers(passage: Passage, gazetteer: Gazetteer, venue_country: str | None,
                    first_role: str = "organiser") -> list[Actor]:
    """Organisers with their roles, from phrases such as "with the support of"."""
    actors: list[Actor] = []
    for role, chunk in _role_chunks(passage, first_role):
        for actor in resolve_list(chunk, gazetteer, venue_country, mode="in-person"):
            actors.append(changed(actor, mode=None, role=_final_role(actor, role, venue_country)))
    return dedupe(actors)


def _role_chunks(passage: Passage, first_role: str) -> list[tuple[str, Passage]]:
    """Split an organiser field at role phrases and semicolons."""
    chunks, role, start = [], first_role, 0
    lowered = lowered_text(passage.text)
    phrases = ROLE_PATTERN.finditer(passage.text) if lowered is None else \
        LOWER_ROLE_PATTERN.finditer(lowered)
    boundaries = [(m.start(), m.end(), m.lastgroup) for m in phrases]
    boundaries += [(m.start(), m.end(), "organiser") for m in SEMICOLON.finditer(passage.text)]
    for begin, end, next_role in sorted(boundaries):
        if begin < start:
            continue
        chunks.append((role, passage.slice(start, begin)))
        role, start = next_role, end
    chunks.append((role, passage.slice(start)))
    return [(role, chunk) for role, chunk in chunks if chunk.text.strip(" ,;.:")]


def _final_role(actor: Actor, role: str, venue_country: str | None) -> str:
    """An organiser that is the venue's State, or one of its agencies, is the host."""
    if actor.role == "host":
        return "host"
    at_home = venue_country is not None and venue_country in (actor.id, actor.part_of)
    if role == "organiser" and at_home:
        return "host"
    return role


def read_participants(segments: tuple[Segment, ...], gazetteer: Gazetteer,
                      venue_country: str | None) -> list[Actor]:
    """Participants from each sub-labelled segment of the participants field."""
    actors: list[Actor] = []
    for segment in segments:
        label = segment.label or ""
        mode = next((m for m, pattern in MODES.items() if pattern.search(label)), "in-person")
        context = _context_state(label, gazetteer, venue_country)
        named = _named_state(label, gazetteer)
        explicit = named is not None or any(gazetteer.state(t) for t in
                                            BRACKETED.findall(label))
        if named:
            actors.append(Actor(name=named[0], id=named[1], kind="state", mode=mode,
                                label=gazetteer.label("state", named[1]),
                                line=segment_line(segment)))
        actors.extend(resolve_list(segment.passage, gazetteer, context, mode, explicit))
    return dedupe(actors)


def segment_line(segment: Segment) -> int:
    """The source line a participants segment starts on."""
    return segment.passage.line_at(0)


def _named_state(label: str, gazetteer: Gazetteer) -> tuple[str, str] | None:
    """A State a sub-label names as taking part: "National participants (Guyana)",
    "Croatian delegation", "Delegation of Poland"."""
    for text in BRACKETED.findall(label):
        code = gazetteer.state(text)
        if code:
            return text.strip(), code
    if NATIONAL_BODY.search(label):
        _tokens, mentions = gazetteer.scan(label)
        found = [m for m in mentions if m.kind in ("state", "demonym")]
        if len(found) == 1:
            return label[found[0].begin:found[0].end], found[0].id
    return None


def _context_state(label: str, gazetteer: Gazetteer, venue_country: str | None) -> str | None:
    """The State of unnamed national agencies: "National participants (Guyana)"."""
    inside = BRACKETED.findall(label)
    for text in inside + [label]:
        code = gazetteer.state(text)
        if code:
            return code
    named = _named_state(label, gazetteer)
    if named:
        return named[1]
    return venue_country if NATIONAL.search(label) else None
