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

import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
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
    wanted_roles, wanted_kinds = set(roles or ()), set(kinds or ())
    graph = nx.Graph()
    for row in rows:
        year = int(row.start[:4])
        if (from_year and year < from_year) or (to_year and year > to_year):
            continue
        if wanted_roles and row.role not in wanted_roles:
            continue
        if countries is not None and row.country not in countries:
            continue
        kind = event_kind(row.title)
        if wanted_kinds and kind not in wanted_kinds:
            continue
        graph.add_node(row.event, part="event", date=row.start, year=year,
                       country=row.country or "", kind=kind, title=row.title)
        graph.add_node(row.actor, part="actor", kind=row.actor_kind)
        _add_role(graph, row.event, row.actor, row.role)
    for node, data in graph.nodes(data=True):
        if data["part"] == "event":
            data["size"] = graph.degree(node)
    return graph


def _add_role(graph: nx.Graph, event: str, actor: str, role: str) -> None:
    if graph.has_edge(event, actor):
        roles = set(graph[event][actor]["roles"].split(";")) | {role}
    else:
        roles = {role}
    ordered = [r for r in ROLE_ORDER if r in roles]
    graph.add_edge(event, actor, role=ordered[0], roles=";".join(ordered))


def events_of(graph: nx.Graph) -> list[str]:
    """Event nodes of a bipartite graph."""
    return [n for n, d in graph.nodes(data=True) if d["part"] == "event"]


def actors_of(graph: nx.Graph, actors: str = "all") -> list[str]:
    """Actor nodes: ``states``, ``organisations`` or ``all``."""
    kinds = {"states": {"state"}, "organisations": {"organisation"},
             "all": {"state", "organisation"}}[actors]
    return [n for n, d in graph.nodes(data=True) if d["part"] == "actor" and d["kind"] in kinds]


def project(graph: nx.Graph, actors: str = "states", weight: str = "count") -> nx.Graph:
    """The co-participation network of one kind of actor, weighted as asked.

    Every edge has ``count`` (shared events) and ``weight`` (by the chosen scheme); nodes keep
    their kind and get ``events`` (how many events they joined).
    """
    if weight not in ("count", "newman", "jaccard"):
        raise ValueError(f"unknown weighting {weight!r}: use count, newman or jaccard")
    keep = set(actors_of(graph, actors))
    projected = nx.Graph()
    events_by_actor: dict[str, set[str]] = defaultdict(set)
    newman: dict[tuple[str, str], float] = defaultdict(float)
    for event in events_of(graph):
        present = sorted(a for a in graph[event] if a in keep)
        for actor in present:
            events_by_actor[actor].add(event)
        for a, b in itertools.combinations(present, 2):
            newman[(a, b)] += 1 / (len(present) - 1)
    for actor, events in events_by_actor.items():
        projected.add_node(actor, kind=graph.nodes[actor]["kind"], events=len(events))
    for (a, b), value in newman.items():
        shared = len(events_by_actor[a] & events_by_actor[b])
        combined = len(events_by_actor[a] | events_by_actor[b])
        scores = {"count": float(shared), "newman": value, "jaccard": shared / combined}
        projected.add_edge(a, b, count=shared, weight=scores[weight])
    return projected


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
