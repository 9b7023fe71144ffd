"""Names → States and organisations.

States come from pycountry (ISO 3166-1, with historic codes) plus the variants real notes use,
listed in ``data/state_aliases.csv``. Organisations come from ``data/organisations.yaml``;
adjectives such as "German" from ``data/demonyms.csv``; venue cities from ``data/cities.csv``.

Matching is on word keys: diacritics, case, quotes, dots, "&" and a few British spellings are
folded, so "Organisation for Security and Co-operation in Europe" and "Organization for Security
and Cooperation in Europe" are one name. Acronyms and upper-case names match case-sensitively, so
"WHO" is an organisation and "who" is not.

>>> gazetteer = load()
>>> gazetteer.state("Bosnia & Herzegovina"), gazetteer.state("Lao PDR"), gazetteer.state("Türkiye")
('BIH', 'LAO', 'TUR')
>>> gazetteer.state("Bolivia (Plurinational State of)")
'BOL'
>>> gazetteer.organisation("Organisation for the Prohibition of Chemical Weapons").acronym
'OPCW'
>>> gazetteer.city("Lome")
('Lomé', 'TGO')
"""

from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pycountry
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# The lookahead (every word starts with a letter or digit, or is "&") changes no match; it
# spares trying the prefixes at every blank and comma.
WORD = re.compile(
    r"(?=[^\W_]|&)(?:(?:(?:co|non|sub|inter|anti|counter|multi|cross|pre|post|re|bio)-)?"
    r"[^\W_]+(?:['\u2019.][^\W_]+)*\.?|&)",
    re.IGNORECASE,
)
WORD_SPLIT = re.compile(f"({WORD.pattern})", re.IGNORECASE)  # the words, kept by re.split
SPELLINGS = {"organisation": "organization", "organisations": "organizations",
             "organised": "organized", "centre": "center", "centres": "centers",
             "defence": "defense", "programme": "program", "programmes": "programs",
             "labour": "labor", "&": "and", "st": "saint"}
MAX_WORDS = 16
END = None  # the key of a name's target in the tries of words (words are strings)
JOIN_WORDS = frozenset(("and", "&", "as"))  # the first words of an "and" between list items
CACHE_SIZE = 65536  # names looked up and cities, kept per gazetteer before the cache is emptied


@dataclass(frozen=True)
class Organisation:
    """One gazetteer organisation."""

    id: str
    name: str
    acronym: str | None
    kind: str
    part_of: str | None
    other_names: tuple[str, ...] = ()


class Token(NamedTuple):
    """A word of a text, with its folded key, its case-kept form and its place (a named tuple:
    texts have many words)."""

    key: str
    exact: str
    begin: int
    end: int


class Mention(NamedTuple):
    """A gazetteer name found in a text: ``kind`` is state, organisation or demonym."""

    kind: str
    id: str
    begin: int
    end: int
    first_token: int
    last_token: int


class Branches(NamedTuple):
    """Where a name could go on at the end of a text: the branches of the tries of words."""

    exact: dict
    folded: dict

    def follow(self, token: Token) -> bool:
        """Whether a longer name could go on with this word."""
        return token.exact in self.exact or token.key in self.folded


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """The matching key of one word.

    >>> fold("Organisation"), fold("U.S."), fold("King\\u2019s"), fold("Co-operation")
    ('organization', 'us', 'king', 'cooperation')
    """
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch)).casefold()
    word = word.replace("\u2019", "'").replace(".", "").replace("-", "")
    if word.endswith("'s"):
        word = word[:-2]
    return SPELLINGS.get(word, word)


def tokenize(text: str) -> list[Token]:
    """Words of ``text`` with their keys and character spans.

    >>> [t.key for t in tokenize("Bosnia & Herzegovina (BiH)")]
    ['bosnia', 'and', 'herzegovina', 'bih']
    """
    # No word holds a space: the words are those of each run between spaces, and a run such
    # as "(UNODA)," is read once and remembered.
    new = tuple.__new__  # a Token without the Python-level __new__
    tokens = []
    position = 0
    for run in text.split(" "):
        if run:
            tokens += [new(Token, (key, exact, position + begin, position + end))
                       for key, exact, begin, end in _run_words(run)]
        position += len(run) + 1
    return tokens


