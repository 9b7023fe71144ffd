"""Facts that sit in the note's sentences: earlier events, people, figures, recommendations.

>>> from notegraph import gazetteer
>>> from notegraph.dates import DateRange
>>> events = related_events(
...     ["The workshop was a follow-up to the workshop held in Accra on 10-12 March 2014."],
...     gazetteer.load(), DateRange("2015-12-03", "2015-12-04", "day"), "Abidjan")
>>> [(e.start_date, e.city, e.country, e.relation) for e in events]
[('2014-03-10', 'Accra', 'GHA', 'follow-up-of')]
>>> figures("With participation of 23 out of the 51 Participating States")[0].total
51
"""

from __future__ import annotations

import functools
import re

import yaml

from notegraph.dates import MONTHS, DateRange, find_dates
from notegraph.gazetteer import DATA_DIR, Gazetteer
from notegraph.records import Figure, Person, RelatedEvent
from notegraph.text import lowered_text, might_contain

EVENT_VERB = re.compile(r"\b(?=[htcos])(?:held|took\s+place|hosted|convened|organi[sz]ed|"
                        r"conducted|co-organi[sz]ed|started\s+with)\b", re.IGNORECASE)
EVENT_VERB_WORDS = ("held", "took", "hosted", "convened", "organi", "conducted", "started")
EVENT_NOUN = (r"(?:workshops?|seminars?|meetings?|conferences?|courses?|round\s*tables?|"
              r"sessions?|forums?|dialogues?|events?|exercises?|consultations?|symposi(?:um|a)|"
              r"summits?|briefings?|trainings?)")
CAPITAL = r"[A-Z][\w'\u2019.-]+"
CONNECTOR = r"(?:of|de|del|da|do|la|le|es|al|el|and|the)"
NAME = rf"{CAPITAL}(?:\s+(?:{CAPITAL}|{CONNECTOR}(?=\s+[A-Z])))*"
PLACE = re.compile(rf"\b(?:in|at)\s+(?P<place>{NAME})(?:,\s+(?P<country>{NAME}))?")
NEAR = 120
SAME_VENUE = re.compile(r"\b(?:at|in)\s+the\s+same\s+(?:venue|place|location|city)\b",
                        re.IGNORECASE)
REGIONS = {"africa", "asia", "europe", "america", "americas", "latin america", "oceania",
           "the pacific", "pacific", "caribbean", "middle east", "central asia", "west africa",
           "east africa", "southern africa", "north africa", "central america",
           "south america", "south-east asia", "southeast asia", "south-eastern europe",
           "eastern europe", "the caribbean", "the region", "geneva switzerland"}
SERIES = re.compile(r"\b(?:series|first|second|third|fourth|fifth|previous|earlier|last|"
                    r"annual|prior)\b", re.IGNORECASE)
FOLLOW_UP = re.compile(r"\bfollow(?:-|\s)?up\b|\bfollow(?:ing|ed)\b|\bbuil[dt]s?\s+on\b|"
                       r"\bbuilding\s+on\b", re.IGNORECASE)
# The cheap "after . ! or ?" test comes first: the abbreviation tests then run at few places.
SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\bU\.S\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bMr\.)"
                          r"(?<!\bMs\.)(?<!\bDr\.)(?<!\bNo\.)(?<!\bSt\.)(?<!\bHon\.)"
                          r"(?<!\bMrs\.)(?<!\bProf\.)\s+(?=[A-Z\u201c\"(])")
QUOTED = re.compile(r"[\"\u201c]([^\"\u201d]{10,200})[\"\u201d]")
TITLES = (r"(?:H\.E\.\s+)?(?:Ambassador|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|Prof\.?|Professor|Hon\.?|"
          r"Minister|Senator|General|Colonel|Judge|Sir|Dame|Lord|Lady)")
BOLD = re.compile(rf"(?P<title>{TITLES}(?:\s+{TITLES})*)?\s*\*\*(?P<name>[^*]+?)\*\*"
                  rf"(?P<after>[^*]*?)(?=(?:,?\s+and\s+(?:by\s+)?)?(?:{TITLES}\s*)?\*\*|"
                  rf"(?<!\bMr)(?<!\bMs)(?<!\bDr)\.\s|\.?$)")
