"""Seeded generator of realistic 1540 Committee Information Notes, each with its gold record.

    python benchmarks/generate.py N OUT_DIR [--seed S]

writes ``OUT_DIR/gen-00001.txt`` ... and ``OUT_DIR/gen-00001.gold.json`` ... for N notes (100 to
100,000). The same seed always gives the same bytes. Names come from the project's data: States
from pycountry and ``data/state_aliases.csv`` (only names the gazetteer resolves to the intended
State), organisations from ``data/organisations.yaml`` (only names that resolve to their entry,
and only entries whose ``part_of`` is null or a State), participant States from one grouping of
``data/groupings/`` per note, venue cities from ``data/cities.csv`` and highlight sentences with
keywords of ``data/topics.yaml``.

The gold record is what a careful reader takes from the note, in the format of
``tests/gold/*.gold.json``: title, start_date, end_date, city, country, organisers
(``{match: [...], role}``), states (sorted ISO3), organisations (``{match: [...], part_of}``),
related_events (``{start_date, city}``) and the number of recommendations.

Python use::

    from generate import generate, write
    for stem, text, gold in generate(100, seed=7): ...
    write(1000, "/tmp/gen1k", seed=1540)
"""

from __future__ import annotations

import argparse
import calendar
import csv
import functools
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml

from notegraph import gazetteer as gazetteer_module
from notegraph.gazetteer import exact_key_of, is_acronym_like, key_of, tokenize

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
MIN_N, MAX_N = 100, 100_000

MONTH_NAMES = [calendar.month_name[i] for i in range(1, 13)]
FOOTNOTE = ("\u00b9 For information \u2013 not an official report. The views expressed here do not "
            "necessarily represent those of the 1540 Committee or of the organizers or "
            "participants in the event.")
CONTACT = ("For further information, please contact the 1540 Committee experts by e-mail at "
           "1540experts@un.org.")

# Words that must not open a wrapped continuation line (they would read as a header label) and
# words that make a short unpunctuated line read as a section heading.
LABEL_START = re.compile(
    r"^(?:event|title|meeting|activity|organi[sz]|co-organi[sz]|hosted|hosts?\b|convened|co-chair|"
    r"in\s+(?:partnership|cooperation)\s+with|partners?\b|funding|funded|funders?|donors?|"
    r"sponsor|financial\s+support|supported|support\b|dates?\b|period|venue|place|location|"
    r"participa|attendance|attendees|name\s+of)", re.IGNORECASE)
HEADING_WORDS = re.compile(
    r"\b(?:objectives?|purpose|aims?|goals?|background|context|introduction|recommendations?|"
    r"conclusions?|outcomes?|results?|follow-up|next\s+steps|way\s+forward|highlights?|summary|"
    r"proceedings|discussions?|overview|assessment|sessions?|key\s+points|main\s+points|"
    r"presentations|comments?|remarks|information)\b", re.IGNORECASE)
# Phrases that set an organiser's role: a name containing one cannot be an organiser as written.
ROLE_WORDS = re.compile(
    r"financial|funded|financed|sponsored|funding|contribution|hosted|invitation|hospitality|"
    r"\b(?:support|assistance|facilitation)\s+(?:of|from)\b|supported|assisted|facilitated|"
    r"cooperation\s+with|co-operation\s+with|coordination\s+with|collaboration\s+with|"
    r"partnership\s+with|association\s+with|conjunction\s+with|consultation\s+with|together\s+with|"
    r"jointly\s+with|through\s+its|organi[sz]ed\s+by|convened\s+by", re.IGNORECASE)
CITY_NAME = re.compile(r"[A-Z][\w'\u2019.-]+(?:\s+(?:[A-Z][\w'\u2019.-]+|"
                       r"(?:of|de|del|da|do|la|le|es|al|el|and|the)(?=\s+[A-Z])))*")
BUILDING = re.compile(r"\b(?:centre|center|hall|hotel|headquarters|room|building|palace|house|"
                      r"premises|office|offices|campus|auditorium|ministry|embassy|complex|"
                      r"venue|conference|university|academy|institute|floor|club|resort|"
                      r"online|virtual)\b", re.IGNORECASE)
REGIONS = {"africa", "asia", "europe", "america", "americas", "oceania", "pacific", "caribbean"}

DONORS = ["USA", "GBR", "DEU", "NOR", "CAN", "JPN", "KOR", "AUS", "NZL", "NLD", "CHE", "FIN",
          "SWE", "DNK", "ITA", "FRA"]
ORGANISER_ORGS = ["unoda", "unrcpd", "unrec", "unlirec", "osce", "au", "asean", "oas", "caricom",
                  "pifs", "las", "ecowas", "eu", "1540-goe", "unicri", "vertic", "iaea", "opcw",
                  "racviac", "sica", "gcc", "interpol", "wco", "unodc", "sadc", "eac", "cicte"]
PLACES = ["Hilton Hotel", "Radisson Blu Hotel", "Sheraton Hotel", "International Conference Centre",
          "Conference Hall of the Ministry of Foreign Affairs", "Novotel Hotel",
          "Hyatt Regency Hotel", "National Defence College", "Diplomatic Academy",
          "Intercontinental Hotel", "Government Conference Centre"]
