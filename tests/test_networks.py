"""Networks and analyses: weights checked by hand on the seeds, reasoning visible, exports,
pictures, the HTML report in headless Chromium, communities and E-I on a fixture graph."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from notegraph.analysis import (
    communities,
    dyad_years,
    ego,
    ei_index,
    grouping_assortativity,
    grouping_table,
    groupings,
    modularity_of,
    persistence,
)
from notegraph.networks import bipartite, participations
from notegraph.report import network_for, report_html, write_network


@pytest.fixture(scope="module")
def seed_rows(seeds_build):
    _report, out = seeds_build
    return participations(str(out / "store"))


@pytest.fixture(scope="module")
def seed_rows_plain(seeds_build):
    _report, out = seeds_build
    return participations(str(out / "store"), reasoning=False)


@pytest.fixture(scope="module")
def dev_rows(dev_store):
    return participations(str(dev_store))


def weight(rows, a: str, b: str, scheme: str, **filters) -> float:
    return network_for(rows, "states", scheme, **filters)[a][b]["weight"]


def test_serbia_and_montenegro_under_each_weighting(seed_rows, seed_rows_plain) -> None:
    # 2013 Belgrade: 7 listed States + Germany, Belarus, United States through their agencies = 10
    # 2015 Belgrade: 22 listed States
    assert weight(seed_rows, "MNE", "SRB", "count") == 2
    assert weight(seed_rows, "MNE", "SRB", "newman") == pytest.approx(1 / 9 + 1 / 21)
    assert weight(seed_rows, "MNE", "SRB", "jaccard") == pytest.approx(1.0)
    # without reasoning the 2013 event has only its 7 listed States
    assert weight(seed_rows_plain, "MNE", "SRB", "newman") == pytest.approx(1 / 6 + 1 / 21)


def test_weights_of_pairs_met_once(seed_rows) -> None:
    # Albania and Croatia: both seeds (ALB in both, HRV in both) → 2; Slovenia–Spain: 2015 only
    assert weight(seed_rows, "ALB", "HRV", "count") == 2
    assert weight(seed_rows, "ESP", "SVN", "count") == 1
    assert weight(seed_rows, "ESP", "SVN", "newman") == pytest.approx(1 / 21)
    # Spain: 1 event; Slovenia: 2 events; shared 1 → Jaccard 1/2
    assert weight(seed_rows, "ESP", "SVN", "jaccard") == pytest.approx(0.5)


def test_germany_in_2013_only_with_reasoning(seed_rows, seed_rows_plain) -> None:
    reasoned = network_for(seed_rows, from_year=2013, to_year=2013)
    plain = network_for(seed_rows_plain, from_year=2013, to_year=2013)
    assert "DEU" in reasoned and "DEU" not in plain
    assert "SRB" in plain and reasoned.number_of_nodes() == plain.number_of_nodes() + 3


def test_roles_on_bipartite_edges(seed_rows) -> None:
    graph = bipartite(seed_rows)
    event = "2013-05-09-belgrade-regional-workshop"
    assert graph[event]["SRB"]["role"] == "host"
    assert graph[event]["DEU"]["role"] == "represented"
    assert graph[event]["osce-cpc"]["role"] == "supporter"
    assert graph.nodes[event]["kind"] == "workshop"
    assert graph.nodes["2015-05-26-belgrade-second-meeting-osce-points"]["kind"] == "meeting"


def test_filters_by_role_region_and_kind(dev_rows) -> None:
    osce_venues = network_for(dev_rows, region="osce")
    assert "SRB" in osce_venues and "KHM" not in osce_venues
    funders = network_for(dev_rows, roles=("funder",))
    assert set(funders) >= {"NOR", "USA", "KOR"}
    meetings = network_for(dev_rows, kinds=("round-table",), actors="all")
    assert "guy-mofa" in meetings or "GUY" in meetings


def test_graphml_and_gexf_read_back_with_attributes(dev_rows, tmp_path: Path) -> None:
    graph = network_for(dev_rows, weight="newman")
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"net.{fmt}"
        write_network(graph, fmt, path)
        back = reader(path)
        assert back.number_of_nodes() == graph.number_of_nodes()
        assert back.number_of_edges() == graph.number_of_edges()
        assert back["MNE"]["SRB"]["count"] == 3
        assert float(back["MNE"]["SRB"]["weight"]) == pytest.approx(graph["MNE"]["SRB"]["weight"])
        assert back.nodes["SRB"]["kind"] == "state"


def test_png_is_a_real_picture(dev_rows, tmp_path: Path) -> None:
    path = tmp_path / "net.png"
    write_network(network_for(dev_rows), "png", path)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert 400 <= width <= 3000 and 400 <= height <= 3000
    assert len(data) > 20_000  # a drawn network, not an empty canvas


def test_ei_index_and_communities_on_a_fixture() -> None:
    # two triangles joined by one bridge: A-B-C and D-E-F, bridge C-D
    graph = nx.Graph([("A", "B"), ("B", "C"), ("A", "C"), ("D", "E"), ("E", "F"), ("D", "F"),
                      ("C", "D")], weight=1.0)
    nx.set_edge_attributes(graph, 1.0, "weight")
    # group {A, B, C}: internal ties AB, BC, AC = 3; external CD = 1 → (1 - 3) / 4 = -0.5
    assert ei_index(graph, {"A", "B", "C"}) == -0.5
    # group {C, D}: internal CD = 1; external BC, AC, DE, DF = 4 → (4 - 1) / 5 = 0.6
    assert ei_index(graph, {"C", "D"}) == pytest.approx(0.6)
    parts = communities(graph)
    assert sorted(map(sorted, parts)) == [["A", "B", "C"], ["D", "E", "F"]]
    # modularity: 7 edges; each triangle: 3/7 - (7/14)^2 → 2 * (3/7 - 1/4) = 5/14
    assert modularity_of(graph, parts) == pytest.approx(5 / 14)
    # mixing: 6/14 inside each side, 1/14 across; a = b = 1/2 → (12/14 - 1/2) / (1 - 1/2) = 5/7
    assert grouping_assortativity(graph, {"A", "B", "C"}) == pytest.approx(5 / 7)


def test_osce_and_eu_groupings_on_the_dev_notes(dev_rows) -> None:
    network = network_for(dev_rows, weight="newman")
    parts = communities(network)
    table = grouping_table(network, parts).set_index("grouping")
    osce, eu = groupings()["osce"], groupings()["eu"]
    assert len(osce) == 57 and len(eu) == 27
    present_osce = osce & set(network)
    assert table.loc["osce", "present"] == len(present_osce)
    assert table.loc["osce", "ei_index"] == pytest.approx(ei_index(network, present_osce))
    # OSCE States meet mostly each other (Belgrade, Vienna): more internal than external ties
    assert table.loc["osce", "ei_index"] < 0
    assert -1 <= table.loc["eu", "ei_index"] <= 1
    assert len(parts) >= 3
    assert 0 < modularity_of(network, parts) < 1


def test_ego_report(dev_rows) -> None:
    report = ego(dev_rows, "SRB")
    assert [date for date, _event, _role in report.events] == ["2013-05-09", "2015-05-26",
                                                              "2016-11-30"]
    partners = {p: (w, n) for p, w, n in report.partners}
    assert partners["MNE"] == (3.0, 3)
    assert report.first_met["ARM"] == "2015-05-26"


def test_dyads_and_persistence(dev_rows) -> None:
    table = dyad_years(dev_rows)
    rows = {(a, b, y): n for a, b, y, n in table.itertuples(index=False)}
    assert rows[("MNE", "SRB", 2013)] == 1 and rows[("MNE", "SRB", 2015)] == 1
    assert ("MNE", "SRB", 2014) not in rows
    trend = persistence(dev_rows).set_index("year")
    assert set(trend.columns) == {"next_year", "ties", "persisted", "share"}
    assert trend.loc[2015, "persisted"] > 0  # Belgrade 2015 ties seen again in Vienna 2016


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed (.ci/run installs it)"
    return found


def render_in_chromium(page: Path, screenshot: Path) -> str:
    """Open a page headless, save a screenshot, return what the browser logged."""
    import tempfile

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}",
         "--enable-logging=stderr", "--v=0", "--window-size=1280,2400",
         f"--screenshot={screenshot}", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    shutil.rmtree(profile, ignore_errors=True)
    return result.stderr


def console_errors(log: str) -> list[str]:
    return [line for line in log.splitlines() if "CONSOLE" in line and
            ("Uncaught" in line or "ERROR" in line.upper().split("CONSOLE")[0] or
             "console.error" in line or '"error"' in line.lower())]


def test_console_error_detection_works(tmp_path: Path) -> None:
    page = tmp_path / "broken.html"
    page.write_text("<html><body><script>undefinedFunction();</script></body></html>")
    log = render_in_chromium(page, tmp_path / "broken.png")
    assert console_errors(log), log[-2000:]


def test_report_opens_in_chromium_without_console_errors(dev_rows, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report_html(dev_rows), encoding="utf-8")
    screenshot = Path(__file__).parent / "artifacts" / "report.png"
    screenshot.parent.mkdir(exist_ok=True)
    screenshot.unlink(missing_ok=True)
    log = render_in_chromium(page, screenshot)
    assert console_errors(log) == []
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    html = page.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained


def test_cli_network_and_report(dev_store: Path, tmp_path: Path) -> None:
    run = [sys.executable, "-m", "notegraph"]
    table = subprocess.run(run + ["network", "--store", str(dev_store), "--weight", "jaccard",
                                  "--format", "csv"], capture_output=True, text=True, check=True)
    assert table.stdout.startswith("source,target,weight,count\n")
    report = subprocess.run(run + ["report", "--store", str(dev_store), "--out",
                                   str(tmp_path / "r.html")], capture_output=True, text=True,
                            check=True)
    assert (tmp_path / "r.html").stat().st_size > 50_000 and "wrote" in report.stdout
    ego_out = subprocess.run(run + ["ego", "Montenegro", "--store", str(dev_store)],
                             capture_output=True, text=True, check=True)
    assert ego_out.stdout.startswith("MNE: 3 events")


def test_year_slices_and_rolling_windows(dev_rows) -> None:
    from notegraph.networks import TAKING_PART, year_slices

    graph = bipartite(dev_rows, roles=TAKING_PART)
    yearly = year_slices(graph)
    assert list(yearly) == ["2013", "2014", "2015", "2016", "2017"]
    assert {n for n, d in yearly["2013"].nodes(data=True) if d["part"] == "event"} == {
        "2013-05-09-belgrade-regional-workshop"}
    windows = year_slices(graph, window=2)
    assert list(windows) == ["2013-2014", "2014-2015", "2015-2016", "2016-2017"]
    events = {n for n, d in windows["2015-2016"].nodes(data=True) if d["part"] == "event"}
    assert len(events) == 5  # Georgetown, Belgrade, Abidjan (2015); San José, Vienna (2016)


def test_interactive_html_view(dev_rows, tmp_path: Path) -> None:
    from notegraph.report import output_network

    path = tmp_path / "net.html"
    assert output_network(network_for(dev_rows), "html", path) is None
    page = path.read_text(encoding="utf-8")
    assert page.count('class="actor"') == len(network_for(dev_rows))
    assert "addEventListener('click'" in page


# --- projection and centralities against plain reference implementations --------------------

def reference_projection(graph: nx.Graph, actors: str, scheme: str) -> nx.Graph:
    """The projection as a loop over pairs of each event's actors (the definition)."""
    import itertools

    from notegraph.networks import actors_of, events_of

    keep = set(actors_of(graph, actors))
    events_by_actor: dict[str, set[str]] = {}
    newman: dict[tuple[str, str], float] = {}
    for event in events_of(graph):
        present = sorted(a for a in graph[event] if a in keep)
        for actor in present:
            events_by_actor.setdefault(actor, set()).add(event)
        for pair in itertools.combinations(present, 2):
            newman[pair] = newman.get(pair, 0.0) + 1 / (len(present) - 1)
    projected = nx.Graph()
    for actor, events in events_by_actor.items():
        projected.add_node(actor, kind=graph.nodes[actor]["kind"], events=len(events))
    for (a, b), value in newman.items():
        shared = len(events_by_actor[a] & events_by_actor[b])
        scores = {"count": float(shared), "newman": value,
                  "jaccard": shared / len(events_by_actor[a] | events_by_actor[b])}
        projected.add_edge(a, b, count=shared, weight=scores[scheme])
    return projected