TITLE_INSIDE = re.compile(rf"^(?P<title>{TITLES})\s+(?P<name>.+)$")
EMAIL = re.compile(r"(?:\b(\d+)\s+)?([\w.+-]+@[\w-]+(?:\.[\w-]+)+)")
URL = re.compile(r"\bhttps?://[^\s<>\"\u201d]+|\bwww\.[^\s<>\"\u201d]+")
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
COUNT = r"(\d{1,4}|" + "|".join(NUMBER_WORDS) + r")"
# The lookahead holds the first letters of the counts: it spares trying them at most words.
FIGURE = re.compile(rf"\b(?=[\dzotfsen]){COUNT}\s+(?:out\s+)?of\s+(?:the\s+)?(\d{{1,4}})\b"
                    r"[^.;,]*", re.IGNORECASE)
ATTACHED = re.compile(r"\(see\s+attachment\)|\bis\s+attached\b|\bare\s+attached\b|"
                      r"\bin\s+(?:the\s+)?(?:annex|attachment)\b", re.IGNORECASE)
ATTACHED_WHAT = re.compile(r"recommend|conclusion|suggestion|summary", re.IGNORECASE)
LIST_INTRO_RECOMMENDATIONS = re.compile(r"recommendations?\b[^.]*:\s*$", re.IGNORECASE)
LIST_INTRO_TOPICS = re.compile(r"(?:topics|themes|issues|areas|sessions)\b[^.]*:\s*$",
                               re.IGNORECASE)
EVENT_NOUN_PHRASE = re.compile(
    rf"(?:\b(?:the|a|an|its)\s+)?(?:[\w'\u2019/-]+\s+){{0,4}}?{EVENT_NOUN}\b"
    rf"(?:\s+(?:on|for|of)\s+[^,;]*?)?(?=\s+(?:which|that|was|were|held|took|hosted|"
    rf"convened|organi[sz]ed|in|at|on)\b|,|$)", re.IGNORECASE)
# The same for lower-cased text (lowered_text): the same matches, found twice as fast.
LOWER_EVENT_NOUN_PHRASE = re.compile(EVENT_NOUN_PHRASE.pattern)
BLANKS = re.compile(r"\s+")
CLAUSE_BREAK = re.compile(r";|,\s+and\s+(?=the\s)|,\s+while\s")
SERIES_WORD = re.compile(r"\bseries\b", re.IGNORECASE)
FIGURE_HINT = re.compile(r"of\s+(?:the\s+)?\d")  # in lower-cased text: what FIGURE needs


@functools.lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[str, ...]:
    """Split a paragraph into sentences, sparing abbreviations such as "U.S."."""
    return tuple(s.strip() for s in SENTENCE_END.split(text) if s.strip())


def related_events(paragraphs: list[str], gazetteer: Gazetteer, event: DateRange | None,
                   event_city: str | None) -> list[RelatedEvent]:
    """Earlier events named with a date and a place in the note's sentences."""
    found: list[RelatedEvent] = []
    for paragraph in paragraphs:
        if not might_contain(paragraph, *EVENT_VERB_WORDS) or not EVENT_VERB.search(paragraph):
            continue  # no clause of it has an event verb either
        for sentence in sentences(paragraph):
            for clause in CLAUSE_BREAK.split(sentence):
                found += _clause_events(clause, sentence, gazetteer, event, event_city)
    return _dedupe_events(found)


def _clause_events(clause: str, sentence: str, gazetteer: Gazetteer, event: DateRange | None,
                   event_city: str | None) -> list[RelatedEvent]:
    """Each date of a clause with an event verb, paired with the place nearest to it."""
    if not EVENT_VERB.search(clause):
        return []
    dates = find_dates(clause, years=True)
    if not dates:
        return []
    places = _places(clause, gazetteer, event_city)
    found = []
    for when in dates:
        nearby = [p for p in places if abs(p[0] - when.begin) <= NEAR]
        if not nearby:
            continue
        _position, city, country = min(nearby, key=lambda p: abs(p[0] - when.begin))
        overlaps = event is not None and (event.contains(when) or when.contains(event))
        if overlaps and (city == event_city or when.precision == "day"):
            continue
        found.append(RelatedEvent(title=_event_title(clause, when.begin), start_date=when.start,
                                  end_date=when.end, date_precision=when.precision, city=city,
                                  country=country, relation=_relation(clause, sentence)))
    return found


def _places(clause: str, gazetteer: Gazetteer,
            event_city: str | None) -> list[tuple[int, str, str | None]]:
    """``(position, city, country)`` for each city-like place in a clause."""
    places = []
    for match in PLACE.finditer(clause):
        after_verb = bool(EVENT_VERB.search(clause[max(0, match.start() - 40):match.start()]))
        found = _city_in(match.group("place"), match.group("country") or "", gazetteer,
                         after_verb)
        if found is not None:
            places.append((match.start(), *found))
    same = SAME_VENUE.search(clause)
    if same and event_city:
        places.append((same.start(), event_city, (gazetteer.city(event_city) or (None, None))[1]))
    return places


