"""Note units: what one note adds to the graph, built and reasoned on its own.

A note's *unit* is its asserted triples (the note's named graph) and the triples OWL-RL infers
from them together with the shared graphs: the whole gazetteer and the topics, closed once per
process (:class:`notegraph.fastreason.Closure`). Three parts make up the inferences of a corpus:

- every note's own inferences (its unit);
- the inferences of the shared graphs that the corpus uses;
- what the transitive and chain rules add across notes, such as one meeting series told over
  several notes (:func:`notegraph.fastreason.reason_joins`, over the units' ``links``);

the last two from :func:`joined_inferences`.

Together they are exactly what reasoning over the whole graph gives (tested), so a unit only
changes when its note does, or when another note starts or stops describing an event it
mentions (the unit's key covers both), and units can be cached and built in parallel.

>>> from notegraph import parse_paths
>>> from notegraph.build import EventIndex
>>> record = parse_paths(["data/notes"]).records[0]
>>> unit = build_unit(record, EventIndex.of([record]))
>>> unit.asserted.count("\\n") > 100, unit.inferred.count("\\n") > 50
(True, True)
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row, _quoteLiteral

from notegraph import gazetteer as gazetteer_module
from notegraph.build import (
    GRAPH_INFERRED,
    EventIndex,
    add_gazetteer_entries,
    add_note,
    add_topics,
    event_iri,
    gazetteer_ids,
    note_graph_iri,
    slug,
)
from notegraph.derived import organisation_events
from notegraph.fastreason import (
    Closure,
    bystander_steps,
    link_predicates,
    reason_fast,
    reason_joins,
)
from notegraph.pairs import PairPart, note_part
from notegraph.quads import TripleSet, term
from notegraph.records import NoteRecord, RelatedEvent

UNIT_VERSION = "3"


@dataclass(frozen=True)
class NoteSummary:
    """What a build needs to know of a note without its record: kept for every note."""

    source: str
    content_key: str
    graph: str
    event: tuple[str, str, str, str] | None  # an EventIndex entry: (city key, start, end, iri)
    related: tuple[RelatedEvent, ...]
    unresolved: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """One note's triples as sorted N-Triples text, its triples the rules join on, the
    gazetteer entries it names and its parts of the derived counts (see
    :func:`notegraph.derived.organisation_events` and :func:`notegraph.pairs.note_part`)."""

    asserted: str
    inferred: str
    links: tuple[tuple[str, str, str], ...]
    states: frozenset[str]
    organisations: frozenset[str]
    organisation_events: tuple[tuple[str, str], ...]
    pair_part: PairPart


def summarise(record: NoteRecord, content_key: str) -> NoteSummary:
    """The summary of a parsed note."""
    event = None
    if record.start_date:
        event = (slug(record.venue.city or ""), record.start_date, record.end_date or "",
                 str(event_iri(record)))
    unresolved = tuple(f"{record.source}:{actor.line}: {actor.name}"
                       for actor in record.organisers + record.participants if actor.unresolved)
    warnings = tuple(f"{record.source}:{w.line}: {w.message}" for w in record.warnings)
    return NoteSummary(record.source, content_key, str(note_graph_iri(record)), event,
                       tuple(record.related_events), unresolved, warnings)


def event_index(summaries: list[NoteSummary]) -> EventIndex:
    """The events the notes describe, in note order (as ``EventIndex.of`` the records)."""
    return EventIndex(tuple((city, start, end, URIRef(iri)) for city, start, end, iri in
                            (s.event for s in summaries if s.event)))


def unit_key(summary: NoteSummary, index: EventIndex, root: Path | None, reasoner: str) -> str:
    """What a unit depends on: the note's bytes, its path (relative to ``root``), the events
    its mentions resolve to and the reasoner."""
    return keys_of_units([summary], index, root, reasoner)[0]


def keys_of_units(summaries: list[NoteSummary], index: EventIndex, root: Path | None,
                  reasoner: str) -> list[str]:
    """``unit_key`` of every summary, the root's prefix computed once; a path is normalised
    as ``Path.as_posix`` does only when it needs it."""
    prefix = root.as_posix().rstrip("/") + "/" if root is not None else None
    keys = []
    for summary in summaries:
        source = summary.source
        if "//" in source or "/." in source or source.startswith("."):
            source = Path(source).as_posix()
        if prefix and source.startswith(prefix):
            source = source[len(prefix):]
        parts = [UNIT_VERSION, reasoner, summary.content_key, source]
        parts += [str(index.find(related)) for related in summary.related]
        keys.append(hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest())
    return keys


def updated_keys(summaries: list[NoteSummary], previous: list[str | None],
                 before: tuple | None, index: EventIndex, root: Path | None,
                 reasoner: str) -> list[str]:
    """``keys_of_units`` of the summaries, given each one's key in the last build (None for a
    note new or changed since) and the events that build indexed (None: unknown).

    A mention resolves only among the events of its city, so a key is computed again only for
    a note new or changed, or mentioning an event in a city whose events changed.
    """
    if before is None:
        return keys_of_units(summaries, index, root, reasoner)
    cities = changed_cities(before, index.events)
    city_keys: dict[str, str] = {}  # slug by city name: few names, many mentions
    again = [position for position, (summary, key) in enumerate(zip(summaries, previous,
                                                                    strict=True))
             if key is None or cities and any(
                 _city_key(related.city, city_keys) in cities for related in summary.related)]
    keys = list(previous)
    redo = [summaries[position] for position in again]
    mentioned = {_city_key(related.city, city_keys) for s in redo for related in s.related}
    for position, key in zip(again, keys_of_units(redo, index.within(mentioned), root,
                                                  reasoner), strict=True):
        keys[position] = key
    return keys


def _city_key(city: str | None, known: dict[str, str]) -> str:
    found = known.get(city or "")
    if found is None:
        found = known[city or ""] = slug(city or "")
    return found


def changed_cities(before: tuple, after: tuple) -> set[str]:
    """The city keys whose events (``EventIndex`` entries, in note order) differ between two
    indexes.

    >>> lome = ("lome", "2014-06-02", "2014-06-03", "urn:e1")
    >>> kara = ("kara", "2014-06-02", "2014-06-03", "urn:e2")
    >>> sorted(changed_cities((lome, kara), (kara,))), changed_cities((lome, kara), (kara, lome))
    (['lome'], set())
    """
    old: dict[str, list] = defaultdict(list)
    new: dict[str, list] = defaultdict(list)
    for events, by_city in ((before, old), (after, new)):
        for event in events:
            by_city[event[0]].append(event)
    return {city for city in old.keys() | new.keys() if old.get(city) != new.get(city)}


def inferred_graph_name(note_graph: str) -> str:
    """Where the store keeps the inferences of one note (read back as the inferred graph).

    >>> inferred_graph_name("https://w3id.org/notegraph/id/graph/note/lome")
    'https://w3id.org/notegraph/id/graph/inferred/lome'
    """
    return f"{INFERRED_PREFIX}{note_graph.rsplit('/', 1)[-1]}"


INFERRED_PREFIX = f"{GRAPH_INFERRED}/"


def build_unit(record: NoteRecord, index: EventIndex, root: Path | None = None,
               reasoner: str = "fast") -> Unit:
    """The note's graph and, with the fast reasoner, its own inferences."""
    asserted = TripleSet()
    add_note(asserted, record, index, root)
    inferred = reason_fast(asserted, shared_closure()) if reasoner == "fast" else TripleSet()
    states, organisations = gazetteer_ids(asserted, gazetteer_module.load())
    return Unit(ntriples(asserted), ntriples(inferred), link_triples(asserted, inferred),
                frozenset(states), frozenset(organisations), organisation_events(asserted),
                note_part(asserted, inferred))


