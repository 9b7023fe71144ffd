"""Co-participation networks from the reasoned graph.

Edges come from the stored query ``participation-edges`` (so, with reasoning, a State counts at
every event one of its national agencies took part in), never from the parser's records. The
bipartite event–actor graph carries the role on each edge; projections onto States,
organisations or all actors are weighted by ``count`` (shared events), ``newman`` (1/(n−1) per
shared event with n projected actors) or ``jaccard`` (shared over combined events).

>>> rows = [Participation("e1", "2013-05-09", "Workshop", "SRB", "SRB", "state", "host"),
...         Participation("e1", "2013-05-09", "Workshop", "SRB", "MNE", "state", "participant"),
...         Participation("e1", "2013-05-09", "Workshop", "SRB", "ALB", "state", "participant"),
...         Participation("e2", "2015-05-26", "Meeting", "SRB", "SRB", "state", "participant"),
...         Participation("e2", "2015-05-26", "Meeting", "SRB", "MNE", "state", "participant")]
>>> graph = project(bipartite(rows), weight="newman")
>>> round(graph["SRB"]["MNE"]["weight"], 3), graph["SRB"]["MNE"]["count"]
(1.5, 2)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import networkx as nx

ROLE_ORDER = ("host", "organiser", "supporter", "funder", "participant", "remote", "observer",
              "represented")
TAKING_PART = ("host", "organiser", "participant", "remote", "observer", "represented")
EVENT_KINDS = (("round-table", r"round\s*table"), ("meeting", r"meeting"),
               ("conference", r"conference"), ("course", r"course|training"),
               ("dialogue", r"dialogue|forum"), ("seminar", r"seminar"),
               ("peer-review", r"peer\s+review"), ("workshop", r"workshop"))
ID_PREFIX = "https://w3id.org/notegraph/id/"
ACTOR_KINDS = {"states": {"state"}, "organisations": {"organisation"},
               "all": {"state", "organisation"}}


@dataclass(frozen=True)
class Participation:
    """One row of ``participation-edges``: an actor's role at an event."""

    event: str
    start: str
    title: str
    country: str | None
    actor: str
    actor_kind: str
    role: str


def event_kind(title: str) -> str:
    """The kind of event its title names.

    >>> event_kind("National Round Table on ..."), event_kind("Second meeting of the PoCs")
    ('round-table', 'meeting')
    """
    for kind, pattern in EVENT_KINDS:
        if re.search(rf"\b(?:{pattern})", title, re.IGNORECASE):
            return kind
    return "other"


def short_id(iri: str) -> str:
    """``https://w3id.org/notegraph/id/state/SRB`` → ``SRB``; organisations keep their id."""
    return iri.removeprefix(ID_PREFIX).split("/", 1)[-1]


def participations(store: str = "out/store", endpoint: str | None = None,
                   reasoning: bool = True) -> list[Participation]:
    """The edges of every network, from the stored query over the (reasoned) graph."""
    from notegraph.sparql import python_value, run_stored

    result = run_stored("participation-edges", {}, store=store, endpoint=endpoint,
                        reasoning=reasoning)
    rows = []
    for row in result.rows:
        event, start, title, country, actor, kind, role = map(python_value, row)
        rows.append(Participation(short_id(event), str(start), title, country,
                                  short_id(actor), kind, role))
    return rows


def bipartite(rows: Iterable[Participation], from_year: int | None = None,
              to_year: int | None = None, roles: Iterable[str] | None = None,
              countries: set[str] | None = None, kinds: Iterable[str] | None = None) -> nx.Graph:
    """The event–actor graph, filtered by year range, role, venue countries and event kind.

    Each edge keeps the actor's strongest role at the event (host before organiser before ...)
    and all its roles; events carry date, year, country, kind, title and size.
    """
    nodes: dict[str, dict] = {}  # in order of first appearance, the last row's attributes
    ties: dict[tuple[str, str], set[str]] = {}
    for row, year, kind in _kept(rows, from_year, to_year, roles, countries, kinds):
        nodes[row.event] = {"part": "event", "date": row.start, "year": year,
                            "country": row.country or "", "kind": kind, "title": row.title}
        nodes[row.actor] = {"part": "actor", "kind": row.actor_kind}
        ties.setdefault((row.event, row.actor), set()).add(row.role)
    graph = nx.Graph()
    graph.add_nodes_from(nodes.items())
    graph.add_edges_from((event, actor, _role_data(found))
                         for (event, actor), found in ties.items())
    for node, data in graph.nodes(data=True):
        if data["part"] == "event":
            data["size"] = len(graph[node])
    return graph