def assert_same_network(found: nx.Graph, expected: nx.Graph) -> None:
    """Same nodes, ties and attributes, in the same order (layouts and Louvain depend on it)."""
    assert list(found.nodes(data=True)) == list(expected.nodes(data=True))
    assert [(a, b) for a, b in found.edges] == [(a, b) for a, b in expected.edges]
    for (_a, _b, got), (_c, _d, want) in zip(found.edges(data=True), expected.edges(data=True),
                                             strict=True):
        assert got["count"] == want["count"] and type(got["count"]) is int
        assert got["weight"] == pytest.approx(want["weight"], rel=1e-12)
    assert all(list(found[n]) == list(expected[n]) for n in found)


def generated_rows(count: int) -> list:
    """Participation rows from the gold facts of ``count`` generated notes (States named as
    organisers, participating States and organisations)."""
    import importlib.util

    from notegraph.networks import Participation

    script = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("notegraph_benchmark_generate", script)
    generator = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, generator)
    spec.loader.exec_module(generator)
    rows = []
    for stem, _text, gold in generator.generate(count, seed=1540):
        event = (stem, gold["start_date"], gold["title"], gold["country"])
        for organiser in gold["organisers"]:
            code = organiser["match"][0]
            kind = "state" if len(code) == 3 and code.isupper() else "organisation"
            rows.append(Participation(*event, code, kind, organiser["role"]))
        rows += [Participation(*event, state, "state", "participant") for state in gold["states"]]
        rows += [Participation(*event, o["match"][0], "organisation", "participant")
                 for o in gold["organisations"]]
    return rows