def link_triples(*graphs) -> tuple[tuple[str, str, str], ...]:
    """The triples of the link predicates (see ``fastreason.link_predicates``), as sorted
    plain strings (one string object for each distinct IRI, so that they pickle small): small
    to keep, and quick to join."""
    links = link_predicates()
    found = [triple for graph in graphs for triple in graph if triple[1] in links]
    strings: dict[str, str] = {}
    plain = {}
    for node in {node for triple in found for node in triple}:
        text = str(node)
        plain[node] = strings.setdefault(text, text)
    return tuple(sorted([(plain[s], plain[p], plain[o]) for s, p, o in found]))


class HeldLinksDropped(LookupError):
    """The joins asked for held links that a unit did not keep (see :func:`compact_links`):
    join with every unit's whole links instead."""


class HeldLinks:
    """The links the units left out (see :func:`compact_links`), by subject: packed as one
    text per subject and unit (``predicate object`` lines), unpacked only for the subjects
    the joins ask about.

    >>> held = HeldLinks([{"urn:e": "urn:p urn:o1\\nurn:p urn:o2"}])
    >>> sorted(held.of({"urn:e", "urn:x"}))
    [('urn:e', 'urn:p', 'urn:o1'), ('urn:e', 'urn:p', 'urn:o2')]
    """

    def __init__(self, units=()) -> None:
        self._texts: dict[str, list[str]] = {}
        for packed in units:
            for subject, text in packed.items():
                self._texts.setdefault(subject, []).append(text)

    def of(self, subjects) -> set[tuple[str, str, str]]:
        """The held links of these subjects; :class:`HeldLinksDropped` when a unit kept only
        that it held some."""
        found = set()
        for subject in subjects:
            for text in self._texts.get(subject, ()):
                if text is None:
                    raise HeldLinksDropped(subject)
                for line in text.split("\n"):
                    predicate, obj = line.split(" ", 1)
                    found.add((subject, predicate, obj))
        return found

    def reaching(self, targets: dict[str, set[str]]) -> set[tuple[str, str, str]]:
        """The held links from each subject to one of its targets (as ``of`` the subjects,
        filtered, without unpacking the other links).

        >>> held = HeldLinks([{"urn:e": "urn:p urn:o1\\nurn:q urn:o2"}])
        >>> sorted(held.reaching({"urn:e": {"urn:o2", "urn:o3"}}))
        [('urn:e', 'urn:q', 'urn:o2')]
        """
        found = set()
        for subject, objects in targets.items():
            for text in self._texts.get(subject, ()):
                if text is None:
                    raise HeldLinksDropped(subject)
                lines = f"\n{text}\n"
                for obj in objects:
                    end = lines.find(f" {obj}\n")
                    while end >= 0:
                        found.add((subject, lines[lines.rfind("\n", 0, end) + 1:end], obj))
                        end = lines.find(f" {obj}\n", end + 1)
        return found


