"""Note text → ``NoteRecord``: the composed parsing steps.

>>> record = parse_text("Information Note\\n\\nEvent: Workshop on Export Control\\n"
...                     "Organiser: UNODA, with the financial support of the European Union\\n"
...                     "Date and Venue: 14 to 16 March 2016, San José, Costa Rica\\n"
...                     "Participants: Belize, Mexico (observer), IAEA\\n")
>>> [(a.id, a.role) for a in record.organisers]
[('unoda', 'organiser'), ('eu', 'funder')]
>>> [(a.id, a.mode) for a in record.participants]
[('BLZ', 'in-person'), ('MEX', 'observer'), ('iaea', 'in-person')]
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from notegraph import gazetteer as gazetteer_module
from notegraph import header, prose
from notegraph.actors import dedupe, resolve_list
from notegraph.dates import DateRange, find_dates
from notegraph.errors import InputError, NoteParseError, NoteReadError
from notegraph.gazetteer import Gazetteer
from notegraph.layout import Layout, Paragraph, split_layout
from notegraph.records import Actor, NoteRecord, Venue, Warning_
from notegraph.text import clean_lines, decode, ends_sentence, lowered_text, might_contain
from notegraph.workers import paused_collection, worker_map

ORDINALS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
    "twelfth thirteenth fourteenth fifteenth".split())}
ORDINAL = re.compile(r"^(?:the\s+)?(?P<word>" + "|".join(ORDINALS) + r"|\d{1,2}(?:st|nd|rd|th))"
                     r"\s+(?P<rest>.+)$", re.IGNORECASE)
COUNT_WORDS = prose.NUMBER_WORDS | {"thirty": 30, "forty": 40, "fifty": 50}
INVITED = re.compile(r"\binvited\s+(?:representatives|experts|speakers)\s+(?:of|from)\s+"
                     r"(?P<list>.+?)(?=\s+to\s+[a-z]+\b|[.;]|$)", re.IGNORECASE)
PATTERN_WORDS = {INVITED: "invited"}  # a word a case-insensitive pattern cannot match without
PROSE_PARTICIPANTS = re.compile(
    r"\b(?:brought\s+together|gathered|(?:was|were)\s+attended\s+by|participants\s+(?:came\s+)?"
    r"from|participants\s+included|with\s+the\s+participation\s+of)\s+(?P<list>.+?)(?=[.;]|$)",
    re.IGNORECASE)
TOOK_PART = re.compile(
    r"(?:^|[.;]\s+)(?P<list>[^.;]+?)\s+(?:also\s+)?(?:took\s+part|participated|attended|"
    r"joined)\b(?P<how>[^.;]*)", re.IGNORECASE)
INLINE_ITEM = re.compile(r"(?:^|[\s;:,])(?:\((?:[ivx]{1,4}|[a-h]|\d{1,2})\)|"
                         r"(?:first|second|third|fourth|fifth|sixth|seventh)(?:ly)?,)\s")
PROSE_ORGANISERS = re.compile(
    r"\b(?P<phrase>organi[sz]ed\s+by|hosted\s+by|convened\s+by)\s+(?P<list>.+?)"
    r"(?=\s+(?:in|at|on|from)\s+(?:[A-Z]|\d)|[.]\s|$)")
NOTE_ON = re.compile(r"^information\s+note\W{0,3}\s*(?:[:\-\u2013\u2014]|on|about)\s+(.{10,})$",
                     re.IGNORECASE)
PROSE_TITLE = re.compile(
    r"\b((?:[A-Z][\w'\u2019-]*\s+)+(?:Workshop|Seminar|Meeting|Conference|Round\s*Table|Course|"
    r"Forum|Dialogue|Symposium|Exercise)\b[^,.;]*?)(?=\s+(?:was|were|took|held|organi[sz]ed)\b|"
    r"[,.;])")
LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
DECLARED_STATES = re.compile(r"\b(\d{1,3}|" + "|".join(COUNT_WORDS) + r")(?:\s+[A-Za-z-]+){0,3}?"
                             r"\s+states\b", re.IGNORECASE)
RECOMMEND = re.compile(r"recommend", re.IGNORECASE)
ITEM_END = re.compile(r"[;,]?\s*(?:and|or)?\s*$")
FUNDING_LABEL = re.compile(r"fund|donor|sponsor|financ")
DIGITS = re.compile(r"\d+")
DISCLAIMER = re.compile(r"official\s+report|for\s+information", re.IGNORECASE)


@dataclass
class ParseResult:
    """Records parsed from many files, and the errors of the files that could not be."""

    records: list[NoteRecord] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)


def parse_paths(paths: Iterable[str | Path]) -> ParseResult:
    """Parse every note file named, or found in the folders named, in the order of
    ``note_files``; many are parsed by one worker process per core (``notegraph.workers``), with
    no garbage collection here while the records, which all live on, come in."""
    result = ParseResult()
    with paused_collection(), worker_map(_parsed, note_files(paths), chunksize=64) as outcomes:
        for record, error in outcomes:
            if error is None:
                result.records.append(record)
            else:
                result.errors.append(error)
    return result


def _parsed(path: Path) -> tuple[NoteRecord | None, InputError | None]:
    """One note file's record, or the error that stopped it."""
    try:
        return parse_file(path), None
    except InputError as error:
        return None, error


