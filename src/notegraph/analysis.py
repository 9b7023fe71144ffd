"""Analyses of co-participation networks: centralities, communities, groupings, egos, trends.

>>> import networkx as nx
>>> graph = nx.Graph([("A", "B"), ("B", "C"), ("C", "D")])
>>> ei_index(graph, {"A", "B"})
0.0
>>> round(modularity_of(graph, [{"A", "B"}, {"C", "D"}]), 3)
0.167
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from notegraph.gazetteer import DATA_DIR
from notegraph.networks import TAKING_PART, Participation, bipartite, events_of, project

GROUPINGS_DIR = DATA_DIR / "groupings"


def centralities(graph: nx.Graph):
    """Degree, strength, betweenness (distance 1/weight) and eigenvector centrality per node,
    as a DataFrame sorted by betweenness."""
    import pandas as pd

    between = betweenness(graph)
    eigenvector = _eigenvector(graph)
    strength = dict(graph.degree(weight="weight"))
    rows = [(node, graph.degree(node), strength[node], between[node],
             eigenvector.get(node, 0.0)) for node in graph.nodes]
    frame = pd.DataFrame(rows, columns=["node", "degree", "strength", "betweenness",
                                        "eigenvector"])
    return frame.sort_values(["betweenness", "strength", "node"],
                             ascending=[False, False, True]).reset_index(drop=True)


def betweenness(graph: nx.Graph, block: int = 1 << 19) -> dict[str, float]:
    """Normalised betweenness of an undirected graph with distance 1/weight: the values of
    ``nx.betweenness_centrality(graph, weight=<1/weight>, normalized=True)``, on arrays.

    Brandes' algorithm with every source at once: step k settles each source's k-th nearest
    node (Dijkstra on a dense distance matrix) and counts its shortest paths; the dependencies
    are then accumulated in the reverse order. A node precedes w on a shortest path when its
    distance plus the tie's length equals w's distance exactly, the test networkx makes, so
    ties in path length count the same. Edges of weight 0 are no ties. Sources are taken
    ``block // n`` at a time, so memory stays near ``block * n`` numbers.

    >>> graph = nx.Graph()
    >>> graph.add_weighted_edges_from([("A", "B", 1.0), ("B", "C", 1.0), ("C", "D", 1.0)])
    >>> {node: round(value, 3) for node, value in betweenness(graph).items()}
    {'A': 0.0, 'B': 0.667, 'C': 0.667, 'D': 0.0}
    """
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    total = np.zeros(n)
    if n > 2:
        length = _lengths(graph, nodes)
        step = max(1, block // n)
        for first in range(0, n, step):
            total += _dependencies(length, np.arange(first, min(n, first + step)))
        total *= 1 / ((n - 1) * (n - 2))
    return dict(zip(nodes, total.tolist(), strict=True))


def _lengths(graph: nx.Graph, nodes: list[str]):
    """The matrix of tie lengths 1/weight (infinite where there is no tie)."""
    import numpy as np

    index = {node: i for i, node in enumerate(nodes)}
    length = np.full((len(nodes), len(nodes)), np.inf)
    for a, b, data in graph.edges(data=True):
        if a != b and data["weight"]:
            length[index[a], index[b]] = length[index[b], index[a]] = 1 / data["weight"]
    return length


def _dependencies(length, sources):
    """Each node's summed dependency over shortest paths from ``sources`` (Brandes)."""
    import numpy as np

    order, paths, steps = _shortest_paths(length, sources)
    rows = np.arange(len(sources))
    delta = np.zeros_like(paths)
    total = np.zeros(len(length))
    for node, (source, before) in zip(order[:, :0:-1].T, steps[::-1], strict=True):
        ahead = delta[rows, node]
        total += np.bincount(node, weights=ahead, minlength=len(length))
        share = (1 + ahead[source]) / paths[source, node[source]]
        delta[source, before] += paths[source, before] * share
    return total