@pytest.fixture(scope="module")
def generated_1k() -> list:
    return generated_rows(1000)


@pytest.mark.parametrize("scheme", ["count", "newman", "jaccard"])
def test_projection_equals_the_pairwise_definition(dev_rows, generated_1k, scheme: str) -> None:
    from notegraph.networks import TAKING_PART, project

    first_300 = set(list(dict.fromkeys(row.event for row in generated_1k))[:300])
    some_generated = [row for row in generated_1k if row.event in first_300]
    for rows in (dev_rows, some_generated):
        graph = bipartite(rows, roles=TAKING_PART)
        for actors in ("states", "organisations", "all"):
            expected = reference_projection(graph, actors, scheme)
            assert_same_network(project(graph, actors, scheme), expected)
            assert_same_network(network_for(rows, actors, scheme), expected)


def test_projection_from_rows_keeps_the_filters(dev_rows) -> None:
    from notegraph.networks import project, project_rows

    filters = [{"from_year": 2015, "to_year": 2016}, {"roles": ("funder", "supporter")},
               {"countries": {"SRB", "AUT", "GUY"}}, {"kinds": ("workshop", "meeting")}, {}]
    for chosen in filters:
        for actors in ("states", "all"):
            assert_same_network(project_rows(dev_rows, actors, "newman", **chosen),
                                project(bipartite(dev_rows, **chosen), actors, "newman"))
    with pytest.raises(ValueError, match="unknown weighting"):
        project_rows(dev_rows, weight="cosine")


