"""Lists of names → States and organisations, with national agencies and sub-units resolved.

A list such as "UNODA, Ministry of Public Health of the Republic of Belarus (Republican Research
Centre), Serbia and Slovenia" is first scanned for every name the gazetteer knows (longest match);
separators outside those names and outside parentheses then cut it into items (``list_cuts``).
Each item becomes one actor: a known organisation (a chain such as "CPC of the OSCE" becomes its
most specific member), a State, or a national agency of a State named in it (or of the list's
context State). Lists are read part by part and each part's reading is remembered
(``list_parts``): the same names recur across lists and notes.

>>> from notegraph import gazetteer
>>> from notegraph.text import Passage
>>> found = resolve_list(Passage("Serbia and the Ministry of Health of the Republic of Moldova"),
...                      gazetteer.load())
>>> [(a.id, a.kind, a.part_of) for a in found]
[('SRB', 'state', None), ('mda-ministry-of-health', 'organisation', 'MDA')]
"""

from __future__ import annotations

import bisect
import functools
import re

from notegraph.gazetteer import Gazetteer, Mention, Token, key_of
from notegraph.list_cuts import (
    AGENCY_WORDS,
    AND_SEPARATOR,
    Item,
    and_splits,
    cut_items,
    split_adjacent,
)
from notegraph.list_parts import Context, Entry, ListMemo, PartReading
from notegraph.records import Actor, at_line, changed, new_actor
from notegraph.text import Passage, lowered_text

STATE_WORDS = re.compile(
    r"^(?:(?:the\s+)?(?:government|republic|kingdom|state|delegation|permanent\s+mission|"
    r"mission|chairmanship|presidency|authorities|embassy)\s*(?:of\s+(?:the\s+)?)?)+$",
    re.IGNORECASE)
CHAIR_WORDS = re.compile(r"\b(?:chairmanship|chair|presidency|government|delegation)\b",
                         re.IGNORECASE)
UNIT_WORD = (r"(?:department|division|section|branch|unit|office|service|secretariat|programme|"
             r"program|directorate|bureau|team)")
UNIT_TAIL = re.compile(rf"\b{UNIT_WORD}\s*$|^(?:the\s+)?{UNIT_WORD}\s+(?:of|for)\b", re.IGNORECASE)
GOVERNMENT_WORDS = re.compile(
    r"\b(?:ministry|ministries|department|office|agency|authority|board|commission|council|"
    r"forces?|police|customs|assembly|parliament|senate|administration|service|directorate|"
    r"bureau|inspectorate|guard|chambers?|attorney|prosecutor|cabinet|presidency|regulator|"
    r"regulatory|committee|army|navy)\b", re.IGNORECASE)
REMOTE = re.compile(r"video|remote|online|virtual|vtc|webex|zoom|teleconference|by\s+link",
                    re.IGNORECASE)
OBSERVER = re.compile(r"\bobservers?\b", re.IGNORECASE)
HOST = re.compile(r"^\s*(?:the\s+)?hosts?\s*$", re.IGNORECASE)
ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&/\-.]{1,14}$")
PEOPLE = (r"(?:representatives?|members?|delegates?|delegations?|staff|experts?|officials?|"
          r"participants?|parliamentarians|speakers?|observers?|officers?|researchers|"
          r"practitioners|scholars|academics|scientists|diplomats|students|professionals)")
DESCRIPTORS = (
    re.compile(rf"^[^,;]*?\b{PEOPLE}\b[^,;]*\b(?:from|representing)\b\s*:?\s*", re.IGNORECASE),
    re.compile(rf"^[^,;]*?\b{PEOPLE}\s+of\s+", re.IGNORECASE),
)
PEOPLE_STEMS = ("representative", "member", "delegat", "staff", "expert", "official",
                "participant", "parliamentarian", "speaker", "observer", "officer", "researcher",
                "practitioner", "scholar", "academic", "scientist", "diplomat", "student",
                "professional")  # a descriptor needs one of these