def _shortest_paths(length, sources):
    """Dijkstra from every source at once: the order nodes are settled in, the number of
    shortest paths to each, and per step (source, predecessor) pairs of the settled node."""
    import numpy as np

    rows, n = np.arange(len(sources)), len(length)
    unreached = np.finfo(float).max  # below inf, so a settled node (inf) is never picked again
    distance = np.full((len(sources), n), unreached)
    distance[rows, sources] = 0.0
    settled = np.zeros(distance.shape, bool)
    order = np.empty((len(sources), n), np.intp)
    order[:, 0] = sources
    paths = np.zeros(distance.shape)
    paths[rows, sources] = 1.0
    steps = []
    for k in range(n):
        node = order[:, 0] if k == 0 else np.where(settled, np.inf, distance).argmin(axis=1)
        order[:, k] = node
        settled[rows, node] = True
        ties, reached = length[node], distance[rows, node]
        if k:
            # v precedes the settled node on a shortest path when its distance plus the tie
            # is the node's distance, exactly (networkx's test); unreached nodes have none
            target = np.where(reached < unreached, reached, -1.0)
            source, before = np.nonzero(distance + ties == target[:, None])
            paths[rows, node] = np.bincount(source, weights=paths[source, before],
                                            minlength=len(rows))
            steps.append((source, before))
        np.minimum(distance, reached[:, None] + ties, out=distance)
    return order, paths, steps


def _eigenvector(graph: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality per connected component (scaled within it)."""
    values: dict[str, float] = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        if len(sub) < 2:
            values.update(dict.fromkeys(component, 0.0))
            continue
        values.update(_power_iteration(sub))
    return values


def _power_iteration(graph: nx.Graph, max_iter: int = 2000, tol: float = 1e-6
                     ) -> dict[str, float]:
    """``nx.eigenvector_centrality(graph, weight="weight")``'s iteration (x ← x + Ax, scaled
    to unit length, until the L1 change is below n·tol) on a matrix; the leading eigenvector
    of the weight matrix when it does not settle."""
    import numpy as np

    nodes = list(graph)
    matrix = nx.to_numpy_array(graph, nodelist=nodes, weight="weight")
    x = np.full(len(nodes), 1 / len(nodes))
    for _ in range(max_iter):
        last = x
        x = last + matrix @ last
        x = x / (np.linalg.norm(x) or 1)
        if np.abs(x - last).sum() < len(nodes) * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    leading = np.linalg.eigh(matrix)[1][:, -1]
    leading = leading / (np.sign(leading.sum()) * np.linalg.norm(leading))
    return dict(zip(nodes, leading.tolist(), strict=True))


def communities(graph: nx.Graph, method: str = "louvain", seed: int = 1540) -> list[set[str]]:
    """Communities by Louvain (networkx) or Leiden (when leidenalg is installed)."""
    if method == "leiden":
        return _leiden(graph, seed)
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((set(c) for c in found), key=lambda c: (-len(c), sorted(c)))


def _leiden(graph: nx.Graph, seed: int) -> list[set[str]]:
    try:
        import igraph
        import leidenalg
    except ImportError as exc:
        raise RuntimeError("Leiden needs the leidenalg package: pip install leidenalg") from exc
    nodes = list(graph.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    ig = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges])
    ig.es["weight"] = [d["weight"] for _a, _b, d in graph.edges(data=True)]
    partition = leidenalg.find_partition(ig, leidenalg.ModularityVertexPartition,
                                         weights="weight", seed=seed)
    return sorted(({nodes[i] for i in part} for part in partition),
                  key=lambda c: (-len(c), sorted(c)))


def modularity_of(graph: nx.Graph, parts: list[set[str]]) -> float:
    """Newman modularity of a partition (weighted)."""
    return nx.community.modularity(graph, parts, weight="weight")


@functools.cache
def groupings() -> dict[str, frozenset[str]]:
    """Membership tables in ``data/groupings/`` (ISO3 codes), by file name."""
    found = {}
    for path in sorted(GROUPINGS_DIR.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            found[path.stem] = frozenset(row["iso3"] for row in csv.DictReader(handle))
    return found


def ei_index(graph: nx.Graph, members: set[str] | frozenset[str], weight: str | None = None
             ) -> float | None:
    """Krackhardt's E-I index of a group: (external − internal) / (external + internal) ties,
    counting the ties of the group's members present in the graph; None without ties."""
    internal = external = 0.0
    for a, b, data in graph.edges(data=True):
        inside = (a in members) + (b in members)
        value = data.get(weight, 1.0) if weight else 1.0
        if inside == 2:
            internal += value
        elif inside == 1:
            external += value
    total = internal + external
    return None if total == 0 else (external - internal) / total


def grouping_assortativity(graph: nx.Graph, members: set[str] | frozenset[str]) -> float | None:
    """Assortativity of the network by membership of the group (None when undefined)."""
    labelled = graph.copy()
    nx.set_node_attributes(labelled, {n: n in members for n in labelled}, "member")
    if len({labelled.nodes[n]["member"] for n in labelled}) < 2 or not labelled.number_of_edges():
        return None
    value = nx.attribute_assortativity_coefficient(labelled, "member")
    return None if value != value else float(value)  # NaN when degenerate