def test_pair_sums_in_chunks(generated_1k) -> None:
    import numpy as np

    from notegraph.networks import TAKING_PART, _pair_sums

    graph = bipartite(generated_1k, roles=TAKING_PART)
    states = [n for n, d in graph.nodes(data=True) if d.get("kind") == "state"]
    index = {state: i for i, state in enumerate(states)}
    members = [[index[a] for a in sorted(graph[event]) if a in index]
               for event, d in graph.nodes(data=True) if d["part"] == "event"]
    shared, newman, first, events = _pair_sums(members, len(index))
    assert newman.sum() == pytest.approx(sum(len(m) for m in members if len(m) > 1) / 2)
    for chunk in (1, 500, 5000):
        parts = _pair_sums(members, len(index), chunk)
        assert np.array_equal(parts[0], shared) and np.array_equal(parts[2], first)
        assert np.array_equal(parts[3], events)
        assert np.allclose(parts[1], newman, rtol=1e-12, atol=0)


def networkx_betweenness(graph: nx.Graph) -> dict[str, float]:
    """networkx's exact betweenness with distance 1/weight."""
    with_lengths = graph.copy()
    nx.set_edge_attributes(with_lengths, {(a, b): 1 / d["weight"] for a, b, d in
                                          graph.edges(data=True)}, "distance")
    return nx.betweenness_centrality(with_lengths, weight="distance", normalized=True)


