"""Fidelity of parsed records against gold files: precision, recall and F1 per field group.

A gold file (``*.gold.json``) lists what a careful reader takes from a note: title, dates, city,
country, organisers (a list of acceptable names or ids, with a role), States (ISO3), organisations
(acceptable names, with ``part_of``), related events (start date at its precision, city) and the
number of recommendations. An actor matches a gold entry when one of its names, its acronym, its
canonical label or its id is among the entry's ``match`` strings (compared on folded word keys).

>>> counts = score_record({"title": "A  Workshop", "participants": []}, {"title": "A Workshop"})
>>> counts["title"]
Counts(tp=1, fp=0, fn=0)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from notegraph.gazetteer import key_of

GROUPS = ("title", "dates", "city", "country", "organisers", "states", "organisations",
          "related_events", "recommendations")


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of one field group."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score_record(record: dict[str, Any], gold: dict[str, Any]) -> dict[str, Counts]:
    """Counts per field group for one record (as ``NoteRecord.to_dict()``) and its gold."""
    venue = record.get("venue") or {}
    participants = record.get("participants") or []
    counts = {
        "title": _scalar(record.get("title"), gold.get("title"), _same_text),
        "dates": _scalar(record.get("start_date"), gold.get("start_date"))
        + _scalar(record.get("end_date"), gold.get("end_date")),
        "city": _scalar(venue.get("city"), gold.get("city"), _same_text),
        "country": _scalar(venue.get("country"), gold.get("country")),
        "organisers": _matched(record.get("organisers") or [], gold.get("organisers") or [],
                               lambda a, g: _names_match(a, g) and a.get("role") == g["role"]),
        "states": _sets({p["id"] for p in participants if p["kind"] == "state"},
                        set(gold.get("states") or [])),
        "organisations": _matched(
            [p for p in participants if p["kind"] == "organisation"],
            gold.get("organisations") or [],
            lambda a, g: _names_match(a, g) and a.get("part_of") == g.get("part_of")),
        "related_events": _matched(record.get("related_events") or [],
                                   gold.get("related_events") or [], _same_event),
    }
    if "recommendations" in gold:
        counts["recommendations"] = _scalar(len(record.get("recommendations") or []),
                                            gold["recommendations"])
    return counts


def score_many(pairs: Iterable[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Counts]:
    """Micro-averaged counts over many (record, gold) pairs."""
    total = {group: Counts() for group in GROUPS}
    for record, gold in pairs:
        for group, counts in score_record(record, gold).items():
            total[group] = total[group] + counts
    return total


def table(counts: dict[str, Counts], title: str) -> str:
    """A printable precision / recall / F1 table."""
    rows = [f"{title}", f"  {'field group':<16} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    for group in GROUPS:
        c = counts.get(group, Counts())
        rows.append(f"  {group:<16} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                    f"{c.tp:4d}{c.fp:4d}{c.fn:4d}")
    return "\n".join(rows)


def _scalar(value: Any, expected: Any, same: Callable[[Any, Any], bool] | None = None) -> Counts:
    if expected is None:
        return Counts(fp=0 if value is None else 1)
    if value is None:
        return Counts(fn=1)
    equal = same(value, expected) if same else value == expected
    return Counts(tp=1) if equal else Counts(fp=1, fn=1)


def _sets(found: set[str], expected: set[str]) -> Counts:
    return Counts(len(found & expected), len(found - expected), len(expected - found))


def _matched(found: list[dict], expected: list[dict],
             match: Callable[[dict, dict], bool]) -> Counts:
    """One-to-one greedy matching of record items to gold items."""
    remaining = list(expected)
    tp = 0
    for item in found:
        partner = next((g for g in remaining if match(item, g)), None)
        if partner is not None:
            remaining.remove(partner)
            tp += 1
    return Counts(tp, len(found) - tp, len(remaining))


def _same_text(value: str, expected: str) -> bool:
    return key_of(value) == key_of(expected)


def actor_keys(actor: dict[str, Any]) -> set[tuple[str, ...]]:
    """Every name an actor answers to, as folded keys."""
    names = [actor.get("name"), actor.get("label"), actor.get("acronym"), actor.get("id")]
    names.append(re.sub(r"\s*\([^()]*\)", "", actor.get("name") or ""))
    return {key_of(name) for name in names if name}


def _names_match(actor: dict[str, Any], gold: dict[str, Any]) -> bool:
    wanted = {key_of(name) for name in gold["match"]}
    return bool(actor_keys(actor) & wanted)


def _same_event(event: dict[str, Any], gold: dict[str, Any]) -> bool:
    start = gold["start_date"]
    found = event.get("start_date") or ""
    return (len(found) >= len(start) and found[: len(start)] == start
            and _same_text(event.get("city") or "", gold["city"]))