def joined_inferences(shared: TripleSet, unit_links, held: HeldLinks | None = None
                      ) -> TripleSet:
    """The shared graphs' own inferences, plus what the notes' units (their ``links``) entail
    together but not alone: with the units' inferences, everything the whole graph entails.

    Of a bystander predicate (``fastreason.bystander_steps``: ``involves``, which joins only
    with ``partOf``), only the triples pointing at the subject of a second step take part.
    ``held``: links left out of the units' links (see :func:`compact_links`), or None when
    the links are whole; one the joins derive is not new, and joins as such (those the joins
    may derive join from the start).
    """
    inferred = reason_fast(shared)
    predicates = {str(p): p for p in link_predicates()}
    every = (link_triples(shared, inferred), *unit_links)
    steps = {str(first): {str(q) for q in seconds}
             for first, seconds in bystander_steps().items()}
    following: dict[str, dict[str, set[str]]] = {q: defaultdict(set)
                                                 for q in set().union(*steps.values())}
    for links in every:
        for s, p, o in links:
            if p in following:
                following[p][s].add(o)
    allowed = {first: set().union(*(following[q].keys() for q in seconds))
               for first, seconds in steps.items()}
    joined = {(s, p, o) for links in every for s, p, o in links
              if p not in allowed or o in allowed[p]}
    if held is None:  # whole links: what the filter left out is held
        left: dict[str, list[str]] = defaultdict(list)
        for links in every:
            for s, p, o in links:
                if p in allowed and o not in allowed[p]:
                    left[s].append(f"{p} {o}")
        held = HeldLinks([{s: "\n".join(lines) for s, lines in left.items()}])
    reach: dict[str, set[str]] = defaultdict(set)  # what the joins may derive, by subject
    for s, p, o in joined:
        for q in steps.get(p, ()):
            reach[s] |= _reached(following[q], o)
    joined |= held.reaching(reach)
    while True:  # once, unless the joins derive more than the reach foresaw
        derived = reason_joins([(s, predicates[p], o) for s, p, o in joined])
        found = {(str(s), str(p), str(o)) for s, p, o in derived if str(p) in allowed}
        again = (found & held.of({s for s, _p, _o in found})) - joined
        if not again:
            break
        joined |= again
    inferred.update((URIRef(s), p, o if isinstance(o, URIRef) else URIRef(o))
                    for s, p, o in derived)  # IRIs as plain strings until here
    return inferred


def _reached(following: dict[str, set[str]], node: str) -> set[str]:
    """Everything ``node`` leads to by the steps of ``following``."""
    found, frontier = set(), [node]
    while frontier:
        for step in following.get(frontier.pop(), ()):
            if step not in found:
                found.add(step)
                frontier.append(step)
    return found