def _city_in(words: str, after: str, gazetteer: Gazetteer,
             after_verb: bool = False) -> tuple[str, str | None] | None:
    """The longest known city at the start of ``words``, or an unknown one followed by its
    State ("in Port Vila, Vanuatu")."""
    parts = words.rstrip(".").split()
    if parts[0].lower().rstrip(".") in MONTHS:
        return None
    stated = _longest_state(after, gazetteer)
    for size in range(len(parts), 0, -1):
        place = " ".join(parts[:size])
        if place.lower() in REGIONS or gazetteer.state(place) or gazetteer.organisation(place):
            continue
        if find_dates(place, years=True) or parts[0].lower() in ("the", "its"):
            return None
        known = gazetteer.city(place)
        if known is not None:
            return known[0], stated or known[1]
        if (stated is not None or after_verb) and size == len(parts):
            return place, stated
    return None


def _longest_state(text: str, gazetteer: Gazetteer) -> str | None:
    parts = text.split()
    for size in range(len(parts), 0, -1):
        code = gazetteer.state(" ".join(parts[:size]))
        if code:
            return code
    return None


def _relation(clause: str, sentence: str) -> str:
    if SERIES_WORD.search(sentence):
        return "earlier-in-series"
    if FOLLOW_UP.search(sentence):
        return "follow-up-of"
    return "earlier-in-series" if SERIES.search(clause) else "mentioned"


def _event_title(clause: str, date_position: int) -> str:
    """A quoted title, else the event noun phrase just before the verb nearest the date."""
    quoted = QUOTED.search(clause)
    if quoted:
        return quoted.group(1).strip()
    verbs = list(EVENT_VERB.finditer(clause))
    verb = min(verbs, key=lambda v: abs(v.start() - date_position))
    lowered = lowered_text(clause)
    phrases = EVENT_NOUN_PHRASE.finditer(clause) if lowered is None else \
        LOWER_EVENT_NOUN_PHRASE.finditer(lowered)
    title = clause
    for noun in phrases:
        if noun.start() >= verb.start():
            break  # the phrases come in order: none after this one is before the verb
        title = clause[noun.start():noun.end()]
    return BLANKS.sub(" ", title).strip(" ,.")[:160]


def _dedupe_events(events: list[RelatedEvent]) -> list[RelatedEvent]:
    """One event per city and date; a day-precise mention wins over a vaguer one."""
    kept: list[RelatedEvent] = []
    for event in sorted(events, key=lambda e: -len(e.start_date)):
        if not any(k.city == event.city and k.start_date.startswith(event.start_date)
                   for k in kept):
            kept.append(event)
    order = {id(e): i for i, e in enumerate(events)}
    return sorted(kept, key=lambda e: order[id(e)])


def people(paragraphs: list[str], gazetteer: Gazetteer) -> list[Person]:
    """People whose names are in bold, with their title, position and affiliation."""
    found: list[Person] = []
    for paragraph in paragraphs:
        if "**" not in paragraph:
            continue
        for match in BOLD.finditer(paragraph):
            name = match.group("name").strip(" ,")
            title = (match.group("title") or "").strip()
            inside = TITLE_INSIDE.match(name)
            if inside:
                title, name = f"{title} {inside.group('title')}".strip(), inside.group("name")
            position = re.sub(r"^[\s,]+|[\s,.;]+$", "", match.group("after"))
            position = re.sub(r"^(?:from|of)\s+(?:the\s+)?", "", position)
            affiliation, identifier = _affiliation(position, gazetteer)
            found.append(Person(name=name, title=title,
                                position=position, affiliation=affiliation,
                                affiliation_id=identifier))
    return found


def _affiliation(text: str, gazetteer: Gazetteer) -> tuple[str, str | None]:
    _tokens, mentions = gazetteer.scan(text)
    orgs = [m for m in mentions if m.kind in ("organisation", "state")]
    if not orgs:
        return text, None
    last = orgs[-1]
    return text[last.begin:last.end], last.id