@functools.lru_cache(maxsize=65536)
def _run_words(text: str) -> tuple[tuple[str, str, int, int], ...]:
    """The words of a text as ``(key, exact, begin, end)``."""
    # Splitting at the words gives them, and the blanks between, as strings without a match
    # object each; their places follow from the lengths.
    pieces = WORD_SPLIT.split(text)
    words = []
    position = len(pieces[0])
    for index in range(1, len(pieces), 2):
        word = pieces[index]
        end = position + len(word)
        words.append((*word_keys(word), position, end))
        position = end + len(pieces[index + 1])
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[str, str]:
    """The folded key and the case-kept form of one word.

    >>> word_keys("U.S.")
    ('us', 'US')
    """
    return fold(word), word.replace(".", "").replace("\u2019", "'")


@functools.lru_cache(maxsize=65536)
def key_of(name: str) -> tuple[str, ...]:
    """The folded key of a whole name, without a leading "the"."""
    keys = tuple(token.key for token in tokenize(name))
    return keys[1:] if keys[:1] == ("the",) else keys


@functools.lru_cache(maxsize=65536)
def exact_key_of(name: str) -> tuple[str, ...]:
    """The case-kept key of an acronym-like name."""
    return tuple(token.exact for token in tokenize(name))


def is_acronym_like(name: str) -> bool:
    """Upper-case names and acronyms match case-sensitively.

    >>> is_acronym_like("WHO"), is_acronym_like("OAS/CICTE"), is_acronym_like("World Bank")
    (True, True, False)
    """
    return not any(ch.islower() for ch in name)