PEOPLE_STEM = re.compile("|".join(PEOPLE_STEMS))
FILLER = {"the", "of", "and", "its", "their", "from", "for", "in", "at", "by", "with", "a", "an",
          "as", "well", "also", "both", "other", "all"}
SPACED_BRACKETED = re.compile(r"\s*\([^()]*\)")
YEAR_WORD = re.compile(r"\b\d{4}\b")
TRAILING_OF = re.compile(r"\s+(?:of|in|for)(?:\s+the)?\s*$")
LEADING_THE = re.compile(r"^(?:the\s+)", re.IGNORECASE)
BLANKS = re.compile(r"\s+")
UNIT_HEAD = re.compile(rf"(?:the\s+)?{UNIT_WORD}\b", re.IGNORECASE)


def resolve_list(passage: Passage, gazetteer: Gazetteer, context_state: str | None = None,
                 mode: str = "in-person", explicit_context: bool = False) -> list[Actor]:
    """Actors named in a list passage, in order, duplicates removed.

    ``context_state`` is the State of agencies named without one; when the list's heading names
    it (``explicit_context``) any institution counts, otherwise only government bodies do.
    """
    context = (context_state, explicit_context)
    entries = _MEMO.entries(passage.text, gazetteer, context)
    if entries is None:
        entries = _read(passage.text, gazetteer, context).entries
    actors: list[Actor] = []
    for begin, separator, actor in entries:
        actor = at_line(actor, passage.line_at(begin), mode)
        if actors and separator in (",", "") and _merges_into(actors[-1], actor, separator,
                                                               gazetteer):
            actors[-1] = _merge(actors[-1], actor, gazetteer)
            continue
        actors.append(actor)
    return dedupe(actors)


def _read(text: str, gazetteer: Gazetteer, context: Context, semicolons: bool | None = None,
          descriptor: bool = True) -> PartReading:
    """Each item's actor (its line not set, its mode None unless its parentheses give one; ""
    as the separator before the first item) and what the text around could change.

    ``semicolons`` (whether the whole list is cut at semicolons) is given when ``text`` is a
    part of a list; ``descriptor`` says whether it may open with "Members of Parliament from".
    """
    context_state, explicit_context = context
    tokens, mentions, open_ends = gazetteer.scan_part(text)
    offset = _descriptor_end(text) if descriptor else 0
    if mentions and mentions[0].begin < offset:
        offset = 0  # "Group of Experts of the 1540 Committee" is a name, not a descriptor
    cut, leans_left = cut_items(text, offset, tokens, mentions, semicolons)
    items = [part for item in cut for part in split_adjacent(text, item, gazetteer)]
    entries: list[Entry] = []
    begins = [token.begin for token in tokens]
    uses_context = False
    for item in items:
        actor, reads_context = _resolve_item(text, item, tokens, begins, gazetteer,
                                             context_state, explicit_context)
        uses_context = uses_context or reads_context
        if actor is not None:
            entries.append((item.begin, item.separator, _annotate(actor, item)))
    return PartReading(tuple(entries), tuple(open_ends), leans_left,
                       tokens[0] if tokens else None, uses_context,
                       mentions[0].begin if mentions else None,
                       mentions[-1].end if mentions else None)


@functools.lru_cache(maxsize=65536)
def _may_describe(text: str) -> bool:
    """Whether a text has a word a descriptor needs ("members", "experts"), in any case.

    >>> _may_describe("EXPERTS from Chile"), _may_describe("Chile")
    (True, False)
    """
    lowered = lowered_text(text)
    return lowered is None or PEOPLE_STEM.search(lowered) is not None


def _descriptor_end(text: str) -> int:
    """Where a leading "Members of Parliament from" ends (0 when there is none)."""
    if not _may_describe(text):
        return 0
    for pattern in DESCRIPTORS:
        found = pattern.match(text)
        if found and len(found.group().split()) <= 12:
            return found.end()
    return 0


