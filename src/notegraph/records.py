"""Typed records for one Information Note: what the parser produces, with no RDF in sight.

Every record is a frozen dataclass; ``to_dict`` gives the JSON shape documented in the README.

>>> actor = Actor(name="Serbia", id="SRB", kind="state")
>>> actor.to_dict()["id"]
'SRB'
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, field, fields
from typing import Any


def changed(record: Any, **changes: Any) -> Any:
    """A copy of a frozen record with some fields changed, as ``dataclasses.replace`` makes it
    but faster (the parser changes every actor it reads, several times).

    >>> changed(Actor(name="Serbia", id="SRB", kind="state"), mode="remote").mode
    'remote'
    """
    state = record.__dict__.copy()
    state.update(changes)
    if len(state) != len(record.__dict__):
        raise TypeError(f"unknown field among {sorted(changes)}")
    copy = object.__new__(type(record))
    object.__setattr__(copy, "__dict__", state)
    return copy


def at_line(actor: Actor, line: int, mode: str) -> Actor:
    """The actor of a list entry at its line, with ``mode`` unless it has one.

    >>> found = at_line(Actor(name="Serbia", id="SRB", kind="state"), 4, "in-person")
    >>> found.line, found.mode
    (4, 'in-person')
    """
    state = actor.__dict__.copy()
    state["line"] = line
    if state["mode"] is None:
        state["mode"] = mode
    copy = object.__new__(Actor)
    object.__setattr__(copy, "__dict__", state)
    return copy


def new_actor(**values: Any) -> Actor:
    """``Actor(**values)``, three times faster: the frozen dataclass's ``__init__`` sets each of
    its twelve fields through ``object.__setattr__``, and the parser makes thousands of actors.

    >>> new_actor(name="Serbia", id="SRB", kind="state") == Actor(name="Serbia", id="SRB",
    ...                                                           kind="state")
    True
    """
    state = ACTOR_DEFAULTS.copy()
    state.update(values)
    if len(state) != len(ACTOR_DEFAULTS) or not values.keys() >= ACTOR_REQUIRED:
        raise TypeError(f"an Actor needs {sorted(ACTOR_REQUIRED)} and only its fields")
    actor = object.__new__(Actor)
    object.__setattr__(actor, "__dict__", state)
    return actor


@dataclass(frozen=True)
class Warning_:
    """Something a reader should check, with the source line it concerns."""

    line: int
    message: str


@dataclass(frozen=True)
class Actor:
    """A State or an organisation named in a note, as an organiser or a participant.

    ``name`` is as written; ``id`` is an ISO 3166-1 alpha-3 code for States and a
    gazetteer id for organisations; ``part_of`` links national agencies to their State
    and sub-units to their parent organisation.
    """

    name: str
    id: str
    kind: str  # "state" | "organisation"
    label: str = ""
    acronym: str | None = None
    org_kind: str | None = None  # un-body, regional-organisation, national-agency, ...
    part_of: str | None = None
    role: str | None = None  # organisers: host | organiser | supporter | funder
    mode: str | None = None  # participants: in-person | remote | observer
    unresolved: bool = False
    resolved_by: str = "gazetteer"  # gazetteer | pattern | none
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.role is None:
            data.pop("role")
        if self.mode is None:
            data.pop("mode")
        return data


# Every Actor field in order with its default (None for the three without one), and those three.
ACTOR_DEFAULTS = {f.name: None if f.default is MISSING else f.default for f in fields(Actor)}
ACTOR_REQUIRED = frozenset(f.name for f in fields(Actor) if f.default is MISSING)


@dataclass(frozen=True)
class Person:
    """A named person (bold in the note) with honorific title, position and affiliation."""

    name: str
    title: str = ""
    position: str = ""
    affiliation: str = ""
    affiliation_id: str | None = None
    line: int = 0


@dataclass(frozen=True)
class RelatedEvent:
    """An earlier event the note refers to: one it follows up, or an earlier one in its series."""

    title: str
    start_date: str
    end_date: str
    date_precision: str
    city: str | None
    country: str | None
    relation: str  # follow-up-of | earlier-in-series | mentioned
    line: int = 0


@dataclass(frozen=True)
class Figure:
    """A count stated in the text, such as "23 out of the 51 Participating States"."""

    text: str
    count: int
    total: int | None = None
    line: int = 0


@dataclass(frozen=True)
class Venue:
    """Where the event took place; ``place`` is a building or site when the note names one."""

    city: str | None = None
    country: str | None = None
    place: str | None = None
    online: bool = False


@dataclass(frozen=True)
class NoteRecord:
    """Everything the parser reads from one Information Note."""

    source: str
    title: str
    start_date: str | None
    end_date: str | None
    date_precision: str | None
    venue: Venue
    organisers: tuple[Actor, ...] = ()
    participants: tuple[Actor, ...] = ()
    people: tuple[Person, ...] = ()
    objectives: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    recommendations_attached: bool = False
    related_events: tuple[RelatedEvent, ...] = ()
    series_ordinal: int | None = None
    series_title: str | None = None
    figures: tuple[Figure, ...] = ()
    disclaimer: str | None = None
    contact: str | None = None
    urls: tuple[str, ...] = ()
    content_hash: str = ""
    warnings: tuple[Warning_, ...] = field(default_factory=tuple)

    @property
    def states(self) -> tuple[Actor, ...]:
        """Participants that are States."""
        return tuple(p for p in self.participants if p.kind == "state")

    @property
    def organisations(self) -> tuple[Actor, ...]:
        """Participants that are organisations (including national agencies)."""
        return tuple(p for p in self.participants if p.kind == "organisation")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the record (see README, "Record shape")."""
        data = asdict(self)
        data["organisers"] = [a.to_dict() for a in self.organisers]
        data["participants"] = [a.to_dict() for a in self.participants]
        return data
