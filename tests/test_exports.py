"""Exports: every format reads back, and the Turtle loads unchanged into a real Oxigraph server."""

from __future__ import annotations

import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from oxigraph_server import oxigraph_server

PARSERS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld"}


def _export(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "notegraph", "export", "--store", str(store),
                           *args], capture_output=True, text=True, check=False)


def test_turtle_round_trips_through_an_oxigraph_server(seeds_build, tmp_path: Path) -> None:
    _report, out = seeds_build
    turtle = (out / "notegraph.ttl").read_bytes()
    expected = Graph().parse(data=turtle, format="turtle")
    with oxigraph_server(tmp_path / "db") as base:
        upload = urllib.request.Request(f"{base}/store?default", data=turtle, method="PUT",
                                        headers={"Content-Type": "text/turtle"})
        with urllib.request.urlopen(upload) as response:
            assert response.status in (200, 201, 204)
        fetch = urllib.request.Request(f"{base}/store?default",
                                       headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(fetch) as response:
            returned = response.read()
    assert isomorphic(Graph().parse(data=returned, format="nt"), expected)
    assert len(expected) > 1000


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_export_formats_read_back(seeds_build, tmp_path: Path, fmt: str) -> None:
    _report, out = seeds_build
    target = tmp_path / f"kg.{fmt}"
    result = _export(out / "store", "--format", fmt, "--graph", "all", "--out", str(target))
    assert result.returncode == 0, result.stderr
    exported = _read(target, fmt)
    reference = Graph().parse(out / "notegraph.ttl", format="turtle")
    assert len(exported) > len(reference)  # "all" adds the ontology
    assert set(reference) <= set(exported)


def _read(path: Path, fmt: str) -> Graph:
    """Read an export back; JSON-LD through Oxigraph's parser (rdflib's is deprecated)."""
    if fmt != "jsonld":
        return Graph().parse(path, format=PARSERS[fmt])
    from pyoxigraph import RdfFormat, parse

    from notegraph.store import to_dataset

    with path.open("rb") as handle:
        dataset = to_dataset(parse(handle, format=RdfFormat.JSON_LD))
    graph = Graph()
    for triple in dataset.default_graph:
        graph.add(triple)
    return graph


def test_graph_selection(seeds_build, tmp_path: Path) -> None:
    _report, out = seeds_build
    sizes = {}
    for which in ("asserted", "inferred"):
        target = tmp_path / f"{which}.nt"
        assert _export(out / "store", "--format", "nt", "--graph", which,
                       "--out", str(target)).returncode == 0
        sizes[which] = set(Graph().parse(target, format="nt"))
    assert sizes["asserted"] and sizes["inferred"]
    assert not sizes["asserted"] & sizes["inferred"]
    union = set(Graph().parse(out / "notegraph.ttl", format="turtle"))
    assert sizes["asserted"] | sizes["inferred"] == union


def test_trig_export_keeps_named_graphs(seeds_build, tmp_path: Path) -> None:
    from notegraph.store import read_trig

    _report, out = seeds_build
    target = tmp_path / "kg.trig"
    assert _export(out / "store", "--format", "trig", "--out", str(target)).returncode == 0
    names = {str(g.identifier) for g in read_trig(target).graphs() if len(g)}
    assert "https://w3id.org/notegraph/id/graph/inferred" in names
    assert any("/graph/note/" in name for name in names)


def test_export_without_a_store_is_a_clear_error(tmp_path: Path) -> None:
    result = _export(tmp_path / "missing")
    assert result.returncode == 2
    assert "run 'notegraph build' first" in result.stderr


@pytest.mark.parametrize("which", ["asserted", "inferred", "asserted+inferred", "all"])
def test_ntriples_from_the_store_texts_are_rdflibs_bytes(dev_store: Path, which: str) -> None:
    """The N-Triples written from the store's texts are what rdflib serialises from the
    dataset of the same graphs, byte for byte (the ontology's blank nodes included)."""
    from notegraph.ntexport import store_ntriples
    from notegraph.pipeline import serialize_dataset
    from notegraph.store import read_store

    fast = "".join(store_ntriples(dev_store, which))
    assert fast == serialize_dataset(read_store(dev_store), "nt", which)
    assert fast.count("\n") > 1_000 and ("_:" in fast) == (which == "all")