def dedupe(actors: list[Actor]) -> list[Actor]:
    """Keep the first actor for each id (a remote or observer mode wins over in-person)."""
    kept: dict[str, Actor] = {}
    for actor in actors:
        earlier = kept.get(actor.id)
        if earlier is None:
            kept[actor.id] = actor
        elif earlier.mode == "in-person" and actor.mode not in (None, "in-person"):
            kept[actor.id] = changed(earlier, mode=actor.mode)
    return list(kept.values())


def _resolve_item(text: str, item: Item, tokens: list[Token], begins: list[int],
                  gazetteer: Gazetteer, context_state: str | None,
                  explicit_context: bool = False) -> tuple[Actor | None, bool]:
    """The item's actor, and whether the context State (or whether it is explicit) was read:
    only an item without names whose words suggest an agency reads it."""
    main = _main_text(text, item)
    if not main:
        return None, False
    mentions = item.mentions or item.inner_mentions[:1]
    leftover = _leftover(item, tokens, begins, mentions)
    states = [m for m in mentions if m.kind in ("state", "demonym")]
    orgs = [m for m in mentions if m.kind == "organisation"]
    if states and (not orgs or CHAIR_WORDS.search(leftover)):
        return _state_or_agency(main, text, item, states[0], leftover, gazetteer), False
    if orgs:
        return _organisation(main, _most_specific(orgs, gazetteer), gazetteer), False
    uses_context = bool(leftover) and bool(AGENCY_WORDS.search(leftover)
                                           or GOVERNMENT_WORDS.search(leftover))
    agency_words = AGENCY_WORDS if explicit_context else GOVERNMENT_WORDS
    if leftover and agency_words.search(leftover) and context_state:
        return _context_agency(main, context_state, gazetteer), uses_context
    if not any(word.lower() not in FILLER for word in main.split()):
        return None, uses_context
    return new_actor(name=main, id=_slug(main), kind="organisation", acronym=_acronym(item),
                     unresolved=True, resolved_by="none"), uses_context


def _main_text(text: str, item: Item) -> str:
    main = text[item.begin:item.end]
    if "(" in main:
        main = SPACED_BRACKETED.sub("", main)
    return main.strip(" \t.,;:").removeprefix("the ").removeprefix("The ").strip()


def _leftover(item: Item, tokens: list[Token], begins: list[int], mentions: list[Mention]) -> str:
    """Words of the item outside its names and parentheses, fillers dropped; ``begins`` holds
    where each token begins."""
    first = bisect.bisect_left(begins, item.begin)
    last = bisect.bisect_left(begins, item.end, first)
    inside: set[int] = set()
    for mention in mentions:
        inside.update(range(mention.first_token, mention.last_token + 1))
    words = [t.exact for i, t in enumerate(tokens[first:last], start=first)
             if i not in inside and t.key not in FILLER
             and not (item.brackets and _in_brackets(item, t))]
    return " ".join(words)


def _in_brackets(item: Item, token: Token) -> bool:
    return any(begin <= token.begin < end for begin, end in item.brackets)


def _state_or_agency(main: str, text: str, item: Item, mention: Mention, leftover: str,
                     gazetteer: Gazetteer) -> Actor:
    code = mention.id
    words = YEAR_WORD.sub("", leftover).strip() if leftover else ""
    if mention.kind == "demonym" and not AGENCY_WORDS.search(words):
        return _state(main, code, gazetteer, "pattern")
    if not words or STATE_WORDS.match(words) or CHAIR_WORDS.search(words):
        return _state(main, code, gazetteer, "gazetteer" if not words else "pattern")
    if AGENCY_WORDS.search(words):
        return _agency(main, code, _agency_name(text, item, mention), "pattern")
    return _state(main, code, gazetteer, "pattern")


def _state(main: str, code: str, gazetteer: Gazetteer, how: str) -> Actor:
    return new_actor(name=main, id=code, kind="state", label=gazetteer.label("state", code),
                     resolved_by=how)