def note_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Note files: the files named, and every file in the folders named, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.iterdir() if is_note_name(p.name) and p.is_file())
        else:
            yield path


def is_note_name(name: str) -> bool:
    """Whether a file in a notes folder is taken as a note: not hidden, not a gold file.

    >>> is_note_name("2013-belgrade.txt"), is_note_name(".DS_Store"), is_note_name("x.gold.json")
    (True, False, False)
    """
    return not name.startswith(".") and not name.endswith(".json")


def parse_file(path: str | Path) -> NoteRecord:
    """Parse one note file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise NoteReadError(str(path), f"cannot read the file ({exc.strerror})") from exc
    return parse_bytes(data, str(path))


def parse_bytes(data: bytes, source: str = "<bytes>") -> NoteRecord:
    """Parse note bytes in any supported encoding."""
    text = decode(data, source)
    return parse_text(text, source)


def parse_text(text: str, source: str = "<text>") -> NoteRecord:
    """Parse the text of one Information Note into a record."""
    gazetteer = gazetteer_module.load()
    lines, footnotes = clean_lines(text)
    layout = split_layout(lines)
    content_hash = hashlib.sha256(
        "\n".join(line.text for line in lines).encode("utf-8")).hexdigest()
    reader = _NoteReader(source, layout, gazetteer)
    return reader.record(footnotes, content_hash)


class _NoteReader:
    """Reads one note's layout; each method fills one part of the record."""

    def __init__(self, source: str, layout: Layout, gazetteer: Gazetteer) -> None:
        self.source = source
        self.layout = layout
        self.gazetteer = gazetteer
        self.warnings: list[Warning_] = []
        self.body = [p.passage.text for p in layout.paragraphs]

    def record(self, footnotes: list[tuple[int, str]], content_hash: str) -> NoteRecord:
        title = self.title()
        dates, venue = self.when_and_where()
        if not title and dates is None:
            raise NoteParseError(self.source, "no event title or date found: this does not look "
                                              "like an Information Note (expected labels such as "
                                              "'Event:' and 'Date and Venue:')")
        organisers = self.organisers(venue.country)
        participants = self.participants(venue.country)
        self.check(title, dates, venue, organisers + participants)
        ordinal, series = series_of(title)
        everything = " ".join(self.body)
        return NoteRecord(
            source=self.source, title=title,
            start_date=dates.start if dates else None, end_date=dates.end if dates else None,
            date_precision=dates.precision if dates else None, venue=venue,
            organisers=tuple(organisers), participants=tuple(participants),
            people=tuple(prose.people(self.body, self.gazetteer)),
            objectives=tuple(self.section_items("objectives")), topics=tuple(self.topics(title)),
            recommendations=tuple(self.recommendations()),
            recommendations_attached=prose.recommendations_attached(everything),
            related_events=tuple(prose.related_events(self.body, self.gazetteer, dates,
                                                      venue.city)),
            series_ordinal=ordinal, series_title=series,
            figures=tuple(prose.figures(everything)), disclaimer=_disclaimer(footnotes),
            contact=prose.contact(everything),
            urls=tuple(dict.fromkeys(prose.urls(everything + " " + " ".join(
                f.passage.text for f in self.layout.fields)))),
            content_hash=content_hash, warnings=tuple(self.warnings))

    def title(self) -> str:
        found = self.layout.first("title")
        if found is not None:
            return found.passage.text.strip(" .")
        named = NOTE_ON.match(self.layout.heading)
        if named:
            return LEADING_THE.sub("", named.group(1).strip(" ."))
        opening = self.layout.paragraphs[:1]
        if opening and not ends_sentence(opening[0].passage.text) \
                and len(opening[0].passage.text.split()) <= 40:
            return opening[0].passage.text.strip()
        for paragraph in self.layout.paragraphs[:3]:
            match = PROSE_TITLE.search(paragraph.passage.text)
            if match:
                return match.group(1).strip()
        return ""

    def when_and_where(self) -> tuple[DateRange | None, Venue]:
        combined = self.layout.first("date_venue")
        date_field, venue_field = self.layout.first("date"), self.layout.first("venue")
        date_text = combined or date_field
        venue_text = combined or venue_field
        dates = header.read_dates(date_text.passage.text) if date_text else None
        venue = (header.read_venue(venue_text.passage.text, self.gazetteer) if venue_text
                 else Venue())
        if dates is None or venue_text is None:
            prose_dates, prose_venue = self._prose_when_and_where()
            dates = dates or prose_dates
            venue = venue if venue_text else prose_venue
        return dates, venue

    def _prose_when_and_where(self) -> tuple[DateRange | None, Venue]:
        opening = " ".join(self.body[:3])
        found = find_dates(opening)
        dates = found[0] if found else None
        for sentence in prose.sentences(opening):
            if prose.EVENT_VERB.search(sentence):
                places = prose._places(sentence, self.gazetteer, None)
                if places:
                    _position, city, country = places[0]
                    return dates, Venue(city=city, country=country)
        return dates, Venue()

    def organisers(self, venue_country: str | None) -> list[Actor]:
        actors: list[Actor] = []
        self._organisers: list[Actor] = []
        for found in self.layout.all("organisers"):
            first_role = label_role(found.label)
            actors += header.read_organisers(found.passage, self.gazetteer, venue_country,
                                             first_role)
        if not actors:
            actors = self._prose_organisers(venue_country)
        self._organisers = dedupe(actors)
        return self._organisers

    def _prose_organisers(self, venue_country: str | None) -> list[Actor]:
        actors: list[Actor] = []
        for paragraph in self.layout.paragraphs[:3]:
            for match in PROSE_ORGANISERS.finditer(paragraph.passage.text):
                role = "host" if match.group("phrase").lower().startswith("host") else "organiser"
                start = match.start("list")
                chunk = paragraph.passage.slice(start, match.end("list"))
                actors += header.read_organisers(chunk, self.gazetteer, venue_country, role)
        return actors

    def participants(self, venue_country: str | None) -> list[Actor]:
        actors: list[Actor] = []
        fields = self.layout.all("participants")
        for found in fields:
            for segment in found.segments:
                segment_actors = header.read_participants((segment,), self.gazetteer,
                                                          venue_country)
                self._check_declared(segment.label, segment_actors, found.line)
                actors += segment_actors
        if fields:
            actors += self._prose_participants(INVITED, None)
        else:
            actors += self._prose_participants(PROSE_PARTICIPANTS, venue_country)
            actors += self._prose_participants(TOOK_PART, venue_country)
        return dedupe(self._local_acronyms(actors))

    def _local_acronyms(self, participants: list[Actor]) -> list[Actor]:
        """A bare acronym the note defined earlier ("... of Qatar (NCPW)") is that actor."""
        defined = {a.acronym: a for a in self._organisers + participants
                   if a.acronym and not a.unresolved and a.name != a.acronym}
        resolved = []
        for actor in participants:
            local = defined.get(actor.name)
            if local is not None and local.id != actor.id and (actor.unresolved or
                                                               actor.part_of != local.part_of):
                actor = replace(actor, id=local.id, label=local.label, part_of=local.part_of,
                                org_kind=local.org_kind, unresolved=False,
                                resolved_by=local.resolved_by, kind=local.kind)
            resolved.append(actor)
        return resolved

    def _prose_participants(self, pattern: re.Pattern[str],
                            context_state: str | None) -> list[Actor]:
        actors: list[Actor] = []
        needed = PATTERN_WORDS.get(pattern)
        for paragraph in self.layout.paragraphs:
            if needed and not might_contain(paragraph.passage.text, needed):
                continue  # the pattern cannot match without its word
            for match in pattern.finditer(paragraph.passage.text):
                chunk = paragraph.passage.slice(match.start("list"), match.end("list"))
                actors += resolve_list(chunk, self.gazetteer, context_state)
        return [a for a in actors if not a.unresolved or _institution_like(a.name)]

    def _check_declared(self, label: str | None, actors: list[Actor], line: int) -> None:
        match = DECLARED_STATES.search(label or "")
        if not match:
            return
        word = match.group(1).lower()
        declared = int(word) if word.isdigit() else COUNT_WORDS[word]
        listed = sum(1 for a in actors if a.kind == "state")
        if listed != declared:
            self.warn(line, f"the note announces {declared} States but lists {listed}; "
                            "check the participant list")

    def section_items(self, section: str) -> list[str]:
        paragraphs = [p for p in self.layout.paragraphs if p.section == section]
        items = [p.passage.text for p in paragraphs if p.is_item]
        return items or [p.passage.text for p in paragraphs]

    def recommendations(self) -> list[str]:
        """Listed recommendations: items of the Recommendations section, items after
        "... the following recommendations:", else items enumerated inline "(i) ... (ii) ..."."""
        found = [p.passage.text for p in self.layout.paragraphs
                 if p.section == "recommendations" and p.is_item]
        found += _items_after(self.layout.paragraphs, prose.LIST_INTRO_RECOMMENDATIONS)
        if not found:
            for paragraph in self.layout.paragraphs:
                if paragraph.section == "recommendations" or _mentions_recommending(
                        paragraph.passage.text):
                    found += _inline_items(paragraph.passage.text)
        return list(dict.fromkeys(found))

    def topics(self, title: str) -> list[str]:
        listed = _items_after(self.layout.paragraphs, prose.LIST_INTRO_TOPICS)
        if listed:
            return prose.topics(listed)
        texts = [title] + self.section_items("objectives")
        return prose.topics(texts)

    def check(self, title: str, dates: DateRange | None, venue: Venue,
              actors: list[Actor]) -> None:
        if not title:
            self.warn(1, "no event title found: add an 'Event:' line")
        if dates is None:
            self.warn(1, "no event date found: add a 'Date:' line such as 'Date: 9-10 May 2013'")
        if not any(a.role in ("host", "organiser") for a in actors):
            self.warn(1, "no organiser found: add an 'Organiser:' line")
        if not venue.online and (venue.city is None or venue.country is None):
            self.warn(1, "venue city or country not recognised: write 'City, Country' or add "
                         "the city to data/cities.csv")
        for actor in actors:
            if actor.unresolved:
                self.warn(actor.line, f"unresolved name '{actor.name}': add it to "
                                      "data/organisations.yaml (or data/state_aliases.csv)")

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Warning_(line, message))