def compact_links(links: tuple[tuple[str, str, str], ...], gazetteer_iris: frozenset[str]
                  ) -> tuple[tuple[tuple[str, str, str], ...], dict[str, str]]:
    """The links to join, and those left out, packed for :class:`HeldLinks`: the bystander
    triples that point at gazetteer entries. Those join only with the gazetteer's own second
    steps, with which each note was already reasoned, as long as no note makes a gazetteer
    entry the subject of a second step (see :func:`new_gazetteer_steps`); the joins need
    only know that they are held, and only of subjects with a bystander triple that joins:
    for the other subjects (most events) only the subject is kept."""
    steps = {str(first) for first in bystander_steps()}
    kept, held = [], defaultdict(list)
    for link in links:
        if link[1] in steps and link[2] in gazetteer_iris:
            held[link[0]].append(f"{link[1]} {link[2]}")
        else:
            kept.append(link)
    joinable = {s for s, p, _o in kept if p in steps}  # the joins ask only about these
    return tuple(kept), {subject: "\n".join(lines) if subject in joinable else None
                         for subject, lines in held.items()}


def new_gazetteer_steps(unit_links) -> set[tuple[str, str, str]]:
    """The second-step triples (``partOf``) among the links whose subject is a gazetteer
    entry and that the gazetteer itself does not entail: with any, the units' compact links
    are not enough (see :func:`compact_links`)."""
    seconds = {str(q) for found in bystander_steps().values() for q in found}
    iris = gazetteer_iris()
    found = {(s, p, o) for links in unit_links for s, p, o in links
             if p in seconds and s in iris}
    if not found:
        return found
    following = shared_closure().out
    known = {(str(s), p, str(o)) for p in {predicate for _s, predicate, _o in found}
             for s, objects in following.get(term(p), {}).items() for o in objects}
    return found - known


@functools.cache
def gazetteer_iris() -> frozenset[str]:
    """The IRIs of every State and organisation of the gazetteer."""
    return frozenset(str(s) for s, _p, _o in full_gazetteer())


def ntriples(triples) -> str:
    """Sorted N-Triples lines (the same text as rdflib's N-Triples rows).

    >>> from rdflib import Literal
    >>> print(ntriples([(URIRef("urn:s"), URIRef("urn:p"), Literal('say "hi"', lang="en"))]))
    <urn:s> <urn:p> "say \\"hi\\""@en .
    <BLANKLINE>
    """
    join = "".join  # three times faster than an f-string of rdflib terms
    rows = [join(("<", s, "> <", p, "> <", o, "> .\n")) if type(s) is type(p) is type(o) is URIRef
            else join(("<", s, "> <", p, "> ", _literal_text(o), " .\n"))
            if type(s) is type(p) is URIRef and type(o) is Literal
            else _nt_row((s, p, o)) for s, p, o in triples]
    rows.sort()
    return join(rows)


_LITERAL_TEXTS: dict[int, tuple[Literal, str]] = {}  # by id: kept alive, the id stays its own


def _literal_text(literal: Literal) -> str:
    """A literal as N-Triples (as rdflib writes it), remembered for the literal object: the
    builds share one object per literal (``quads.literal``), which recurs across notes."""
    found = _LITERAL_TEXTS.get(id(literal))
    if found is not None and found[0] is literal:
        return found[1]
    if len(_LITERAL_TEXTS) >= 1 << 16:
        _LITERAL_TEXTS.clear()
    text = _quoteLiteral(literal)
    _LITERAL_TEXTS[id(literal)] = (literal, text)
    return text


@functools.cache
def full_gazetteer() -> frozenset:
    """Every State and organisation of the gazetteer, as facts (made once per process)."""
    gazetteer = gazetteer_module.load()
    graph = TripleSet()
    add_gazetteer_entries(graph, set(gazetteer.state_labels), set(gazetteer.organisations),
                          gazetteer)
    return frozenset(graph)


@functools.cache
def shared_closure() -> Closure:
    """The whole gazetteer and the topics, closed: what every note is reasoned against."""
    shared = TripleSet()
    shared.update(full_gazetteer())
    add_topics(shared)
    return Closure(shared)


def shared_graph(units: list[Unit]) -> TripleSet:
    """The gazetteer entries the notes name."""
    states = set().union(*(u.states for u in units))
    organisations = set().union(*(u.organisations for u in units))
    graph = TripleSet()
    add_gazetteer_entries(graph, states, organisations, gazetteer_module.load())
    return graph