GROUPING_TITLES = {
    "osce": ("OSCE participating States", "OSCE"),
    "eu": ("European Union Member States", "EU"),
    "au": ("African Union Member States", "AU"),
    "asean": ("Member States of the Association of Southeast Asian Nations (ASEAN)", "ASEAN"),
    "oas": ("Member States of the Organization of American States", "OAS"),
    "caricom": ("CARICOM Member States", "CARICOM"),
    "pif": ("Pacific Island States", "Pacific"),
    "las": ("Member States of the League of Arab States", "Arab"),
    "un-african-group": ("African States", "African"),
    "un-asia-pacific-group": ("States of Asia and the Pacific", "Asia-Pacific"),
    "un-eastern-european-group": ("States of Eastern Europe", "Eastern European"),
    "un-grulac": ("Latin American and Caribbean States", "Latin American and Caribbean"),
    "un-weog": ("Western European and other States", "Western European"),
}
TITLE_KINDS = [
    "Regional Workshop on the Implementation of United Nations Security Council Resolution 1540 "
    "(2004) for {members}",
    "{adj} Regional Workshop on the Implementation of Security Council Resolution 1540 (2004)",
    "{ordinal} Annual Meeting of the {adj} Points of Contact on UNSCR 1540 (2004)",
    "Workshop on Strategic Trade Controls and Resolution 1540 (2004) for {members}",
    "National Round Table on the Implementation of Resolution 1540 (2004) in {host}",
    "Regional Seminar on Biosecurity and Resolution 1540 (2004) for {members}",
    "{adj} Regional Course for National Points of Contact on Resolution 1540 (2004)",
    "Regional Conference on National Implementation Action Plans under Resolution 1540 (2004)",
    "Peer Review Meeting on the Implementation of Resolution 1540 (2004) by {host}",
    "Industry Dialogue on Export Controls and Resolution 1540 (2004) in {host}",
]
ORDINALS = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth"]
OBJECTIVES = [
    "To raise awareness of the obligations under resolution 1540 (2004) and of the assistance "
    "available to meet them",
    "To exchange national experiences and effective practices in the implementation of the "
    "resolution",
    "To assist States in preparing voluntary national implementation action plans",
    "To discuss the role of national points of contact and inter-agency coordination",
    "To review export control and border control measures for dual-use goods",
    "To strengthen regional cooperation with relevant international and regional organisations",
    "To identify assistance needs and match them with offers of capacity-building",
    "To encourage States to submit their first national reports to the 1540 Committee",
    "To discuss model legislation on chemical, biological and nuclear materials",
]
BACKGROUND = [
    "Several States in the region have in recent years reviewed their strategic trade and "
    "CBRN-related legislation, and non-proliferation has featured regularly on the agenda of "
    "regional meetings.",
    "States in this region have demonstrated a notable commitment to the implementation of the "
    "resolution, in particular by preparing voluntary national action plans in liaison with the "
    "1540 Committee experts.",
    "The workshop was intended to build on this regional momentum and to encourage States to "
    "provide updated information to the 1540 Committee, including through their national "
    "reports.",
    "A number of States of the region have not yet submitted a first report to the Committee, and "
    "several of them have asked for assistance in drafting their legislation.",
    "The meeting responded to requests from national authorities for practical guidance on the "
    "control of sensitive materials and on the exchange of information among agencies.",
]
HIGHLIGHTS = [
    "A 1540 Committee expert presented the status of implementation in the region, noting the "
    "progress made on national reporting and on the matrices of the Committee.",
    "Participating States described their legal frameworks for nuclear and radioactive sources, "
    "toxic chemicals and dangerous pathogens, and the enforcement of their laws.",
    "Speakers addressed export controls, licensing of dual-use goods, transshipment and "
    "brokering, and the compliance programmes of companies in the private sector.",
    "Customs and border agencies exchanged views on the detection and interdiction of illicit "
    "trafficking at land borders and in ports.",
    "Presentations on biosecurity and biosafety covered laboratory practices, the Biological "
    "Weapons Convention and the management of pathogens.",
    "The participants discussed the physical protection of nuclear material and the security of "
    "radiological sources in hospitals and industry.",
    "Several delegations shared their experiences in preparing voluntary national action plans "
    "and in setting up inter-agency coordination mechanisms.",
    "Discussions underlined the importance of regional cooperation and of the support of "
    "regional organisations for States with limited resources.",
    "The role of national points of contact and of national coordination among ministries was "
    "discussed at length, including the exchange of effective practices.",
    "Assistance providers presented their capacity-building and training programmes, and "
    "participants identified technical support needs.",
    "Civil society, academia and industry representatives outlined their contribution to "
    "preventing non-State actors, including terrorists, from acquiring weapons of mass "
    "destruction.",
    "The implementation of the Chemical Weapons Convention and the work of national authorities "
    "on chemical security were discussed.",
]
RECOMMENDATIONS = [
    "States that have not yet done so should designate a national point of contact for "
    "resolution 1540 (2004).",
    "States should consider preparing voluntary national implementation action plans with the "
    "support of the 1540 Committee experts.",
    "Regional organisations should appoint a regional coordinator for the implementation of the "
    "resolution.",
    "States should harmonise their legislation on chemical, biological and nuclear materials, "
    "taking into account the model laws presented.",
    "An annual meeting of national points of contact should be organised with the support of "
    "the relevant regional centre.",
    "Assistance providers should coordinate their activities in the region with the regional "
    "organisation concerned.",
    "States should submit updated information to the 1540 Committee on the measures they have "
    "taken since their last report.",
    "National authorities should strengthen the exchange of information among customs, police "
    "and licensing agencies.",
]