def _mentions_recommending(text: str) -> bool:
    """Whether "recommend" occurs in the text, in any case."""
    lowered = lowered_text(text)
    return "recommend" in lowered if lowered is not None else bool(RECOMMEND.search(text))


def _institution_like(name: str) -> bool:
    """An unknown name worth keeping from prose: "University of Cape Town", not "the region"."""
    from notegraph.list_cuts import AGENCY_WORDS

    return bool(AGENCY_WORDS.search(name)) and len(name.split()) <= 10 and name[:1].isupper()


def _inline_items(text: str) -> list[str]:
    """Items enumerated inside a sentence: "(i) the adoption of ...; (ii) regular meetings".

    >>> _inline_items("They recommended (a) a plan; (b) a law; and (c) a contact point.")
    ['a plan', 'a law', 'a contact point']
    """
    markers = list(INLINE_ITEM.finditer(text))
    if len(markers) < 2:
        return []
    items = []
    for marker, following in zip(markers, markers[1:] + [None], strict=False):
        end = following.start() if following else len(text)
        item = ITEM_END.sub("", text[marker.end():end].strip())
        items.append(item.rstrip(" .;,"))
    return [item for item in items if item]


def label_role(label: str) -> str:
    """The role an organiser label implies: "Funding:" → funder, "Hosted by:" → host.

    >>> label_role("Sponsored by"), label_role("Organizer(s)"), label_role("Supported by")
    ('funder', 'organiser', 'supporter')
    """
    label = label.lower()
    if FUNDING_LABEL.search(label):
        return "funder"
    if label.startswith("host"):
        return "host"
    if "support" in label:
        return "supporter"
    return "organiser"


