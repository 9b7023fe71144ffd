"""Pictures and the regional-cooperation report: PNG, GraphML, GEXF and one self-contained page.

The HTML page embeds everything (pictures as data URIs, an interactive SVG of the network with a
few lines of plain JavaScript), so it opens offline with no external request.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import networkx as nx

from notegraph.analysis import centralities, communities, grouping_table, modularity_of
from notegraph.export import atomic_target, write_atomic
from notegraph.networks import (
    TAKING_PART,
    Participation,
    bipartite,
    events_of,
    project,
    project_rows,
)


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """A deterministic spring layout."""
    if not len(graph):
        return {}
    return {n: (float(x), float(y)) for n, (x, y) in
            nx.spring_layout(graph, weight="weight", seed=1540, iterations=200).items()}


def png_bytes(graph: nx.Graph, title: str = "") -> bytes:
    """The network drawn with matplotlib: node size by strength, labels on the larger nodes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 8), dpi=100)
    positions = layout(graph)
    strength = dict(graph.degree(weight="weight"))
    top = max(strength.values(), default=1) or 1
    sizes = [80 + 900 * strength[n] / top for n in graph]
    widths = [0.3 + 2.5 * d["weight"] / max(_weights(graph), default=1) for *_e, d in
              graph.edges(data=True)]
    nx.draw_networkx_edges(graph, positions, ax=axes, width=widths, alpha=0.35,
                           edge_color="#555555")
    nx.draw_networkx_nodes(graph, positions, ax=axes, node_size=sizes, node_color="#2b6cb0",
                           alpha=0.85)
    labelled = sorted(graph, key=lambda n: -strength[n])[:40]
    nx.draw_networkx_labels(graph, positions, {n: n for n in labelled}, ax=axes, font_size=8)
    axes.set_title(title or f"{graph.number_of_nodes()} actors, {graph.number_of_edges()} ties")
    axes.axis("off")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _weights(graph: nx.Graph) -> list[float]:
    return [d["weight"] for *_e, d in graph.edges(data=True)]