def _agency(main: str, code: str, agency_name: str, how: str) -> Actor:
    return new_actor(name=main, id=f"{code.lower()}-{_slug(agency_name)}", kind="organisation",
                     label=main, org_kind="national-agency", part_of=code, resolved_by=how)


def _agency_name(text: str, item: Item, mention: Mention) -> str:
    """The agency's name without its State: "Ministry of Health of the Republic of Belarus"."""
    before = text[item.begin:mention.begin]
    after = text[mention.end:item.end]
    name = SPACED_BRACKETED.sub("", f"{before} {after}")
    name = TRAILING_OF.sub("", name.strip(" ,.;:"))
    name = LEADING_THE.sub("", name.strip())
    return BLANKS.sub(" ", name).strip() or text[item.begin:item.end]


def _context_agency(main: str, code: str, gazetteer: Gazetteer) -> Actor:
    """An agency named without its State, under a heading or at a venue that gives it."""
    state = gazetteer.label("state", code)
    for candidate in (f"{main} of {state}", f"{state} {main}", f"{main} of the {state}"):
        org = gazetteer.organisation(candidate)
        if org is not None and org.part_of == code:
            return changed(_organisation(main, org.id, gazetteer), resolved_by="context")
    return changed(_agency(main, code, main, "context"), label=f"{main} ({state})")


def _organisation(main: str, identifier: str, gazetteer: Gazetteer) -> Actor:
    org = gazetteer.organisations[identifier]
    return new_actor(name=main, id=org.id, kind="organisation", label=org.name,
                     acronym=org.acronym, org_kind=org.kind, part_of=org.part_of)


def _most_specific(mentions: list[Mention], gazetteer: Gazetteer) -> str:
    """Of names in one item, the one the others contain: "CPC of the OSCE" → the CPC."""
    ids = [m.id for m in mentions]
    for identifier in ids:
        ancestors = set(gazetteer.ancestors(identifier)) | {identifier}
        if all(other in ancestors for other in ids):
            return identifier
    return ids[0]


def _acronym(item: Item) -> str | None:
    return next((note for note in item.notes if ACRONYM.match(note) and note.isupper()), None)


def _annotate(actor: Actor, item: Item) -> Actor:
    """The mode (None unless a note such as "(remote)" says it), role and acronym the item's
    parentheses give."""
    mode = None
    notes = " ".join(item.notes)
    if notes and REMOTE.search(notes):
        mode = "remote"
    elif notes and OBSERVER.search(notes):
        mode = "observer"
    role = "host" if any(HOST.match(note) for note in item.notes) else None
    acronym = actor.acronym or _acronym(item)
    return changed(actor, mode=mode, role=role, acronym=acronym)


def _merges_into(previous: Actor, actor: Actor, separator: str, gazetteer: Gazetteer) -> bool:
    """A sub-unit listed after its parent ("OSCE CPC, FSC Support Section") is one actor."""
    if separator not in (",", "") or previous.kind != "organisation":
        return False
    loose = actor.unresolved or actor.resolved_by == "context"
    if loose and UNIT_TAIL.search(actor.name) and previous.org_kind != "national-agency":
        return True
    same_state = actor.part_of is not None and actor.part_of in (previous.part_of, previous.id)
    if same_state and not loose and UNIT_HEAD.match(actor.name):
        return True
    return actor.kind == "organisation" and previous.id in gazetteer.ancestors(actor.id)


def _merge(previous: Actor, actor: Actor, gazetteer: Gazetteer) -> Actor:
    name = f"{previous.name}, {actor.name}"
    if actor.unresolved or actor.resolved_by == "context":
        return changed(previous, name=name)
    return changed(actor, name=name, mode=previous.mode, role=previous.role or actor.role,
                   line=previous.line)


def _slug(name: str) -> str:
    """A readable id from a name: "Guyana Energy Agency" → "guyana-energy-agency"."""
    return "-".join(key_of(name))[:80] or "unnamed"


_MEMO = ListMemo(_read, and_splits, AND_SEPARATOR, _may_describe)