def _items_after(paragraphs: tuple[Paragraph, ...], intro: re.Pattern[str]) -> list[str]:
    """List items that follow a paragraph introducing them ("... the following topics:")."""
    items: list[str] = []
    collecting = False
    for paragraph in paragraphs:
        if paragraph.is_item and collecting:
            items.append(paragraph.passage.text)
        else:
            collecting = not paragraph.is_item and _introduces(paragraph.passage.text, intro)
    return items


def _introduces(text: str, intro: re.Pattern[str]) -> bool:
    """Whether a paragraph introduces a list; the patterns all end with a colon (and blanks)."""
    return text.rstrip().endswith(":") and bool(intro.search(text))


def series_of(title: str) -> tuple[int | None, str | None]:
    """The ordinal of an event in its series and the series' name.

    >>> series_of("Second meeting of the OSCE Points of Contact (PoCs) on UNSCR 1540")
    (2, 'meeting of the OSCE Points of Contact (PoCs) on UNSCR 1540')
    """
    match = ORDINAL.match(title or "")
    if not match:
        return None, None
    word = match.group("word").lower()
    number = ORDINALS.get(word) or int(DIGITS.match(word).group())
    return number, match.group("rest").strip()


def _disclaimer(footnotes: list[tuple[int, str]]) -> str | None:
    for _line, text in footnotes:
        if DISCLAIMER.search(text):
            return text
    return None