def _kept(rows: Iterable[Participation], from_year: int | None, to_year: int | None,
          roles: Iterable[str] | None, countries: set[str] | None,
          kinds: Iterable[str] | None) -> Iterator[tuple[Participation, int, str]]:
    """The rows that pass the filters, each with its event's year and kind."""
    wanted_roles, wanted_kinds = set(roles or ()), set(kinds or ())
    kind_of: dict[str, str] = {}  # titles repeat on every row of an event
    for row in rows:
        year = int(row.start[:4])
        if (from_year and year < from_year) or (to_year and year > to_year):
            continue
        if wanted_roles and row.role not in wanted_roles:
            continue
        if countries is not None and row.country not in countries:
            continue
        kind = kind_of.get(row.title)
        if kind is None:
            kind = kind_of[row.title] = event_kind(row.title)
        if wanted_kinds and kind not in wanted_kinds:
            continue
        yield row, year, kind


def _role_data(roles: set[str]) -> dict[str, str]:
    ordered = [r for r in ROLE_ORDER if r in roles]
    return {"role": ordered[0], "roles": ";".join(ordered)}


def events_of(graph: nx.Graph) -> list[str]:
    """Event nodes of a bipartite graph."""
    return [n for n, d in graph.nodes(data=True) if d["part"] == "event"]


def actors_of(graph: nx.Graph, actors: str = "all") -> list[str]:
    """Actor nodes: ``states``, ``organisations`` or ``all``."""
    kinds = ACTOR_KINDS[actors]
    return [n for n, d in graph.nodes(data=True) if d["part"] == "actor" and d["kind"] in kinds]


def project(graph: nx.Graph, actors: str = "states", weight: str = "count") -> nx.Graph:
    """The co-participation network of one kind of actor, weighted as asked.

    Every edge has ``count`` (shared events) and ``weight`` (by the chosen scheme); nodes keep
    their kind and get ``events`` (how many events they joined).
    """
    _check_weighting(weight)
    keep = set(actors_of(graph, actors))
    present = {event: sorted(a for a in graph[event] if a in keep) for event in events_of(graph)}
    return co_participation(present, {a: graph.nodes[a]["kind"] for a in keep}, weight)


def project_rows(rows: Iterable[Participation], actors: str = "states", weight: str = "count",
                 from_year: int | None = None, to_year: int | None = None,
                 roles: Iterable[str] | None = None, countries: set[str] | None = None,
                 kinds: Iterable[str] | None = None) -> nx.Graph:
    """``project(bipartite(rows, ...filters), actors, weight)`` without the bipartite graph."""
    _check_weighting(weight)
    at_event: dict[str, dict[str, None]] = {}  # events in order, actors without repeats
    kind_of: dict[str, str] = {}
    for row, _year, _kind in _kept(rows, from_year, to_year, roles, countries, kinds):
        at_event.setdefault(row.event, {})[row.actor] = None
        kind_of[row.actor] = row.actor_kind
    wanted = ACTOR_KINDS[actors]
    present = {event: sorted(a for a in found if kind_of[a] in wanted)
               for event, found in at_event.items()}
    return co_participation(present, kind_of, weight)


def _check_weighting(weight: str) -> None:
    if weight not in ("count", "newman", "jaccard"):
        raise ValueError(f"unknown weighting {weight!r}: use count, newman or jaccard")