class Gazetteer:
    """Lookups and in-text scanning over States, organisations, demonyms and cities."""

    def __init__(self, organisations: list[Organisation], state_names: dict[str, str],
                 demonyms: dict[str, str], cities: dict[str, tuple[str, str]]) -> None:
        self.organisations = {org.id: org for org in organisations}
        self.state_labels: dict[str, str] = {}
        self._folded: dict[tuple[str, ...], tuple[str, str]] = {}
        self._exact: dict[tuple[str, ...], tuple[str, str]] = {}
        self._cities = {key_of(name): value for name, value in cities.items()}
        for name, code in state_names.items():
            self._add(name, ("state", code))
            self.state_labels.setdefault(code, name)
        for org in organisations:
            self._add(org.name, ("organisation", org.id))
            for other in org.other_names:
                self._add(other, ("organisation", org.id))
            if org.acronym:
                self._exact[exact_key_of(org.acronym)] = ("organisation", org.id)
        for adjective, code in demonyms.items():
            self._exact.setdefault(exact_key_of(adjective), ("demonym", code))
        self._exact_trie = _trie(self._exact)
        self._folded_trie = _trie(self._folded)
        self._before_joins = _words_before(self._exact_trie, JOIN_WORDS) | _words_before(
            self._folded_trie, JOIN_WORDS)
        self._lookups: dict[str, tuple[str, str] | None] = {}

    def _add(self, name: str, target: tuple[str, str]) -> None:
        if is_acronym_like(name):
            self._exact.setdefault(exact_key_of(name), target)
        else:
            self._folded.setdefault(key_of(name), target)

    def state(self, name: str) -> str | None:
        """The ISO3 code of a State name, or None."""
        found = self.lookup(name)
        return found[1] if found and found[0] == "state" else None

    def organisation(self, name: str) -> Organisation | None:
        """The organisation a name or acronym stands for, or None."""
        found = self.lookup(name)
        return self.organisations[found[1]] if found and found[0] == "organisation" else None

    def lookup(self, name: str) -> tuple[str, str] | None:
        """``(kind, id)`` for a whole name, or None.

        A trailing parenthesis is tried away too: "United States (US)".
        """
        try:
            return self._lookups[name]
        except KeyError:
            pass
        if len(self._lookups) >= CACHE_SIZE:
            self._lookups.clear()
        target = self._lookups[name] = self._lookup(name)
        return target

    def _lookup(self, name: str) -> tuple[str, str] | None:
        name = name.strip()
        target = self._exact.get(exact_key_of(name)) or self._folded.get(key_of(name))
        if target is None and name.endswith(")") and "(" in name:
            outer = name[: name.rindex("(")].strip()
            target = self.lookup(outer) if outer else None
        return target

    def city(self, name: str) -> tuple[str, str] | None:
        """``(city, ISO3)`` for a known city name, or None."""
        return self._cities.get(key_of(name))

    def label(self, kind: str, identifier: str) -> str:
        """The canonical name of a State or organisation."""
        if kind == "state":
            return self.state_labels.get(identifier, identifier)
        return self.organisations[identifier].name

    def ancestors(self, identifier: str) -> list[str]:
        """The chain of ``part_of`` parents of an organisation, nearest first."""
        chain = []
        current = self.organisations.get(identifier)
        while current is not None and current.part_of and current.part_of not in chain:
            chain.append(current.part_of)
            current = self.organisations.get(current.part_of)
        return chain

    def scan(self, text: str) -> tuple[list[Token], list[Mention]]:
        """Tokens of ``text`` and the longest non-overlapping gazetteer names in it."""
        tokens, mentions, _open = self.scan_part(text)
        return tokens, mentions

    def scan_part(self, text: str) -> tuple[list[Token], list[Mention], list[Branches]]:
        """``scan``, and where names could go on past the end of ``text``: the trie branches
        a longer name would follow from there (the names found in a longer text that starts
        with this one can differ only when its next word is in one of them).

        >>> [branches.follow(Token("and", "and", 7, 10))
        ...  for branches in load().scan_part("Serbia")[2]]  # "Serbia and Montenegro"
        [True]
        >>> load().scan_part("Serbia and Austria")[2]
        []
        """
        tokens = tokenize(text)
        mentions: list[Mention] = []
        index, open_ends = 0, []
        exact_trie, folded_trie = self._exact_trie, self._folded_trie
        while index < len(tokens):
            token = tokens[index]
            if token.exact not in exact_trie and token.key not in folded_trie:
                index += 1  # no name starts with this word
                continue
            found, branches = self._longest_at(tokens, index, text)
            if branches is not None:
                open_ends.append(branches)
            if found is None:
                index += 1
                continue
            (kind, identifier), size = found
            last = index + size - 1
            mentions.append(Mention(kind, identifier, tokens[index].begin, tokens[last].end,
                                    index, last))
            index = last + 1
        return tokens, mentions, open_ends

    def starts_name(self, token: Token) -> bool:
        """Whether some name starts with this word."""
        return token.exact in self._exact_trie or token.key in self._folded_trie

    def joins_after(self, token: Token) -> bool:
        """Whether in some name this word comes before "and", "&" or "as" ("Trinidad")."""
        return token.exact in self._before_joins or token.key in self._before_joins

    def _longest_at(self, tokens: list[Token], index: int, text: str
                    ) -> tuple[tuple[tuple[str, str], int] | None, Branches | None]:
        """The longest name starting at a token, growing the window only while some name
        still starts with it; and the branches of longer names when the window reached the
        last token while one could still follow."""
        best = None
        exact: dict | None = self._exact_trie
        folded: dict | None = self._folded_trie
        begin = tokens[index].begin
        available = len(tokens) - index
        for size in range(1, min(MAX_WORDS, available) + 1):
            token = tokens[index + size - 1]
            exact = exact.get(token.exact) if exact is not None else None
            folded = folded.get(token.key) if folded is not None else None
            if exact is None and folded is None:
                return best, None
            target = (exact.get(END) if exact is not None else None) or \
                (folded.get(END) if folded is not None else None)
            if target is not None and _balanced(text[begin:token.end]):
                best = (target, size)
        if available >= MAX_WORDS or not (_grows(exact) or _grows(folded)):
            return best, None
        return best, Branches(exact or {}, folded or {})

    def close_matches(self, name: str, limit: int = 5) -> list[str]:
        """Known State and organisation names closest to ``name``, for error messages."""
        names = list(self.state_labels.values())
        names += [org.name for org in self.organisations.values()]
        names += [org.acronym for org in self.organisations.values() if org.acronym]
        return difflib.get_close_matches(name, names, n=limit, cutoff=0.6)