def networkx_eigenvector(graph: nx.Graph) -> dict[str, float]:
    """networkx's eigenvector centrality within each component (0 for isolated nodes)."""
    values = {}
    for component in nx.connected_components(graph):
        sub = graph.subgraph(component)
        values.update(nx.eigenvector_centrality(sub, weight="weight", max_iter=2000)
                      if len(sub) > 1 else dict.fromkeys(component, 0.0))
    return values


def assert_centralities_as_networkx(graph: nx.Graph, blocks: tuple[int, ...] = ()) -> None:
    from notegraph.analysis import _eigenvector, betweenness

    expected = networkx_betweenness(graph)
    # all sources at once, and (when asked) a few at a time
    for block in (1 << 19, *(size * len(graph) + 1 for size in blocks)):
        found = betweenness(graph, block=block)
        assert list(found) == list(graph)
        assert found == pytest.approx(expected, abs=1e-9, rel=0)
    assert _eigenvector(graph) == pytest.approx(networkx_eigenvector(graph), abs=1e-9, rel=0)


def test_centralities_as_networkx_on_the_notes(seed_rows, dev_rows) -> None:
    assert_centralities_as_networkx(network_for(seed_rows, weight="newman"))
    for scheme in ("count", "newman", "jaccard"):
        assert_centralities_as_networkx(network_for(dev_rows, weight=scheme))
    assert_centralities_as_networkx(network_for(dev_rows, "all", "newman", roles=("funder",)))


def test_centralities_as_networkx_on_generated_notes(generated_1k) -> None:
    graph = network_for(generated_1k, "states", "newman")  # as the benchmark measures
    assert len(graph) > 200 and graph.number_of_edges() > 5000
    assert_centralities_as_networkx(graph)
    # whole numbers of shared events: distances 1/k, and more ties among path lengths
    assert_centralities_as_networkx(network_for(generated_rows(200), "states", "count"), (40,))


def test_betweenness_with_ties_and_components() -> None:
    # a 5 x 6 grid of equal weights: many shortest paths of the same length
    grid = nx.convert_node_labels_to_integers(nx.grid_2d_graph(5, 6))
    nx.set_edge_attributes(grid, 1.0, "weight")
    # lengths 0.1 + 0.2 (A-B-C) against 0.3 (A-C): no tie in floating point, as in networkx
    floats = nx.Graph()
    floats.add_weighted_edges_from([("A", "B", 10.0), ("B", "C", 5.0), ("A", "C", 1 / 0.3),
                                    ("C", "D", 1.0), ("B", "D", 1.0)])
    # an even cycle (two equal ways round), a path, an isolated node, a lone pair
    pieces = nx.disjoint_union_all([nx.cycle_graph(8), nx.path_graph(5), nx.empty_graph(1),
                                    nx.path_graph(2)])
    nx.set_edge_attributes(pieces, 2.0, "weight")
    for graph in (grid, floats, pieces):
        assert_centralities_as_networkx(graph, (1, 2, 7))
    for seed in range(6):  # sparse random graphs with small integer weights: ties, components
        random = nx.gnp_random_graph(40, 0.06 + 0.04 * seed, seed=seed)
        nx.set_edge_attributes(random, {e: float(1 + (hash(e) % 3)) for e in random.edges},
                               "weight")
        assert_centralities_as_networkx(random, (1, 5))


def test_centralities_leave_the_graph_alone(dev_rows) -> None:
    from notegraph.analysis import centralities

    graph = network_for(dev_rows, weight="newman")
    before = [(a, b, dict(d)) for a, b, d in graph.edges(data=True)]
    frame = centralities(graph)
    assert [(a, b, dict(d)) for a, b, d in graph.edges(data=True)] == before
    assert set(frame.columns) == {"node", "degree", "strength", "betweenness", "eigenvector"}
    assert frame.betweenness.is_monotonic_decreasing and len(frame) == len(graph)