def co_participation(present: dict[str, list[str]], kinds: dict[str, str],
                     weight: str = "count") -> nx.Graph:
    """The weighted network of actors from the actors present at each event (sorted, each once).

    Nodes come in order of first appearance and ties in the order their pair first met, as a
    loop over ``itertools.combinations`` of each event's actors would add them; the sums run
    over arrays (one slot per pair of actors) instead of a dictionary per pair.

    >>> graph = co_participation({"e1": ["ALB", "MNE", "SRB"], "e2": ["MNE", "SRB"]},
    ...                          dict.fromkeys(["ALB", "MNE", "SRB"], "state"), "newman")
    >>> list(graph.edges(data=True))[-1]
    ('MNE', 'SRB', {'count': 2, 'weight': 1.5})
    """
    import numpy as np

    _check_weighting(weight)
    index: dict[str, int] = {}
    members = []
    for found in present.values():
        members.append([index.setdefault(actor, len(index)) for actor in found])
    names = list(index)
    shared, newman, first, events = _pair_sums(members, len(names))
    graph = nx.Graph()
    graph.add_nodes_from((name, {"kind": kinds[name], "events": n})
                         for name, n in zip(names, events.tolist(), strict=True))
    met = np.flatnonzero(shared)
    met = met[np.argsort(first[met], kind="stable")]
    low, high = np.divmod(met, len(names))
    counts = shared[met]
    union = events[low] + events[high] - counts
    scores = {"count": counts.astype(float), "newman": newman[met], "jaccard": counts / union}
    graph.add_edges_from((names[a], names[b], {"count": c, "weight": w}) for a, b, c, w in zip(
        low.tolist(), high.tolist(), counts.tolist(), scores[weight].tolist(), strict=True))
    return graph


def _pair_sums(members: list[list[int]], n: int, chunk: int = 1 << 22):
    """Per pair of actors (slot ``low * n + high``): shared events, the Newman sum, the position
    the pair first occurs at; and the number of events of each actor."""
    import numpy as np

    shared = np.zeros(n * n, np.int64)
    newman = np.zeros(n * n)
    first = np.full(n * n, np.iinfo(np.int64).max)
    events = np.zeros(n, np.int64)
    offset = 0
    for keys, shares, actors in _pair_chunks(members, n, chunk):
        shared += np.bincount(keys, minlength=n * n)
        newman += np.bincount(keys, weights=shares, minlength=n * n)
        np.minimum.at(first, keys, np.arange(offset, offset + len(keys)))
        events += np.bincount(actors, minlength=n)
        offset += len(keys)
    return shared, newman, first, events


def _pair_chunks(members: list[list[int]], n: int, chunk: int):
    """Pair slots and Newman shares of consecutive events, about ``chunk`` pairs at a time."""
    import numpy as np

    keys, shares, actors, size = [], [], [], 0
    for found in members:
        present = np.array(found, np.int64)
        actors.append(present)
        if len(present) > 1:
            left, right = _pairs(len(present))
            a, b = present[left], present[right]
            keys.append(np.minimum(a, b) * n + np.maximum(a, b))
            shares.append(np.full(len(left), 1 / (len(present) - 1)))
            size += len(left)
        if size >= chunk:
            yield np.concatenate(keys), np.concatenate(shares), np.concatenate(actors)
            keys, shares, actors, size = [], [], [], 0
    if actors:
        yield (np.concatenate(keys) if keys else np.zeros(0, np.int64),
               np.concatenate(shares) if shares else np.zeros(0), np.concatenate(actors))


@functools.cache
def _pairs(size: int):
    """Positions of every pair among ``size`` actors, in ``itertools.combinations`` order."""
    import numpy as np

    return np.triu_indices(size, 1)


def year_slices(graph: nx.Graph, window: int = 1) -> dict[str, nx.Graph]:
    """Bipartite sub-graphs per year (``window=1``) or per rolling window of years."""
    years = sorted({d["year"] for _n, d in graph.nodes(data=True) if d["part"] == "event"})
    slices = {}
    for first in years:
        last = first + window - 1
        if window > 1 and last > years[-1]:
            break
        events = [n for n in events_of(graph) if first <= graph.nodes[n]["year"] <= last]
        nodes = set(events) | {a for e in events for a in graph[e]}
        label = str(first) if window == 1 else f"{first}-{last}"
        slices[label] = graph.subgraph(nodes).copy()
    return slices
