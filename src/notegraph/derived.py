"""Derived data: aggregates of the whole corpus, written at build time into their own graph.

Some stored queries count over every event (how many events each organisation joined); at
10,000 notes counting at query time costs more than the query's whole budget. The build
knows each note's part of such a count already, so it writes the totals into the graph
``graph/derived``, which the queries read instead. The graph is an asserted graph (queries
with and without reasoning both see it), published like any other, and written again whole
when its text changes; it is small (one triple per organisation).

Each note's part is kept in its unit (``Unit.organisation_events``, from the note's own
asserted triples), so a build that changes one note recounts from what the manifest holds,
without reading any unit or the store.

>>> from rdflib import URIRef
>>> event, unodc = URIRef("urn:e1"), URIRef("https://w3id.org/notegraph/id/org/unodc")
>>> triples = [(event, NG.describedBy, URIRef("urn:n1")), (event, NG.host, unodc),
...            (event, NG.participant, unodc)]
>>> organisation_events(triples)
(('urn:e1', 'https://w3id.org/notegraph/id/org/unodc'),)
>>> sorted((str(s), o.toPython()) for s, _p, o in derived_graph([organisation_events(triples)]))
[('https://w3id.org/notegraph/id/org/unodc', 1)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from rdflib import Literal

from notegraph.build import GRAPH_DERIVED, NG, STATE_PREFIX
from notegraph.quads import TripleSet, term

__all__ = ["GRAPH_DERIVED", "ORGANISATION_ROLES", "derived_graph", "event_counts",
           "organisation_events"]

ORGANISATION_ROLES = frozenset({NG.host, NG.organiser, NG.supporter, NG.funder,
                                NG.participant, NG.remoteParticipant, NG.observer})
_DESCRIBED_BY = frozenset({NG.describedBy})  # a set finds the one term by identity, fast


def organisation_events(triples: Iterable) -> tuple[tuple[str, str], ...]:
    """The (event, actor) pairs of one note's triples: an event the note describes and an
    actor other than a State in one of its roles (``ORGANISATION_ROLES``), sorted."""
    triples = list(triples)
    events = {s for s, p, _o in triples if p in _DESCRIBED_BY}
    return tuple(sorted({(str(s), str(o)) for s, p, o in triples
                         if p in ORGANISATION_ROLES and s in events
                         and not str.startswith(o, STATE_PREFIX)}))


def event_counts(parts: Iterable[tuple[tuple[str, str], ...]]) -> dict[str, int]:
    """Actor → its number of distinct events, over every note's (event, actor) pairs (two
    notes describing one event count it once)."""
    distinct: set[tuple[str, str]] = set()
    for pairs in parts:
        distinct.update(pairs)
    return dict(Counter(actor for _event, actor in distinct))


def derived_graph(parts: Iterable[tuple[tuple[str, str], ...]]) -> TripleSet:
    """The derived graph of every note's part: each actor's ``ng:eventCount``."""
    graph = TripleSet()
    for actor, count in event_counts(parts).items():
        graph.add((term(actor), NG.eventCount, Literal(count)))
    return graph