def bar_chart_png(counts: dict[int, int], title: str) -> bytes:
    """A bar chart (events per year)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 3), dpi=100)
    years = sorted(counts)
    axes.bar([str(y) for y in years], [counts[y] for y in years], color="#2b6cb0")
    axes.set_title(title)
    axes.set_ylabel("events")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def write_network(graph: nx.Graph, fmt: str, path: Path) -> None:
    """GraphML, GEXF or PNG, written whole or not at all."""
    if fmt == "png":
        write_atomic(path, png_bytes(graph))
        return
    writer = {"graphml": nx.write_graphml, "gexf": nx.write_gexf}[fmt]
    with atomic_target(path) as temporary:
        writer(graph, str(temporary))


def svg_network(graph: nx.Graph, parts: list[set[str]]) -> str:
    """An interactive SVG: hover for names and weights, click a node to highlight its ties."""
    positions = layout(graph)
    colour = {n: i for i, part in enumerate(parts) for n in part}
    palette = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#975a16", "#2c7a7b"]
    scale = lambda v: 40 + (v + 1) * 430  # noqa: E731 - tiny local mapping
    edges = [f'<line class="tie" data-a="{html.escape(a)}" data-b="{html.escape(b)}" '
             f'x1="{scale(positions[a][0]):.1f}" y1="{scale(positions[a][1]):.1f}" '
             f'x2="{scale(positions[b][0]):.1f}" y2="{scale(positions[b][1]):.1f}" '
             f'stroke-width="{0.5 + 2 * d["count"] ** 0.5:.1f}"><title>{html.escape(a)} – '
             f'{html.escape(b)}: {d["count"]} shared events</title></line>'
             for a, b, d in graph.edges(data=True)]
    nodes = [f'<g class="actor" data-id="{html.escape(n)}"><circle cx="{scale(x):.1f}" '
             f'cy="{scale(y):.1f}" r="{4 + 2 * graph.degree(n) ** 0.5:.1f}" '
             f'fill="{palette[colour.get(n, 0) % len(palette)]}"><title>{html.escape(n)}: '
             f'{graph.degree(n)} partners</title></circle><text x="{scale(x) + 6:.1f}" '
             f'y="{scale(y) + 3:.1f}">{html.escape(n)}</text></g>'
             for n, (x, y) in positions.items()]
    return ('<svg id="network" viewBox="0 0 940 940" width="100%" role="img" '
            'aria-label="co-participation network">' + "".join(edges) + "".join(nodes) + "</svg>")


SCRIPT = """
document.querySelectorAll('#network .actor').forEach(function (node) {
  node.addEventListener('click', function () {
    var id = node.getAttribute('data-id');
    document.querySelectorAll('#network .tie').forEach(function (tie) {
      var on = tie.getAttribute('data-a') === id || tie.getAttribute('data-b') === id;
      tie.setAttribute('class', on ? 'tie on' : 'tie off');
    });
    document.getElementById('selected').textContent = id;
  });
});
"""
STYLE = """body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}.tie{stroke:#777;opacity:.35}
.tie.on{stroke:#c05621;opacity:.9}.tie.off{opacity:.08}text{font-size:9px}img{max-width:100%}"""


def report_html(rows: list[Participation], title: str = "Regional cooperation in 1540 outreach"
                ) -> str:
    """The self-contained HTML report on the State co-participation network."""
    graph = bipartite(rows, roles=TAKING_PART)
    network = project(graph, "states", "newman")
    parts = communities(network) if network.number_of_edges() else []
    brokers = centralities(network).head(15) if len(network) else None
    per_year: dict[int, int] = {}
    for event in events_of(graph):
        year = graph.nodes[event]["year"]
        per_year[year] = per_year.get(year, 0) + 1
    sections = [
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{len(events_of(graph))} events, {network.number_of_nodes()} States, "
        f"{network.number_of_edges()} ties (weights: Newman 1/(n−1) per shared event).</p>",
        "<h2>Network</h2>", _img(png_bytes(network), "network of States"),
        "<h2>Interactive view</h2><p>Click a State to show its ties: "
        "<strong id='selected'>none</strong></p>", svg_network(network, parts),
        "<h2>Top brokers (betweenness)</h2>",
        brokers.to_html(index=False, float_format="%.3f") if brokers is not None else "",
        "<h2>Communities and formal groupings</h2>",
        f"<p>Louvain communities: {len(parts)}; modularity "
        f"{modularity_of(network, parts) if parts else 0:.3f}.</p>",
        _communities_table(parts),
        grouping_table(network, parts).to_html(index=False, float_format="%.3f", na_rep=""),
        "<h2>Events per year</h2>", _img(bar_chart_png(per_year, "events per year"),
                                         "events per year"),
    ]
    return ("<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(sections) + f"<script>{SCRIPT}</script></body></html>")


def _img(data: bytes, alt: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def _communities_table(parts: list[set[str]]) -> str:
    rows = "".join(f"<tr><td>{i}</td><td>{len(p)}</td><td>{html.escape(', '.join(sorted(p)))}"
                   "</td></tr>" for i, p in enumerate(parts))
    return f"<table><tr><th>community</th><th>size</th><th>members</th></tr>{rows}</table>"


def write_report(rows: list[Participation], path: Path) -> None:
    """Write the HTML report atomically."""
    write_atomic(path, report_html(rows))



def network_for(rows: list[Participation], actors: str = "states", weight: str = "count",
                from_year: int | None = None, to_year: int | None = None,
                roles: tuple[str, ...] = (), region: str | None = None,
                kinds: tuple[str, ...] = ()) -> nx.Graph:
    """The projected network after the filters a user asked for (region: a grouping's
    member States as venues)."""
    from notegraph.analysis import groupings

    countries = None
    if region:
        known = groupings()
        if region not in known:
            raise ValueError(f"unknown grouping {region!r}; known: {', '.join(sorted(known))}")
        countries = set(known[region])
    return project_rows(rows, actors, weight, from_year, to_year, roles or TAKING_PART,
                        countries, kinds or None)


def edge_table(graph: nx.Graph):
    """The network's ties as a DataFrame, strongest first."""
    import pandas as pd

    rows = sorted(((a, b) if a < b else (b, a)) + (d["weight"], d["count"])
                  for a, b, d in graph.edges(data=True))
    frame = pd.DataFrame(rows, columns=["source", "target", "weight", "count"])
    return frame.sort_values(["weight", "source", "target"],
                             ascending=[False, True, True]).reset_index(drop=True)


def output_network(graph: nx.Graph, fmt: str, path: Path | None) -> str | None:
    """Write or render the network: table or CSV as text, GraphML/GEXF/PNG to ``path``,
    or the HTML page of the interactive view."""
    if fmt in ("graphml", "gexf", "png"):
        if path is None:
            raise ValueError(f"--format {fmt} needs --out FILE")
        write_network(graph, fmt, path)
        return None
    if fmt == "html":
        page = ("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>network"
                f"</title><style>{STYLE}</style></head><body><p>Selected: <strong id='selected'>"
                f"none</strong></p>{svg_network(graph, communities(graph))}"
                f"<script>{SCRIPT}</script></body></html>")
    else:
        frame = edge_table(graph)
        page = (frame.to_csv(index=False, lineterminator="\n") if fmt == "csv"
                else frame.to_string(index=False, float_format=lambda v: f"{v:.3f}") + "\n")
    if path is not None:
        write_atomic(path, page)
        return None
    return page
