"""Dates in the English forms UN notes use, with their precision.

>>> [(d.start, d.end, d.precision) for d in find_dates("held 14-17 June 2010 in Split")]
[('2010-06-14', '2010-06-17', 'day')]
>>> first_date("30 November \\u2013 1 December 2016").end
'2016-12-01'
>>> first_date("Tuesday 5 and Wednesday 6 June 2014").start
'2014-06-05'
>>> first_date("in November 2014")
DateRange(start='2014-11', end='2014-11', precision='month', begin=3, stop=16)
>>> first_date("May 9-10, 2013").end
'2013-05-10'
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from notegraph.text import lowered_text

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
WEEKDAY = r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday),?\s+)?"
DAY = WEEKDAY + r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?"
YEAR = r"(?:19|20)\d{2}"
DASH = r"\s*(?:-|\u2013|\u2014|\u2012|to|until|till|through|and|&)\s*"
LIST = r"(?:\s*,\s*" + DAY + r")*"

PATTERNS = [
    ("d m y - d m y", rf"(?P<d1>{DAY})\s+(?P<m1>{MONTH}),?\s+(?P<y1>{YEAR}){DASH}"
                      rf"(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})"),
    ("d m - d m y", rf"(?P<d1>{DAY})\s+(?P<m1>{MONTH}){DASH}(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?"
                    rf"\s+(?P<y2>{YEAR})"),
    ("d - d m y", rf"(?P<d1>{DAY}){LIST}{DASH}(?P<d2>{DAY})\s+(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})"),
    ("d m y", rf"(?P<d1>{DAY})\s+(?P<m1>{MONTH}),?\s+(?P<y1>{YEAR})"),
    ("m d - m d y", rf"{WEEKDAY}(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}){DASH}(?P<m2>{MONTH})\s+"
                    rf"(?P<d2>\d{{1,2}}),?\s+(?P<y2>{YEAR})"),
    ("m d - d y", rf"{WEEKDAY}(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}){DASH}(?P<d2>\d{{1,2}}),?\s+"
                  rf"(?P<y2>{YEAR})"),
    ("m d y", rf"{WEEKDAY}(?P<m1>{MONTH})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>{YEAR})"),
    ("m - m y", rf"(?P<m1>{MONTH}){DASH}(?P<m2>{MONTH}),?\s+(?P<y2>{YEAR})"),
    ("m y", rf"(?P<m1>{MONTH}),?\s+(?P<y1>{YEAR})"),
]


def _first_letters(pattern: str) -> str:
    """What a match of a date pattern can start with: a day (a digit, a weekday or "the"), a
    weekday or a month, or a month."""
    if pattern.startswith("(?P<d1>"):
        return r"[\dmtwfs]"
    return r"[jfmasondtw]" if pattern.startswith(WEEKDAY) else r"[jfmasond]"


# The lookahead on the first letter changes no match; it spares trying the whole pattern at
# most word starts.
COMPILED = [(name, re.compile(rf"(?<![\w-])(?={_first_letters(pattern)}){pattern}(?![\w])",
                              re.IGNORECASE))
            for name, pattern in PATTERNS]
DAY_NUMBER = re.compile(r"\d{1,2}")
MONTH_HINT = re.compile("jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")  # in lower case
YEAR_ONLY = re.compile(rf"(?<![\w(/-]){YEAR}(?![\w)/-])(?!\s*\(\d{{4}}\))")
RESOLUTION_BEFORE = re.compile(r"resolutions?\s+(?:\d{4}\s*(?:\(\d{4}\))?\s*(?:,|and)\s*)*$",
                               re.IGNORECASE)


@dataclass(frozen=True)
class DateRange:
    """A date or date range as ISO 8601 strings at their precision, with its place in the text."""

    start: str
    end: str
    precision: str  # day | month | year
    begin: int = 0
    stop: int = 0

    def contains(self, other: DateRange) -> bool:
        """Whether ``other`` falls inside this range (compared at the coarser precision)."""
        size = min(len(self.start), len(other.start))
        return self.start[:size] <= other.start[:size] and other.end[:size] <= self.end[:size]


def find_dates(text: str, years: bool = False) -> list[DateRange]:
    """All dates in ``text``, left to right; bare years too when ``years`` is true."""
    month_dates, taken = _month_dates(text)
    found = list(month_dates)
    if years and ("19" in text or "20" in text):
        for match in YEAR_ONLY.finditer(text):
            if RESOLUTION_BEFORE.search(text[max(match.start() - 60, 0):match.start()]):
                continue
            if not any(begin <= match.start() < stop for begin, stop in taken):
                year = match.group()
                found.append(DateRange(year, year, "year", match.start(), match.end()))
    return sorted(found, key=lambda d: d.begin)


@functools.lru_cache(maxsize=256)
def _month_dates(text: str) -> tuple[tuple[DateRange, ...], tuple[tuple[int, int], ...]]:
    """The dates with a month name in ``text``, and the spans every pattern match took (cached:
    a header field is read for its dates and again for its venue)."""
    found: list[DateRange] = []
    taken: list[tuple[int, int]] = []
    patterns, subject = _patterns_for(text), text
    lowered = lowered_text(text) if patterns else None
    if lowered is not None:  # the same matches in lower-cased text, found faster
        patterns, subject = LOWER_COMPILED if patterns is COMPILED else LOWER_ONE_MONTH, lowered
    for _name, pattern in patterns:
        for match in pattern.finditer(subject):
            if any(match.start() < stop and begin < match.end() for begin, stop in taken):
                continue
            value = _to_range(match)
            taken.append((match.start(), match.end()))  # an impossible date blocks its parts too
            if value is not None:
                found.append(value)
    return tuple(found), tuple(taken)


def _patterns_for(text: str) -> list[tuple[str, re.Pattern[str]]]:
    """The date patterns that can match in ``text``: every one needs a year (19.. or 20..) and a
    month name, some two month names."""
    if "19" not in text and "20" not in text:
        return []
    lowered = lowered_text(text)
    if lowered is None:
        return COMPILED
    months = len(MONTH_HINT.findall(lowered))
    if months == 0:
        return []
    return COMPILED if months > 1 else ONE_MONTH


ONE_MONTH = [(name, pattern) for name, pattern in COMPILED if "m2" not in pattern.groupindex
             or "m1" not in pattern.groupindex]


# The patterns compiled again without IGNORECASE, for lower-cased text (``lowered_text``): they
# hold only lower-case letters.
LOWER_COMPILED = [(name, re.compile(pattern.pattern)) for name, pattern in COMPILED]
LOWER_ONE_MONTH = [(name, re.compile(pattern.pattern)) for name, pattern in ONE_MONTH]


def first_date(text: str, years: bool = False) -> DateRange | None:
    """The first date in ``text``, or None."""
    found = find_dates(text, years)
    return found[0] if found else None


def _to_range(match: re.Match[str]) -> DateRange | None:
    parts = match.groupdict()
    year2 = int(parts.get("y2") or parts["y1"])
    year1 = int(parts.get("y1") or year2)
    month2 = _month(parts.get("m2") or parts["m1"])
    month1 = _month(parts.get("m1") or parts["m2"])
    if parts.get("d1") is None:
        start, end = f"{year1:04d}-{month1:02d}", f"{year2:04d}-{month2:02d}"
        return DateRange(start, end, "month", match.start(), match.end())
    day1 = _day(parts["d1"])
    day2 = _day(parts.get("d2") or parts["d1"])
    try:
        first, last = date(year1, month1, day1), date(year2, month2, day2)
    except ValueError:
        return None
    if last < first:
        return None
    return DateRange(first.isoformat(), last.isoformat(), "day", match.start(), match.end())


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _day(text: str) -> int:
    return int(DAY_NUMBER.search(text).group())