def grouping_table(graph: nx.Graph, parts: list[set[str]]):
    """Per grouping: members present, E-I index, assortativity and the community most of its
    present members fall in."""
    import pandas as pd

    rows = []
    for name, members in groupings().items():
        present = members & set(graph.nodes)
        if not present:
            continue
        shares = [len(present & part) for part in parts]
        best = max(range(len(parts)), key=lambda i: shares[i]) if parts else None
        rows.append((name, len(present), ei_index(graph, present),
                     grouping_assortativity(graph, present),
                     best, shares[best] / len(present) if best is not None else None))
    return pd.DataFrame(rows, columns=["grouping", "present", "ei_index", "assortativity",
                                       "main_community", "share_in_main_community"])


@dataclass
class EgoReport:
    """One State's place in the network."""

    state: str
    events: list[tuple[str, str, str]] = field(default_factory=list)  # (date, event, role)
    partners: list[tuple[str, float, int]] = field(default_factory=list)  # (partner, weight, n)
    first_met: dict[str, str] = field(default_factory=dict)  # partner -> first event date
    topics: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        rows = [f"{self.state}: {len(self.events)} events"]
        rows += [f"  {date}  {role:<11} {event}" for date, event, role in self.events]
        rows.append("partners (weight, shared events, first co-attendance):")
        rows += [f"  {p:<12} {w:8.3f} {n:4d}  {self.first_met[p]}" for p, w, n in self.partners]
        if self.topics:
            rows.append("topics: " + ", ".join(f"{t} ({n})" for t, n in self.topics.items()))
        return rows


def ego(rows: list[Participation], state: str, weight: str = "count",
        topics: dict[str, list[str]] | None = None) -> EgoReport:
    """Events, partners by weight, first co-attendance and topics of one State."""
    graph = bipartite(rows, roles=TAKING_PART)
    report = EgoReport(state)
    if state not in graph:
        return report
    for event in sorted(graph[state], key=lambda e: graph.nodes[e]["date"]):
        report.events.append((graph.nodes[event]["date"], event, graph[event][state]["role"]))
    network = project(graph, "states", weight)
    for partner in network[state]:
        data = network[state][partner]
        report.partners.append((partner, data["weight"], data["count"]))
        shared = [e for e in graph[state] if partner in graph[e]]
        report.first_met[partner] = min(graph.nodes[e]["date"] for e in shared)
    report.partners.sort(key=lambda p: (-p[1], p[0]))
    counted: dict[str, int] = defaultdict(int)
    for _date, event, _role in report.events:
        for topic in (topics or {}).get(event, []):
            counted[topic] += 1
    report.topics = dict(sorted(counted.items(), key=lambda t: (-t[1], t[0])))
    return report


def persistence(rows: list[Participation]):
    """Tie persistence between consecutive years of the State network: of the ties of one year,
    the share seen again the next year."""
    import pandas as pd

    graph = bipartite(rows, roles=TAKING_PART)
    years = sorted({graph.nodes[e]["year"] for e in events_of(graph)})
    ties = {year: {tuple(sorted(edge)) for edge in
                   project(bipartite(rows, year, year, TAKING_PART)).edges}
            for year in years}
    table = []
    for year, following in zip(years, years[1:], strict=False):
        kept = ties[year] & ties[following]
        share = len(kept) / len(ties[year]) if ties[year] else None
        table.append((year, following, len(ties[year]), len(kept), share))
    return pd.DataFrame(table, columns=["year", "next_year", "ties", "persisted", "share"])


def dyad_years(rows: list[Participation]):
    """State pair × year with the number of events both attended (each pair once, ISO3 order)."""
    import pandas as pd

    counts: dict[tuple[str, str, int], int] = defaultdict(int)
    graph = bipartite(rows, roles=TAKING_PART)
    states = {n for n, d in graph.nodes(data=True) if d["part"] == "actor" and d["kind"] == "state"}
    for event in events_of(graph):
        present = sorted(a for a in graph[event] if a in states)
        year = graph.nodes[event]["year"]
        for i, a in enumerate(present):
            for b in present[i + 1:]:
                counts[(a, b, year)] += 1
    table = sorted((a, b, year, n) for (a, b, year), n in counts.items())
    return pd.DataFrame(table, columns=["state_a", "state_b", "year", "events"])


def write_table(frame, path: Path | None) -> str:
    """A DataFrame as CSV text (written to ``path`` atomically when given)."""
    from notegraph.export import write_atomic

    text = frame.to_csv(index=False, lineterminator="\n")
    if path is not None:
        write_atomic(path, text)
    return text