def figures(text: str) -> list[Figure]:
    """Counts such as "23 out of the 51 Participating States"."""
    found: list[Figure] = []
    lowered = lowered_text(text)
    if lowered is not None and not FIGURE_HINT.search(lowered):
        return found
    for match in FIGURE.finditer(text):
        count = _number(match.group(1))
        total = int(match.group(2))
        if count <= total and not re.match(r"resolution", match.group(0), re.IGNORECASE):
            found.append(Figure(text=match.group(0).strip(), count=count, total=total))
    return found


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def contact(text: str) -> str | None:
    """The contact e-mail address; "1540 experts@un.org" as wrapped by PDF tools is rejoined."""
    match = EMAIL.search(text, _email_search_start(text))
    if not match:
        return None
    prefix = match.group(1) or ""
    return prefix + match.group(2).rstrip(".")


def _email_search_start(text: str) -> int:
    """Where an e-mail address can start at the earliest: before the first "@", its local part,
    the blanks before it and a number before those ("1540 experts@..."). Searching from there
    finds what searching from the start finds, without trying every character before it.

    >>> text = "Write to 1540 experts@un.org"
    >>> text[_email_search_start(text):]
    '1540 experts@un.org'
    """
    position = text.find("@")
    if position < 0:
        return len(text)
    while position > 0 and (text[position - 1].isalnum() or text[position - 1] in "_.+-"):
        position -= 1
    while position > 0 and text[position - 1].isspace():
        position -= 1
    while position > 0 and text[position - 1].isdecimal():
        position -= 1
    return position


def urls(text: str) -> list[str]:
    """Web addresses in the text, trailing punctuation removed."""
    if "http" not in text and "www." not in text:
        return []
    return [url.rstrip(".,;)") for url in URL.findall(text)]


def recommendations_attached(text: str) -> bool:
    """Whether the note says its recommendations or conclusions are in an attachment."""
    if not might_contain(text, "attach", "annex") or not ATTACHED.search(text):
        return False  # no sentence says it either (a match never spans two sentences)
    return any(ATTACHED.search(s) and ATTACHED_WHAT.search(s) for s in sentences(text))


@functools.cache
def topic_scheme() -> tuple[dict, ...]:
    """The controlled topic list from ``data/topics.yaml``."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
    return tuple(yaml.load((DATA_DIR / "topics.yaml").read_text(encoding="utf-8"), Loader=loader))


@functools.cache
def topic_patterns() -> tuple[tuple[str, tuple[tuple[str, re.Pattern[str]], ...]], ...]:
    """Each topic id with its keyword patterns, each with the letters its matches start with."""
    return tuple((topic["id"], tuple((literal_start(k), re.compile(k, re.IGNORECASE))
                                     for k in topic["keywords"]))
                 for topic in topic_scheme())


def literal_start(keyword: str) -> str:
    r"""The plain letters every match of a keyword pattern starts with, lower-cased ("" when
    the pattern can start otherwise).

    >>> literal_start(r"\bNAPs?\b"), literal_start("matri(?:x|ces)"), literal_start("a|b")
    ('nap', 'matri', '')
    """
    pattern = keyword.removeprefix(r"\b")
    if _has_alternatives(pattern):
        return ""
    size = 0
    while size < len(pattern) and pattern[size].isascii() and (pattern[size].isalnum()
                                                                or pattern[size] in " -'"):
        size += 1
    if size < len(pattern) and pattern[size] in "?*{":
        size -= 1  # the letter before a "?" may be absent
    return pattern[:max(size, 0)].lower()


def _has_alternatives(pattern: str) -> bool:
    """Whether a pattern has a "|" outside groups (any "|" counts when there is a "[": a
    character set may hold brackets)."""
    if "[" in pattern:
        return "|" in pattern
    depth, index = 0, 0
    while index < len(pattern):
        character = pattern[index]
        if character == "\\":
            index += 2
            continue
        depth += {"(": 1, ")": -1}.get(character, 0)
        if character == "|" and depth == 0:
            return True
        index += 1
    return False


def topics(texts: list[str]) -> list[str]:
    """Topic ids whose keywords occur in the texts, in scheme order."""
    joined = " ".join(texts)
    lowered = lowered_text(joined)
    return [identifier for identifier, keywords in topic_patterns()
            if any(_keyword_in(joined, lowered, start, pattern) for start, pattern in keywords)]


def _keyword_in(text: str, lowered: str | None, start: str, pattern: re.Pattern[str]) -> bool:
    """``pattern.search(text)``, tried only where the letters its matches start with are."""
    if lowered is None or not start:
        return pattern.search(text) is not None
    position = lowered.find(start)
    while position >= 0:
        if pattern.match(text, position):
            return True
        position = lowered.find(start, position + 1)
    return False
