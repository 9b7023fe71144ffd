"""Lists read part by part, each part's reading remembered: names recur across lists and notes.

A list such as "Serbia, Chile and Peru, the IAEA" is cut at its separators outside parentheses
(semicolons when it has one there, else commas) and a part that was not seen before at the
"and"s between its names too. Each piece is read on its own by the list reader
(``notegraph.actors``) and remembered under its text; the pieces' readings are then put
together. That gives what reading the whole text at once gives, except where a piece's reading
could depend on its neighbours: a name that could go on into the next piece ("Korea, Republic
of"), an "and" with nothing before it in its piece, an "and" that does not cut. The list (or
the part) is then read whole.

>>> from notegraph import gazetteer
>>> from notegraph.actors import resolve_list
>>> from notegraph.text import Passage
>>> [a.id for a in resolve_list(Passage("Serbia, Chile and Peru, the IAEA"), gazetteer.load())]
['SRB', 'CHL', 'PER', 'iaea']
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from notegraph.gazetteer import Branches, Gazetteer, Mention, Token, tokenize
from notegraph.text import parenthesised, top_level_parts

Entry = tuple[int, str, Any]  # where an item begins, the separator before it, its actor
Context = tuple[str | None, bool]  # the context State, and whether the list's heading names it
CACHE_SIZE = 65536  # part readings kept before the memo is emptied
KEPT_ENDS = ("and", "as", "&", "also", "of", "the", "from", "representing", ":")


class PartReading(NamedTuple):
    """What a part of a list reads as on its own, and what its neighbours could change.

    Entries hold "" as the separator before the part's first item; positions are the part's.
    """

    entries: tuple[Entry, ...]
    open_ends: tuple[Branches, ...]  # names that could go on into the next part
    leans_left: bool  # an "and" with nothing before it in the part
    first_token: Token | None
    uses_context: bool  # whether the context State (or whether it is explicit) was read
    first_begin: int | None  # where the part's first name begins
    last_end: int | None  # where its last name ends


Read = Callable[[str, Gazetteer, Context, "bool | None", bool], PartReading]
AndSplits = Callable[[str, int, int, list, bool], bool]


class ListMemo:
    """Readings of list parts, remembered, put together into the entries of whole lists.

    ``read`` reads a text as a list (given whether the whole list is cut at semicolons and
    whether the text may open with a descriptor); ``and_splits`` says whether an "and" of a
    text cuts it, given the names around it; ``joins`` finds the "and"s.
    """

    def __init__(self, read: Read, and_splits: AndSplits, joins: re.Pattern[str],
                 may_describe: Callable[[str], bool]) -> None:
        self.read = read
        self.and_splits = and_splits
        self.joins = joins
        self.may_describe = may_describe
        self.readings: dict[tuple, PartReading] = {}
        self.as_written: dict[tuple, tuple[PartReading, int]] = {}  # by the part as written

    @staticmethod
    def _remember(memo: dict, key: tuple, value: object) -> None:
        if len(memo) >= CACHE_SIZE:
            memo.clear()
        memo[key] = value

    def clear(self) -> None:
        """Forget every reading."""
        self.readings.clear()
        self.as_written.clear()

    def entries(self, text: str, gazetteer: Gazetteer, context: Context) -> list[Entry] | None:
        """The entries of a list put together from its parts' readings, or None when the list
        must be read whole."""
        parts, semicolons = top_level_parts(text)
        readings: list[PartReading] = []
        entries: list[Entry] = []
        start, lead, open_ends = 0, "", False
        for index, part in enumerate(parts):
            key = (part, index == 0, semicolons, gazetteer)
            found = self.as_written.get(key)
            if found is None:
                core, shift = _core(part)
                reading = self.part(core, index == 0 and self.may_describe(core), semicolons,
                                    gazetteer, context)
                if not reading.uses_context:  # else it may differ in another context
                    self._remember(self.as_written, key, (reading, shift))
            else:
                reading, shift = found
            if reading.leans_left and index > 0:
                return None
            readings.append(reading)
            open_ends = open_ends or bool(reading.open_ends)
            entries += [(start + shift + begin if begin else start, separator or lead, actor)
                        for begin, separator, actor in reading.entries]
            start, lead = start + len(part) + 1, ";" if semicolons else ","
        return None if open_ends and _runs_on(readings) else entries

    def part(self, part: str, descriptor: bool, semicolons: bool, gazetteer: Gazetteer,
             context: Context) -> PartReading:
        """A part's reading, remembered under its text, whether it may open with a descriptor
        and (when it has a separator) whether the list is cut at semicolons; under the context
        too when it was read."""
        key = (part, descriptor, semicolons if _separated(part, self.joins) else None,
               gazetteer)
        reading = self.readings.get(key)
        if reading is not None and not reading.uses_context:
            return reading
        context_key = (*key, context)
        reading = self.readings.get(context_key)
        if reading is None:
            reading = None if descriptor else self._by_joins(part, semicolons, gazetteer,
                                                             context)
            if reading is None:
                reading = self.read(part, gazetteer, context, semicolons, descriptor)
            # When it read the context, this says to look under the context.
            self._remember(self.readings, key, reading)
            if reading.uses_context:
                self._remember(self.readings, context_key, reading)
        return reading

    def _by_joins(self, part: str, semicolons: bool, gazetteer: Gazetteer,
                  context: Context) -> PartReading | None:
        """A part's reading put together from the readings of its pieces between "and"s, or
        None when it must be read whole."""
        joins = _top_level_joins(part, self.joins)
        if not joins or _may_run_across(part, joins, gazetteer):
            return None
        bounds = [0] + [position for join in joins for position in join] + [len(part)]
        pieces = []
        for begin, end in zip(bounds[::2], bounds[1::2], strict=True):
            core, shift = _core(part[begin:end])
            if not core.strip(" .,;:"):
                return None
            reading = self.part(core, False, semicolons, gazetteer, context)
            if reading.first_token is None:
                return None
            pieces.append((reading, begin, begin + shift))
        for (before, _, before_start), (after, _, after_start), (begin, end) in zip(
                pieces, pieces[1:], joins, strict=False):
            if _joined(part, begin, end, before, gazetteer):
                return None
            if not self.and_splits(part, begin, end, _names_around(
                    part, before.last_end, before_start, after.first_begin, after_start),
                    semicolons):
                return None
        return _put_together(pieces)


def _names_around(part: str, last_end: int | None, before_start: int, first_begin: int | None,
                  after_start: int) -> list[Mention]:
    """Stand-ins for the names an "and" could cut after or before: the last name before it
    (where it ends) and the first after it (where it begins)."""
    names = []
    if last_end is not None:
        names.append(Mention("", "", -1, before_start + last_end, 0, 0))
    if first_begin is not None:
        names.append(Mention("", "", after_start + first_begin, len(part) + 2, 0, 0))
    return names


def _put_together(pieces: list[tuple[PartReading, int, int]]) -> PartReading:
    """The reading of a part from the readings of its pieces, each with where it begins and
    where its text begins (after its spaces)."""
    entries: list[Entry] = []
    for index, (reading, begin, start) in enumerate(pieces):
        lead = "and" if index else ""
        entries += [(start + position if position else begin, separator or lead, actor)
                    for position, separator, actor in reading.entries]
    first, _begin, first_start = pieces[0]
    last, _begin, last_start = pieces[-1]
    return PartReading(
        tuple(entries), last.open_ends, False, first.first_token,
        any(reading.uses_context for reading, _begin, _start in pieces),
        None if first.first_begin is None else first_start + first.first_begin,
        None if last.last_end is None else last_start + last.last_end)


def _may_run_across(part: str, joins: list[tuple[int, int]], gazetteer: Gazetteer) -> bool:
    """Whether a name could run across an "and": the word before it comes before an "and" in
    some name ("Trinidad and Tobago"). A quick test before reading the pieces."""
    for begin, _end in joins:
        before = _last_word(part[:begin])
        if before is not None and gazetteer.joins_after(before):
            return True
    return False


def _last_word(text: str) -> Token | None:
    """The last word of a text (words hold no blanks: the text after the last blank has it).

    >>> _last_word("Trinidad and Tobago (TT)").exact, _last_word(" ")
    ('TT', None)
    """
    words = tokenize(text.rsplit(None, 1)[-1]) if text.strip() else []
    if not words:
        words = tokenize(text)
    return words[-1] if words else None


def _joined(part: str, begin: int, end: int, before: PartReading, gazetteer: Gazetteer) -> bool:
    """Whether a name could run across an "and": on from the piece before it, or from within
    the words of the "and" ("and the", "as well as")."""
    words = _join_words(part[begin:end])
    if any(gazetteer.starts_name(word) for word in words):
        return True
    return bool(words) and any(branches.follow(words[0]) for branches in before.open_ends)


@functools.lru_cache(maxsize=256)
def _join_words(join: str) -> tuple[Token, ...]:
    """The words of an "and" between list items (" and the ", " as well as ")."""
    return tuple(tokenize(join))


def _top_level_joins(part: str, joins: re.Pattern[str]) -> list[tuple[int, int]]:
    """Where the "and"s outside parentheses begin and end."""
    found = [match.span() for match in joins.finditer(part)]
    if not found or "(" not in part:
        return found
    inside = parenthesised(part)
    return [(begin, end) for begin, end in found if not inside[begin]]


def _runs_on(readings: list[PartReading]) -> bool:
    """Whether a name at the end of a part could go on into the next part's first word."""
    following = None  # the first word after the part, in the parts after it
    for reading in reversed(readings):
        if reading.open_ends and following is not None and any(
                branches.follow(following) for branches in reading.open_ends):
            return True
        following = reading.first_token or following
    return False


@functools.lru_cache(maxsize=CACHE_SIZE)
def _separated(part: str, joins: re.Pattern[str]) -> bool:
    """Whether a part has a separator, so that its reading can depend on what the list is cut
    at: a comma, a semicolon or an "and"."""
    return "," in part or ";" in part or joins.search(part) is not None


@functools.lru_cache(maxsize=CACHE_SIZE)
def _core(part: str) -> tuple[str, int]:
    """A part without the spaces around it, and how many there were before it; spaces that an
    "and" or a descriptor could take in ("Serbia and ", " and Chile") are kept.

    >>> _core(" Serbia "), _core(" and Chile"), _core("Experts of ")
    (('Serbia', 1), (' and Chile', 0), ('Experts of ', 0))
    """
    core = part.strip(" ")
    if core.startswith(("and", "as well as", "&")) or core.endswith(KEPT_ENDS):
        return part, 0
    return core, (part.find(core) if core else 0)
