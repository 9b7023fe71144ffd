"""What a build keeps of each note's unit (``UnitInfo``, in the manifest), and the building of the
units that are missing: in worker processes when there are many, each unit cached as it is made.

A unit's info is what the build needs without the unit's text: the links the joins across notes
read, the links left out (packed by subject), the gazetteer entries it names, its part of the
derived counts and its triple counts.
"""

from __future__ import annotations

import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from notegraph.build import slug
from notegraph.cache import RecordCache, UnitCache
from notegraph.pairs import PairPart
from notegraph.parse import parse_file
from notegraph.records import NoteRecord
from notegraph.units import NoteSummary, Unit, build_unit, compact_links, gazetteer_iris
from notegraph.workers import worker_map


@dataclass(frozen=True)
class UnitInfo:
    """What a build needs of a unit without its text: kept in the manifest."""

    links: tuple[tuple[str, str, str], ...]  # to join, and
    held: dict[str, str | None]  # left out, packed by subject (see units.compact_links)
    states: frozenset[str]
    organisations: frozenset[str]
    organisation_events: tuple[tuple[str, str], ...]  # its part of the derived graph
    pair_part: PairPart  # its part of the pair counts (notegraph.pairs)
    asserted: int
    inferred: int


def unit_infos(summaries: list[NoteSummary], keys: list[str], known: dict, parsed: dict,
                records: RecordCache, units: UnitCache, context: tuple) -> list[UnitInfo]:
    """Each note's unit info: from the manifest when its key is unchanged, else built (in
    parallel when there are many) and cached."""
    infos: list[UnitInfo | None] = []
    missing: list[tuple[int, NoteRecord]] = []
    cached = units.keys()
    for position, (summary, key) in enumerate(zip(summaries, keys, strict=True)):
        entry = known.get(summary.source)
        if entry and entry[1] == key and key in cached:
            infos.append(entry[2])
            continue
        if key in cached:
            infos.append(_interned(_info(units.get(key))))
            continue
        record = parsed.get(summary.source) or records.load(summary.content_key,
                                                            summary.source)
        if record is None:  # the record cache was cleared: parse again
            record = parse_file(Path(summary.source))
        infos.append(None)
        missing.append((position, record))
    jobs = [(record, keys[position], units.folder) for position, record in missing]
    index, root, reasoner = context  # the events of the cities the notes mention are enough
    context = (index.within({slug(related.city or "") for _position, record in missing
                             for related in record.related_events}), root, reasoner)
    with worker_map(_unit_job, jobs, initializer=_set_context, initargs=(context,)) as built:
        for (position, _record), info in zip(missing, built, strict=True):
            infos[position] = _interned(info)
    return infos


_CONTEXT: tuple = ()


def _set_context(context: tuple) -> None:
    global _CONTEXT
    _CONTEXT = context


def _unit_job(job: tuple) -> UnitInfo:
    """Build one unit and cache it (in a worker process when there are many)."""
    record, key, folder = job
    index, root, reasoner = _CONTEXT
    unit = build_unit(record, index, root, reasoner)
    UnitCache(folder).put(key, unit)
    return _info(unit)


def _interned(info: UnitInfo) -> UnitInfo:
    """The info with one string object for each IRI its links share with other notes' (the
    manifest pickles each once)."""
    intern = sys.intern
    links = tuple((intern(s), intern(p), intern(o)) for s, p, o in info.links)
    held = {intern(subject): text for subject, text in info.held.items()}
    events = tuple((intern(e), intern(a)) for e, a in info.organisation_events)
    part = info.pair_part
    pair_part = PairPart(tuple((intern(e), year) for e, year in part.years),
                         tuple((intern(e), intern(s)) for e, s in part.states),
                         tuple((intern(e), intern(s)) for e, s in part.inferred_states))
    return dataclasses.replace(info, links=links, held=held, organisation_events=events,
                               pair_part=pair_part)


def _info(unit: Unit) -> UnitInfo:
    links, held = compact_links(unit.links, gazetteer_iris())
    return UnitInfo(links, held, unit.states, unit.organisations, unit.organisation_events,
                    unit.pair_part, unit.asserted.count("\n"), unit.inferred.count("\n"))