# --------------------------------------------------------------------------- catalogue

@dataclass(frozen=True)
class Org:
    """An organisation entry with the names a note may write and the gold match list."""

    id: str
    kind: str
    part_of: str | None
    forms: tuple[str, ...]
    match: tuple[str, ...]
    organiser_forms: tuple[str, ...]


@dataclass
class Catalogue:
    """The project's data, filtered to names that unambiguously denote one actor."""

    state_names: dict[str, list[str]]
    groupings: dict[str, list[str]]
    cities: dict[str, list[str]]  # ISO3 -> venue cities
    prose_cities: dict[str, list[str]]  # ISO3 -> cities safe in "held in CITY"
    orgs: dict[str, Org]
    general_orgs: list[str]
    agencies: dict[str, list[str]]  # ISO3 -> national agency ids
    government_forms: dict[str, list[str]]  # ISO3 -> "Government of X" forms
    ministry_forms: dict[str, list[str]]  # ISO3 -> "Ministry of Foreign Affairs of X"
    danger_folded: dict[tuple[str, ...], set[str]] = field(default_factory=dict)
    danger_exact: dict[tuple[str, ...], set[str]] = field(default_factory=dict)


@functools.cache
def catalogue() -> Catalogue:
    """Build the catalogue once per process."""
    gaz = gazetteer_module.load()
    states = _state_names(gaz)
    groupings = {}
    for path in sorted((DATA / "groupings").glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            members = [row["iso3"] for row in csv.DictReader(handle) if row["iso3"] in states]
        if len(members) >= 5:
            groupings[path.stem] = members
    cities, prose_cities = _cities(gaz)
    orgs = _organisations(gaz)
    agencies: dict[str, list[str]] = {}
    for org in orgs.values():
        if org.part_of:
            agencies.setdefault(org.part_of, []).append(org.id)
    general = [o.id for o in orgs.values() if o.part_of is None]
    government, ministry = {}, {}
    for code, names in states.items():
        government[code] = [f"Government of {n}" for n in names if _plain_state(gaz, n, code)
                            and gaz.lookup(f"Government of {n}") in (None, ("state", code))]
        ministry[code] = []
        for n in names:
            form = f"Ministry of Foreign Affairs of {n}"
            found = gaz.lookup(form)
            if _plain_state(gaz, n, code) and (found is None or (
                    found[0] == "organisation" and gaz.organisations[found[1]].part_of == code)):
                ministry[code].append(form)
    cat = Catalogue(states, groupings, cities, prose_cities, orgs, general, agencies,
                    government, ministry)
    _build_danger(cat)
    return cat


def _plain_state(gaz, name: str, code: str) -> bool:
    return "(" not in name and gaz.state(name) == code


def _state_names(gaz) -> dict[str, list[str]]:
    """ISO3 → names a note may write that resolve to that State and no other."""
    names: dict[str, list[str]] = {}
    candidates: list[tuple[str, str]] = []
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                candidates += [(variant, country.alpha_3)
                               for variant in gazetteer_module._variants(value)]
    with (DATA / "state_aliases.csv").open(encoding="utf-8") as handle:
        candidates += [(row["alias"], row["iso3"]) for row in csv.DictReader(handle)]
    for name, code in candidates:
        if "," in name or is_acronym_like(name) or name.startswith("The "):
            continue
        if gaz.state(name) != code:
            continue
        if "(" in name and gaz.state(name[:name.index("(")].strip()) != code:
            continue
        if "(" in name and not name.endswith(")"):
            continue
        bucket = names.setdefault(code, [])
        if name not in bucket:
            bucket.append(name)
    return names


def _cities(gaz) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    venue: dict[str, list[str]] = {}
    prose: dict[str, list[str]] = {}
    with (DATA / "cities.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            city, code = row["city"], row["country"]
            if gaz.city(city) != (city, code) or gaz.state(city) or gaz.organisation(city):
                continue
            if BUILDING.search(city) or re.search(r"[,()]", city):
                continue
            venue.setdefault(code, []).append(city)
            if (CITY_NAME.fullmatch(city) and city.lower() not in REGIONS
                    and city.split()[0].lower() not in {m.lower() for m in MONTH_NAMES}
                    and not any(gaz.state(" ".join(city.split()[:k]))
                                or gaz.organisation(" ".join(city.split()[:k]))
                                for k in range(1, len(city.split()) + 1))):
                prose.setdefault(code, []).append(city)
    return venue, prose


def _organisations(gaz) -> dict[str, Org]:
    entries = yaml.safe_load((DATA / "organisations.yaml").read_text(encoding="utf-8"))
    orgs: dict[str, Org] = {}
    for entry in entries:
        part_of = entry.get("part_of")
        if part_of is not None and not re.fullmatch(r"[A-Z]{3}", str(part_of)):
            continue
        oid, name, acronym = str(entry["id"]), entry["name"], entry.get("acronym")
        others = list(entry.get("other_names") or [])

        def good(form: str, oid: str = oid) -> bool:
            found = gaz.organisation(form)
            return (found is not None and found.id == oid and ";" not in form
                    and len(tokenize(form)) <= 14)

        plain = [n for n in [name] + others if "(" not in n and ")" not in n and good(n)]
        forms = list(plain)
        if acronym and good(acronym):
            forms.append(acronym)
            forms += [f"{n} ({acronym})" for n in plain[:2] if good(f"{n} ({acronym})")
                      and not is_acronym_like(n)]
        if not forms:
            continue
        match = [m for m in dict.fromkeys([acronym, name, *others]) if m]
        organiser = tuple(f for f in forms if not ROLE_WORDS.search(f))
        orgs[oid] = Org(oid, entry["kind"], part_of, tuple(forms), tuple(match), organiser)
    return orgs


def _build_danger(cat: Catalogue) -> None:
    """For every known name, its proper prefixes → the token that would continue them: a list
    item ending in such a prefix must not be followed by an item starting with that token."""
    names = list(gazetteer_module.state_names())
    for org in gazetteer_module.read_organisations():
        names += [org.name, *org.other_names] + ([org.acronym] if org.acronym else [])
    for name in names:
        if is_acronym_like(name):
            keys, table = exact_key_of(name), cat.danger_exact
        else:
            keys, table = key_of(name), cat.danger_folded
        for i in range(1, len(keys)):
            table.setdefault(tuple(keys[:i]), set()).add(keys[i])


@functools.lru_cache(maxsize=200_000)
def _risky(first: str, second: str) -> bool:
    """Whether a known name could run from the end of ``first`` into ``second``."""
    cat = catalogue()
    if first.rstrip().endswith(")"):
        return False
    tokens = _tokens(first)
    nxt = _tokens(second)
    if not nxt:
        return False
    for follow in ((nxt[0].key, nxt[0].exact), ("and", "and")):
        for i in range(len(tokens)):
            if tuple(t.key for t in tokens[i:]) in cat.danger_folded and \
                    follow[0] in cat.danger_folded[tuple(t.key for t in tokens[i:])]:
                return True
            exact = tuple(t.exact for t in tokens[i:])
            if exact in cat.danger_exact and follow[1] in cat.danger_exact[exact]:
                return True
    return False


@functools.lru_cache(maxsize=50_000)
def _tokens(text: str):
    return tokenize(text)


# --------------------------------------------------------------------------- text helpers

def safe_order(rng: random.Random, items: list[str]) -> list[str]:
    """The items in an order where no name runs into the next; risky items are dropped."""
    items = list(items)
    for _attempt in range(6):
        if all(not _risky(a, b) for a, b in zip(items, items[1:], strict=False)):
            return items
        rng.shuffle(items)
    kept: list[str] = []
    for item in items:
        if not kept or not _risky(kept[-1], item):
            kept.append(item)
    return kept


def join_and(items: list[str], rng: random.Random, comma_and: bool = False) -> str:
    if len(items) == 1:
        return items[0]
    last = ", and " if comma_and and len(items) > 2 else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def wrap_units(units: list[tuple[str, bool]], width: int, blank: bool) -> list[str]:
    """Wrap text made of units ``(text, atomic)``; atomic units (names) are never split, and
    a break falls only at a space. Continuation lines never open with a label word or a list
    marker, and no line looks like a section heading. With ``blank``, the wrapped parts are
    separated by blank lines, as PDF conversions often leave them."""
    words: list[str] = []
    for text, atomic in units:
        pieces = [text] if atomic else text.split()
        for piece in pieces:
            if words and piece[:1] in ",;":
                words[-1] += piece[0]
                piece = piece[1:].strip()
            if piece:
                words.append(piece)
    lines: list[list[str]] = [[]]
    for word in words:
        current = lines[-1]
        if len(current) > 1 and len(" ".join(current + [word])) > width and _safe_start(word):
            lines.append([word])
        else:
            current.append(word)
    merged: list[str] = []
    for line in (" ".join(words) for words in lines if words):
        if merged and (_looks_like_heading(line) or _looks_like_heading(merged[-1])):
            merged[-1] = merged[-1] + " " + line
        else:
            merged.append(line)
    result: list[str] = []
    for i, line in enumerate(merged):
        if i and blank:
            result.append("")
        result.append(line)
    return result


def _safe_start(word: str) -> bool:
    if LABEL_START.match(word) or word.lower() in {"in", "o"} or word[:1] in "-\u2022\u2013*":
        return False
    return not re.match(r"^\(?(?:[ivx]{1,4}|[a-z]|\d{1,2})[.)]", word)


def _looks_like_heading(line: str) -> bool:
    return (len(line.split()) <= 9 and not re.search(r"[.;:!?]", line)
            and bool(HEADING_WORDS.search(line)))


# --------------------------------------------------------------------------- one note

def _date_text(rng: random.Random, year: int) -> tuple[str, str, str]:
    """(text, start ISO, end ISO) for an event date in ``year``."""
    month = rng.randint(1, 12)
    days_in = calendar.monthrange(year, month)[1]
    length = rng.choice([1, 2, 2, 3, 3, 3, 4])
    cross = rng.random() < 0.12 and month < 12
    if cross:
        start_day = days_in - rng.randint(0, min(length - 1, 2))
        end_month, end_day = month + 1, (start_day + length - 1) - days_in
        if end_day < 1:
            cross = False
    if not cross:
        start_day = rng.randint(1, days_in - length + 1)
        end_month, end_day = month, start_day + length - 1
    m1, m2 = MONTH_NAMES[month - 1], MONTH_NAMES[end_month - 1]
    start = f"{year:04d}-{month:02d}-{start_day:02d}"
    end = f"{year:04d}-{end_month:02d}-{end_day:02d}"
    dash = rng.choice(["-", "\u2013", "\u2013"])
    if cross:
        sep = rng.choice([" \u2013 ", " - ", "\u2013"])
        text = f"{start_day} {m1}{sep}{end_day} {m2} {year}"
    elif length == 1:
        text = f"{start_day} {m1} {year}"
    elif length == 2 and rng.random() < 0.3:
        text = f"{start_day} and {end_day} {m1} {year}"
    elif rng.random() < 0.2:
        text = f"{start_day} to {end_day} {m1} {year}"
    else:
        text = f"{start_day}{dash}{end_day} {m1} {year}"
    return text, start, end


def _earlier_date(rng: random.Random, before: str, day: bool) -> tuple[str, str]:
    """An earlier event's date as written and as gold (day or month precision)."""
    year = int(before[:4]) - rng.randint(1, 4)
    month = rng.randint(1, 12)
    if not day:
        return f"{MONTH_NAMES[month - 1]} {year}", f"{year:04d}-{month:02d}"
    days_in = calendar.monthrange(year, month)[1]
    length = rng.choice([1, 2, 3])
    d1 = rng.randint(1, days_in - length + 1)
    dash = rng.choice(["-", "\u2013"])
    text = f"{d1} {MONTH_NAMES[month - 1]} {year}" if length == 1 else \
        f"{d1}{dash}{d1 + length - 1} {MONTH_NAMES[month - 1]} {year}"
    return text, f"{year:04d}-{month:02d}-{d1:02d}"


class NoteBuilder:
    """Builds one note and its gold record."""

    def __init__(self, rng: random.Random, cat: Catalogue) -> None:
        self.rng = rng
        self.cat = cat

    def state_name(self, code: str) -> str:
        names = self.cat.state_names[code]
        return names[0] if self.rng.random() < 0.55 else self.rng.choice(names)

    def plain_state_name(self, code: str) -> str:
        names = [n for n in self.cat.state_names[code] if "(" not in n]
        return names[0] if self.rng.random() < 0.6 else self.rng.choice(names)

    def org_form(self, oid: str, organiser: bool = False) -> str:
        org = self.cat.orgs[oid]
        forms = org.organiser_forms if organiser else org.forms
        with_acr = [f for f in forms if f.endswith(")")]
        if with_acr and self.rng.random() < 0.45:
            return self.rng.choice(with_acr)
        return self.rng.choice(forms)

    def build(self) -> tuple[str, dict]:
        rng, cat = self.rng, self.cat
        gname = rng.choice(sorted(cat.groupings))
        members = cat.groupings[gname]
        hosts = [c for c in members if cat.cities.get(c) and cat.government_forms.get(c)]
        host = rng.choice(hosts)
        city = rng.choice(cat.cities[host])
        year = rng.randint(2008, 2023)
        date_text, start, end = _date_text(rng, year)

        count = min(len(members), rng.randint(4, 16))
        states = [host] + rng.sample([m for m in members if m != host], count - 1)
        others = [c for c in cat.state_names if c not in members]
        observers = rng.sample(others, rng.randint(1, 3)) if rng.random() < 0.3 else []

        title = self.title(gname, host)
        organiser_lines, organisers_gold = self.organisers(host, members)
        participant_lines, orgs_gold = self.participants(gname, host, states, observers)
        venue_lines, venue_gold = self.venue(date_text, city, host)
        body_lines, related_gold, rec_count = self.body(start, city, host, members)

        lines = [rng.choice(["Information Note\u00b9", "Information Note\u00b9",
                             "INFORMATION NOTE\u00b9"]), ""]
        title_label = rng.choice(["Event", "Event:", "Title of event:", "Event:", "EVENT:"])
        lines += self.field(title_label, [(title, False)], width=rng.randint(70, 100))
        order = rng.choice(["ovp", "vop", "ovp"])
        blocks = {"o": organiser_lines, "v": venue_lines, "p": participant_lines}
        for key in order:
            lines += blocks[key]
        lines += body_lines
        gold = {
            "title": title, "start_date": start, "end_date": end,
            "city": venue_gold, "country": host,
            "organisers": organisers_gold,
            "states": sorted(set(states) | set(observers)),
            "organisations": orgs_gold,
            "related_events": related_gold,
            "recommendations": rec_count,
        }
        return "\n".join(lines).rstrip() + "\n", gold

    # -- header ---------------------------------------------------------------------

    def field(self, label: str, units: list[tuple[str, bool]], width: int = 95) -> list[str]:
        """A header field: its label and value, wrapped or on one line."""
        rng = self.rng
        blank = rng.random() < 0.7
        if rng.random() < 0.4:
            width = 10_000
        if not label.endswith(":") and units and units[0][0][:1].islower():
            # a label without a colon is read only when the value opens with a capital
            units = [(units[0][0][:1].upper() + units[0][0][1:], units[0][1])] + units[1:]
        return wrap_units([(label, True)] + units, width, blank) + [""]

    def title(self, gname: str, host: str) -> str:
        rng = self.rng
        members_text, adj = GROUPING_TITLES.get(gname, ("Member States", "Regional"))
        template = rng.choice(TITLE_KINDS)
        return template.format(members=members_text, adj=adj, ordinal=rng.choice(ORDINALS),
                               host=self.plain_state_name(host))

    def organisers(self, host: str, members: list[str]) -> tuple[list[str], list[dict]]:  # noqa: C901
        rng, cat = self.rng, self.cat
        gold: list[dict] = []
        if rng.random() < 0.35 and cat.ministry_forms.get(host):
            host_text = rng.choice(cat.ministry_forms[host])
        else:
            host_text = rng.choice(cat.government_forms[host])
        written_state = re.sub(r"^(?:Government|Ministry of Foreign Affairs) of ", "", host_text)
        host_gold = {"match": list(dict.fromkeys([
            host, gazetteer_module.load().label("state", host), written_state, host_text])),
            "role": "host"}
        pool = [o for o in ORGANISER_ORGS if o in cat.orgs and cat.orgs[o].organiser_forms]
        n_org = rng.choice([1, 1, 2, 2, 3])
        org_ids = rng.sample(pool, n_org)
        rest = [o for o in pool if o not in org_ids]
        supporters = rng.sample(rest, rng.choice([0, 0, 1, 2])) if rest else []
        donors = [d for d in DONORS if d != host and d in cat.state_names
                  and cat.government_forms.get(d)]
        funders = rng.sample(donors, rng.choice([0, 0, 1, 2, 3]))
        if rng.random() < 0.2 and "eu" in cat.orgs and "eu" not in org_ids + supporters:
            funders.append("eu")

        def org_items(ids: list[str]) -> list[tuple[str, str]]:
            return [(oid, self.org_form(oid, organiser=True)) for oid in ids]

        def org_gold(oid: str, written: str, role: str) -> dict:
            org = cat.orgs[oid]
            bare = re.sub(r"\s*\([^()]*\)$", "", written)
            return {"match": list(dict.fromkeys([*org.match[:2], bare, *org.match[2:]])),
                    "role": role}

        organisers = org_items(org_ids)
        organisers = self._ordered(organisers)
        support_items = self._ordered(org_items(supporters))
        funder_items = []
        for code in funders:
            if code == "eu":
                funder_items.append((code, self.org_form("eu", organiser=True)))
            elif rng.random() < 0.3:
                funder_items.append((code, "the " + rng.choice(cat.government_forms[code])))
            else:
                funder_items.append((code, self.plain_state_name(code)))
        funder_items = self._ordered(funder_items)

        layout = rng.choice(["host-first", "host-last", "hosted-by", "host-first"])
        label = rng.choice(["Organiser", "Organiser:", "Organizer(s):", "Organisers:",
                            "Organised by:", "Organized by:", "ORGANISERS:"])
        units: list[tuple[str, bool]] = []
        lines: list[str] = []
        org_names = [w for _o, w in organisers]
        if layout == "host-first":
            units += [(host_text, True)]
            if org_names:
                units.append((rng.choice([", in cooperation with the", ", in cooperation with",
                                          " in cooperation with"]), False))
                units += self._list_units(org_names)
        elif layout == "host-last":
            units += self._list_units(org_names)
            units += [(", in cooperation with the", False), (f"{host_text} (host)", True)]
        else:
            lines += self.field(rng.choice(["Hosted by:", "Host:"]), [(host_text, True)])
            label = rng.choice(["Organised by:", "Organizer(s):", "Organisers:"])
            units += self._list_units(org_names)
        gold.append(host_gold)
        gold += [org_gold(o, w, "organiser") for o, w in organisers]
        if support_items:
            units.append((rng.choice([", with the support of", ", with support of",
                                      "; with the support of"]), False))
            units += self._list_units([w for _o, w in support_items])
            gold += [org_gold(o, w, "supporter") for o, w in support_items]
        if funder_items:
            units.append((rng.choice(["; funded by", ", with the financial support of",
                                      "; funded by"]), False))
            units += self._list_units([w for _o, w in funder_items])
            for code, written in funder_items:
                if code == "eu":
                    gold.append(org_gold(code, written, "funder"))
                else:
                    gold.append({"match": list(dict.fromkeys(
                        [code, gazetteer_module.load().label("state", code),
                         re.sub(r"^the ", "", written), written.split(" of ", 1)[-1]])),
                        "role": "funder"})
        lines += self.field(label, units)
        return lines, gold

    def _ordered(self, items: list[tuple[str, str]]) -> list[tuple[str, str]]:
        texts = safe_order(self.rng, [w for _o, w in items])
        by_text = {w: o for o, w in items}
        return [(by_text[w], w) for w in texts]

    def _list_units(self, names: list[str], sep: str = ",") -> list[tuple[str, bool]]:
        units: list[tuple[str, bool]] = []
        for i, name in enumerate(names):
            if i == len(names) - 1 and i:
                units.append(("and", False))
            units.append((name + (sep if i < len(names) - 2 else ""), True))
        return units

    def venue(self, date_text: str, city: str, host: str) -> tuple[list[str], str]:
        rng = self.rng
        country = self.plain_state_name(host)
        place = rng.choice(PLACES) if rng.random() < 0.3 else None
        where = f"{city}, {country}"
        if place:
            where = rng.choice([f"{where} ({place})", f"{place}, {where}"])
        style = rng.choice(["dv", "dv", "vd", "sep", "sep"])
        if style == "dv":
            label = rng.choice(["Date and Venue", "Date and Venue:", "Dates and venue:"])
            return [f"{label} {date_text}, {where}", ""], city
        if style == "vd":
            label = rng.choice(["Venue and Date:", "Venue and Date"])
            return [f"{label} {where}, {date_text}", ""], city
        dlabel = rng.choice(["Date:", "Dates:", "Date"])
        vlabel = rng.choice(["Venue:", "Location:", "Venue"])
        return [f"{dlabel} {date_text}", "", f"{vlabel} {where}", ""], city

    def participants(self, gname: str, host: str, states: list[str],
                     observers: list[str]) -> tuple[list[str], list[dict]]:
        rng, cat = self.rng, self.cat
        n_orgs = rng.randint(2, 9)
        general = rng.sample(cat.general_orgs, n_orgs)
        agencies = []
        for code in rng.sample(states, min(len(states), 3)):
            if cat.agencies.get(code) and rng.random() < 0.4:
                agencies.append(rng.choice(cat.agencies[code]))
        other_ids = agencies[:]
        if rng.random() < 0.4 and len(general) > 3:
            other_ids += general[-2:]
            general = general[:-2]
        state_w = self._ordered([(c, self.state_name(c)) for c in states])
        obs_w = self._ordered([(c, self.state_name(c)) for c in observers])
        state_items, obs_items = [w for _c, w in state_w], [w for _c, w in obs_w]
        general_w = self._ordered([(o, self.org_form(o)) for o in general])
        other_w = self._ordered([(o, self.org_form(o)) for o in other_ids])

        lines: list[str] = []
        members_text = GROUPING_TITLES.get(gname, ("Member States", ""))[0]
        state_label = rng.choice(["Participating States:", "States:", "Participants States:",
                                  f"Representatives of {members_text}:", "Participants:"])
        style = rng.choice(["comma", "semicolon", "bullets", "comma"])
        if state_label.startswith("Representatives") or (style == "bullets"
                                                         and rng.random() < 0.5):
            lines += [rng.choice(["Participants", "Participants:"]), ""]
        if state_label == "Participants States:":
            state_label = "Participants States:" if not lines else "States:"
        lines += self.list_block(state_label, state_items, style)
        if obs_items:
            lines += self.list_block("Observers:", obs_items, rng.choice(["comma", "semicolon"]))
        org_label = rng.choice(["International and regional organisations:",
                                "International organisations:", "International organizations:",
                                "Organisations:"])
        if general_w:
            lines += self.list_block(org_label, [w for _o, w in general_w],
                                     rng.choice(["comma", "semicolon", "bullets", "comma"]))
        if other_w:
            lines += self.list_block("Other participants:", [w for _o, w in other_w],
                                     rng.choice(["comma", "semicolon"]))
        gold = []
        for oid, written in general_w + other_w:
            org = cat.orgs[oid]
            bare = re.sub(r"\s*\([^()]*\)$", "", written)
            gold.append({"match": list(dict.fromkeys([*org.match, bare])),
                         "part_of": org.part_of})
        # keep gold States in step with what is written (a risky name may have been dropped)
        states[:] = [c for c, _w in state_w]
        observers[:] = [c for c, _w in obs_w]
        return lines, gold

    def list_block(self, label: str, items: list[str], style: str) -> list[str]:
        rng = self.rng
        if style == "bullets":
            bullet = rng.choice(["\u2022", "-", "o", "\u2022"])
            return [label, ""] + [f"{bullet} {item}" for item in items] + [""]
        if style == "semicolon":
            units = [(item + (";" if i < len(items) - 1 else ""), True)
                     for i, item in enumerate(items)]
        else:
            units = self._list_units(items)
        return self.field(label, units, width=rng.randint(80, 110))

    # -- body ---------------------------------------------------------------------

    def heading(self, number: int, word: str, style: str) -> str:
        if style == "numbered":
            return f"{number}. {word}"
        if style == "upper":
            return word.upper()
        return word

    def body(self, start: str, city: str, host: str,  # noqa: C901
             members: list[str]) -> tuple[list[str], list[dict], int]:
        rng, cat = self.rng, self.cat
        style = rng.choice(["numbered", "plain", "upper", "numbered"])
        lines: list[str] = []
        number = 1
        objective_word = rng.choice(["Objectives", "Conference Objectives", "Objectives"])
        lines += [self.heading(number, objective_word, style), ""]
        bullet = rng.choice(["\u2022", "-", "\u2022"])
        for item in rng.sample(OBJECTIVES, rng.randint(1, 4)):
            lines.append(f"{bullet} {item}")
            if rng.random() < 0.4:
                lines.append("")
        if lines[-1]:
            lines.append("")
        number += 1

        # background with earlier events
        related, sentences = [], []
        pool = [c for c in members if cat.prose_cities.get(c)]
        used = {city}
        for _ in range(rng.choice([0, 1, 1, 2])):
            code = rng.choice(pool) if pool else host
            choices = [c for c in cat.prose_cities.get(code, []) if c not in used]
            if not choices:
                continue
            other_city = rng.choice(choices)
            used.add(other_city)
            day = rng.random() < 0.6
            text, gold_start = _earlier_date(rng, start, day)
            if any(r["start_date"] == gold_start for r in related):
                continue
            if day:
                sentence = rng.choice([
                    f"The workshop built on the regional workshop held in {other_city} on {text}.",
                    f"It was a follow-up to the meeting held in {other_city} on {text}.",
                    f"An earlier seminar on the same subject was held in {other_city} on {text}.",
                ])
            else:
                country = self.plain_state_name(code)
                sentence = rng.choice([
                    f"It also followed a national round table held in {other_city}, {country} "
                    f"in {text}.",
                    f"A first regional meeting was held in {other_city}, {country} in {text}.",
                ])
            sentences.append(sentence)
            related.append({"start_date": gold_start, "city": other_city})
        background = rng.sample(BACKGROUND, rng.randint(1, 2))
        paragraph = " ".join(background[:1] + sentences + background[1:])
        lines += [self.heading(number, "Background", style), ""]
        number += 1
        footnote_middle = rng.random() < 0.5
        if footnote_middle:
            words = paragraph.split(" ")
            cuts = [i for i in range(4, len(words) - 3)
                    if words[i][:1].islower() and not words[i - 1].endswith(tuple(".!?:;)\"\u201d"))
                    and words[i][:1] != "o"]
            cut = rng.choice(cuts)
            lines += [" ".join(words[:cut]), "", FOOTNOTE, ""]
            if rng.random() < 0.5:
                lines += [rng.choice(["Page 1 of 2", "1", "- 1 -"]), ""]
            lines += [" ".join(words[cut:]), ""]
        else:
            lines += [paragraph, ""]

        lines += [self.heading(number, rng.choice(["Highlights", "Highlights",
                                                   "Summary of Discussions"]), style), ""]
        number += 1
        highlights = rng.sample(HIGHLIGHTS, rng.randint(2, 5))
        if rng.random() < 0.3:
            lines += ["The workshop focused on the following topics:", ""]
            for item in rng.sample(["Effective practices in national implementation",
                                    "Export controls and border controls",
                                    "Biosecurity and biosafety", "Regional cooperation",
                                    "National reporting and action plans"], 3):
                lines.append(f"- {item}")
            lines.append("")
        for sentence in highlights:
            lines += [sentence, ""]
            if rng.random() < 0.1:
                lines += [rng.choice(["Page 2 of 3", "2"]), ""]

        recommendations = 0
        kind = rng.choice(["list", "list", "none", "attached", "no-formal"])
        if kind == "list":
            recommendations = rng.randint(1, 6)
            lines += [self.heading(number, "Recommendations", style), ""]
            if rng.random() < 0.4:
                lines += ["The participants adopted the following recommendations:", ""]
            marker = rng.choice(["1.", "1)", "(a)"])
            for i, item in enumerate(rng.sample(RECOMMENDATIONS, recommendations)):
                if marker == "1.":
                    mark = f"{i + 1}."
                elif marker == "1)":
                    mark = f"{i + 1})"
                else:
                    mark = f"({'abcdef'[i]})"
                lines.append(f"{mark} {item}")
            lines.append("")
        elif kind == "attached":
            lines += ["Concluding the workshop, the participants agreed on a set of informal "
                      "recommendations for follow up action (see attachment).", ""]
        elif kind == "no-formal":
            lines += ["No formal recommendations were adopted; a summary of the discussion will "
                      "be circulated to all participants.", ""]
        lines += [CONTACT, ""]
        if not footnote_middle:
            lines += [FOOTNOTE, ""]
        return lines, related, recommendations


# --------------------------------------------------------------------------- entry points

def generate(n: int, seed: int = 1540) -> Iterator[tuple[str, str, dict]]:
    """Yield ``(stem, note_text, gold_dict)`` for ``n`` notes, deterministically for ``seed``."""
    rng = random.Random(seed)
    cat = catalogue()
    width = max(5, len(str(n)))
    for i in range(1, n + 1):
        builder = NoteBuilder(random.Random(rng.getrandbits(64)), cat)
        text, gold = builder.build()
        yield f"gen-{i:0{width}d}", text, gold


def write(n: int, out_dir: str | Path, seed: int = 1540) -> list[Path]:
    """Write ``n`` notes and their gold files into ``out_dir``; return the note paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for stem, text, gold in generate(n, seed):
        note = out / f"{stem}.txt"
        note.write_text(text, encoding="utf-8")
        (out / f"{stem}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        paths.append(note)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help=f"number of notes ({MIN_N} to {MAX_N})")
    parser.add_argument("out_dir", help="folder to write the notes and gold files into")
    parser.add_argument("--seed", type=int, default=1540, help="random seed (default 1540)")
    args = parser.parse_args(argv)
    if not MIN_N <= args.n <= MAX_N:
        parser.error(f"N must be between {MIN_N} and {MAX_N}")
    write(args.n, args.out_dir, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