def _trie(keys: dict[tuple[str, ...], tuple[str, str]]) -> dict:
    """The keys as nested dictionaries, one level per word, the target under ``END``: scanning
    follows a text's words down and stops as soon as no name fits.

    >>> _trie({("world", "bank"): ("organisation", "wb")})
    {'world': {'bank': {None: ('organisation', 'wb')}}}
    """
    root: dict = {}
    for key, target in keys.items():
        if not key:
            continue
        node = root
        for word in key:
            node = node.setdefault(word, {})
        node[END] = target
    return root


def _words_before(trie: dict, words: frozenset[str]) -> set[str]:
    """The words that some of ``words`` follow in the names of a trie of words.

    >>> sorted(_words_before(_trie({("trinidad", "and", "tobago"): ("state", "TTO")}),
    ...                      JOIN_WORDS))
    ['trinidad']
    """
    found: set[str] = set()
    nodes = [(word, node) for word, node in trie.items() if word is not END]
    while nodes:
        word, node = nodes.pop()
        if not words.isdisjoint(node):
            found.add(word)
        nodes += [(child, below) for child, below in node.items() if child is not END]
    return found


def _grows(node: dict | None) -> bool:
    """Whether a node of a trie of words leads to longer names."""
    return node is not None and (len(node) > 1 or END not in node)


def _balanced(segment: str) -> bool:
    """A name never starts or ends inside a parenthesis: "Canada (Global ..." is two names."""
    return segment.count("(") == segment.count(")")


def state_names() -> dict[str, str]:
    """Every State name variant → ISO3: pycountry names, reordered forms and the alias file."""
    names: dict[str, str] = {}
    for country in list(pycountry.countries) + list(pycountry.historic_countries):
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(country, attribute, None)
            if value:
                for variant in _variants(value):
                    names.setdefault(variant, country.alpha_3)
    with (DATA_DIR / "state_aliases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[row["alias"]] = row["iso3"]
    return names


def _variants(name: str) -> list[str]:
    """Name forms: "Korea, Republic of" → "Republic of Korea"; "Holy See (Vatican City State)" →
    "Holy See"."""
    variants = [name]
    bare = re.sub(r"\s*\(.*\)\s*$", "", name)
    if bare != name:
        variants.append(bare)
    if ", " in bare:
        head, tail = bare.split(", ", 1)
        variants.append(re.sub(r"^The ", "", f"{tail} {head}"))
    return variants


def read_organisations(path: Path | None = None) -> list[Organisation]:
    """The organisations file as records."""
    path = path or DATA_DIR / "organisations.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
    return [Organisation(id=str(e["id"]), name=e["name"], acronym=e.get("acronym"),
                         kind=e["kind"], part_of=e.get("part_of"),
                         other_names=tuple(e.get("other_names") or ()))
            for e in entries]


def _read_pairs(filename: str, key: str, value: str) -> dict[str, str]:
    path = DATA_DIR / filename
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as handle:
        return {row[key]: row[value] for row in csv.DictReader(handle)}


def read_cities() -> dict[str, tuple[str, str]]:
    """City name and every other name → (city, ISO3)."""
    path = DATA_DIR / "cities.csv"
    cities: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return cities
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            value = (row["city"], row["country"])
            cities.setdefault(row["city"], value)
            for other in filter(None, (row.get("other_names") or "").split("|")):
                cities.setdefault(other, value)
    return cities


@functools.cache
def load() -> Gazetteer:
    """The gazetteer built from ``data/`` (cached: build it once per process)."""
    return Gazetteer(read_organisations(), state_names(),
                     _read_pairs("demonyms.csv", "demonym", "country"), read_cities())
