"""Incremental builds: an added, changed or removed note gives the same store as a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from notegraph.pipeline import build

NOTES = Path(__file__).parents[1] / "data" / "notes"
LOME = "2014-06-lome-unrec-portuguese-speaking-reporting-workshop.txt"


def _quads(store: Path) -> set[str]:
    """The database's quads and every graph's lines as the store keeps them; blank nodes (in
    the ontology's lists) relabelled per load, so only counted; the store's generation (new at
    every change) left out."""
    from pyoxigraph import NamedNode

    from notegraph.store import GENERATION, iter_graph_texts, open_database

    quads = [str(q) for q in open_database(store).quads_for_pattern(None, None, None)
             if q.predicate != NamedNode(GENERATION)]
    quads += [f"{line} in {graph}" for graph, text in iter_graph_texts(store)
              for line in text.splitlines()]
    blank = sum(1 for quad in quads if "_:" in quad)
    return {quad for quad in quads if "_:" not in quad} | {f"{blank} with blank nodes"}


def _fresh(notes: Path, out: Path) -> set[str]:
    build(notes, out, exports=())
    return _quads(out / "store")


@pytest.fixture()
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    shutil.copytree(NOTES, folder)
    return folder


def test_adding_changing_and_removing_a_note_updates_the_store_in_place(notes: Path,
                                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    held_back = (notes / LOME).read_bytes()
    (notes / LOME).unlink()
    first = build(notes, out, exports=())
    assert first.store.startswith("new store")
    assert not any("lome" in quad for quad in _quads(out / "store"))

    (notes / LOME).write_bytes(held_back)
    added = build(notes, out, exports=())
    assert added.store.startswith("updated")
    assert (added.parsed, added.cached) == (1, 9)
    assert _quads(out / "store") == _fresh(notes, tmp_path / "fresh-1")

    text = held_back.decode("utf-8").replace("Lomé", "Kara")
    (notes / LOME).write_text(text, encoding="utf-8")
    changed = build(notes, out, exports=())
    assert changed.store.startswith("updated")
    quads = _quads(out / "store")
    assert quads == _fresh(notes, tmp_path / "fresh-2")
    assert not any("lome-tgo" in quad for quad in quads)

    (notes / LOME).unlink()
    removed = build(notes, out, exports=())
    assert removed.store.startswith("updated")
    assert _quads(out / "store") == _fresh(notes, tmp_path / "fresh-3")


def test_an_unchanged_corpus_leaves_the_store_alone(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(notes, out, exports=())
    again = build(notes, out, exports=())
    assert again.store == "unchanged"
    assert (again.parsed, again.cached) == (0, 10)


def test_a_triple_two_notes_share_stays_when_one_note_goes(notes: Path, tmp_path: Path) -> None:
    """Serbia is a participant of several events: removing one note keeps it in the union."""
    from pyoxigraph import NamedNode

    from notegraph.graphtexts import read_index
    from notegraph.store import open_database

    out = tmp_path / "out"
    build(notes, out, exports=())
    serbia = ("<https://w3id.org/notegraph/id/state/SRB> "
              "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
              "<https://w3id.org/notegraph/ontology#Participant> .")
    asserted, inferred = read_index(out / "store" / "graphs").held[serbia]
    assert (asserted, inferred >= 2) == (0, True)  # a participant by the range of ng:participant
    (notes / "000_ce1ffb009a01f4c0.txt").unlink()
    assert build(notes, out, exports=()).store.startswith("updated")
    assert read_index(out / "store" / "graphs").held[serbia] == (0, inferred - 1)
    terms = [NamedNode(term.strip("<>")) for term in serbia[:-2].split()]
    graph = NamedNode("https://w3id.org/notegraph/id/graph/inferred")
    assert list(open_database(out / "store").quads_for_pattern(*terms, graph))


def test_an_index_not_of_the_databases_generation_is_not_trusted(notes: Path,
                                                                  tmp_path: Path) -> None:
    """An index of another generation (a build stopped between the database and the index)
    gives a new store; keys believed stale give new graphs."""
    import dataclasses

    from notegraph.graphtexts import read_index, write_index
    from notegraph.store import store_generation

    out = tmp_path / "out"
    build(notes, out, exports=())
    folder = out / "store" / "graphs"
    index = read_index(folder)
    assert index.generation == store_generation(out / "store") and len(index.graphs) > 10
    write_index(folder, dataclasses.replace(index, generation="another generation"))
    assert build(notes, out, exports=()).store.startswith("new store")
    assert _quads(out / "store") == _fresh(notes, tmp_path / "fresh")
    index = read_index(folder)
    stale = {graph: entry._replace(key="stale") for graph, entry in index.graphs.items()}
    write_index(folder, dataclasses.replace(index, graphs=stale))  # believed: all graphs differ
    assert build(notes, out, exports=()).store.startswith("rebuilt")


def test_unit_keys_in_bulk_are_those_of_one_note_at_a_time() -> None:
    import dataclasses

    from notegraph import parse_paths
    from notegraph.units import event_index, keys_of_units, summarise, unit_key

    records = parse_paths([NOTES]).records
    summaries = [summarise(r, f"key{n}") for n, r in enumerate(records)]
    spelled = [dataclasses.replace(summaries[0],
                                   source=summaries[0].source.replace("/notes/", "/notes/./")),
               dataclasses.replace(summaries[1],
                                   source=summaries[1].source.replace("/notes/", "/notes//"))]
    index = event_index(summaries)
    for root in (NOTES, None, Path(f"./{NOTES}")):
        every = summaries + spelled
        assert keys_of_units(every, index, root, "fast") == [
            unit_key(s, index, root, "fast") for s in every]
        # a path spelled another way is the same path, as Path.as_posix has it
        assert keys_of_units(spelled, index, root, "fast") == keys_of_units(
            summaries[:2], index, root, "fast")
    assert len(set(keys_of_units(summaries, index, NOTES, "fast"))) == len(summaries)
    assert keys_of_units(summaries, index, NOTES, "fast") != keys_of_units(
        summaries, index, None, "fast")  # sources are keyed relative to the root


def test_a_store_loaded_in_small_chunks_holds_the_same_quads(notes: Path, tmp_path: Path,
                                                            monkeypatch) -> None:
    from notegraph import store

    whole = _fresh(notes, tmp_path / "whole")
    monkeypatch.setattr(store, "LOAD_CHUNK", 97)
    assert _fresh(notes, tmp_path / "chunked") == whole
    assert len(whole) > 10_000


def test_a_load_that_fails_in_any_pack_leaves_the_old_store_whole(tmp_path: Path,
                                                                   monkeypatch) -> None:
    """Packs are bulk-loaded several at a time; a bad one anywhere stops the load, and the
    store that was there stays, with no staging folder left beside it."""
    from pyoxigraph import DefaultGraph

    from notegraph import store
    from notegraph.store import open_database, sync_store

    monkeypatch.setattr(store, "LOAD_CHUNK", 1)
    good = {f"urn:g{n}": ("k", lambda n=n: f"<urn:s> <urn:p> <urn:o{n}> .\n") for n in range(5)}
    target = tmp_path / "store"
    assert sync_store(target, good) == "new store: 5 graphs"
    bad = good | {"urn:g3": ("k2", lambda: "<urn:s> <urn:p> not a term .\n")}
    monkeypatch.setattr(store, "REBUILD_MIN", 0)  # a new store, not an update
    with pytest.raises(SyntaxError):
        sync_store(target, bad)
    assert len(list(open_database(target).quads_for_pattern(None, None, None, DefaultGraph()))) == 5
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert sync_store(target, good) == "unchanged"


def test_joins_fall_back_to_every_link_when_held_links_were_dropped(notes: Path,
                                                                   tmp_path: Path,
                                                                   monkeypatch) -> None:
    """When the joins ask about an event whose left-out links a unit did not keep, the build
    joins every unit's whole links: the same store."""
    from notegraph import units

    normal = _fresh(notes, tmp_path / "normal")
    asked = []

    found = units.HeldLinks.reaching

    def dropped(self, targets):
        if asked:  # the second time: the joins over every unit's whole links
            return found(self, targets)
        asked.append(targets)
        raise units.HeldLinksDropped(next(iter(targets), ""))

    monkeypatch.setattr(units.HeldLinks, "reaching", dropped)
    assert _fresh(notes, tmp_path / "fallback") == normal
    assert asked


BELGRADE = "001_cb52ca95894b248a.txt"  # the second OSCE points-of-contact meeting, Belgrade
VIENNA = "2016-11-vienna-osce-third-poc-meeting.txt"  # mentions the Belgrade meeting


def test_a_mention_resolves_anew_when_the_event_it_names_comes_and_goes(notes: Path,
                                                                       tmp_path: Path) -> None:
    """Only notes mentioning an event in a city whose events changed get new unit keys: the
    Vienna note's mention of the Belgrade meeting links to the described event only while
    the Belgrade note is there."""
    described = "<https://w3id.org/notegraph/id/event/2015-05-26-belgrade-second-meeting-osce"
    out = tmp_path / "out"
    build(notes, out, exports=())
    held_back = (notes / BELGRADE).read_bytes()
    (notes / BELGRADE).unlink()
    assert build(notes, out, exports=()).store.startswith("updated")
    quads = _quads(out / "store")
    assert quads == _fresh(notes, tmp_path / "fresh-1")
    assert not any(quad.startswith(described) for quad in quads)

    (notes / BELGRADE).write_bytes(held_back)
    assert build(notes, out, exports=()).store.startswith("updated")
    quads = _quads(out / "store")
    assert quads == _fresh(notes, tmp_path / "fresh-2")
    vienna = "https://w3id.org/notegraph/id/graph/note/2016-11-vienna-osce-third-poc-meeting"
    assert any(described in quad and quad.endswith(f" in {vienna}") for quad in quads)


def test_updated_keys_are_the_keys_computed_afresh() -> None:
    from notegraph import parse_paths
    from notegraph.units import event_index, keys_of_units, summarise, updated_keys

    records = parse_paths([NOTES]).records
    summaries = [summarise(r, f"key{n}") for n, r in enumerate(records)]
    without = [s for s in summaries if not s.source.endswith(BELGRADE)]
    for before, after in ((summaries, without), (without, summaries), (summaries, summaries)):
        old = dict(zip((s.source for s in before),
                       keys_of_units(before, event_index(before), NOTES, "fast"), strict=True))
        index = event_index(after)
        previous = [old.get(s.source) for s in after]
        assert updated_keys(after, previous, event_index(before).events, index, NOTES,
                            "fast") == keys_of_units(after, index, NOTES, "fast")
    changed = updated_keys(summaries, [None] * len(summaries), None, event_index(summaries),
                           NOTES, "fast")
    assert changed == keys_of_units(summaries, event_index(summaries), NOTES, "fast")


def test_a_manifest_file_not_of_the_last_build_or_unreadable_is_not_trusted(
        tmp_path: Path) -> None:
    import zlib

    from notegraph.cache import Manifest

    folder = tmp_path / "manifest"
    entries = {f"notes/{n}.txt": ((n, n), f"summary {n}") for n in range(200)}
    assert Manifest(folder, "v").save(entries, ("event",)) == Manifest.SHARDS
    assert Manifest(folder, "v").entries == entries
    assert Manifest(folder, "v").events == ("event",)
    shard = folder / f"{zlib.crc32(b'notes/0.txt') % Manifest.SHARDS:02d}.pickle"
    earlier = shard.read_bytes()

    changed = entries | {"notes/0.txt": ((0, 1), "summary 0, changed")}
    assert Manifest(folder, "v").save(changed, ("event",)) == 1  # only its file rewritten
    assert Manifest(folder, "v").entries == changed
    shard.write_bytes(earlier)  # as a build stopped half-way leaves it: of no build
    loaded = Manifest(folder, "v")
    assert "notes/0.txt" not in loaded.entries and len(loaded.entries) > 150
    assert all(loaded.entries[path] == changed[path] for path in loaded.entries)

    shard.write_bytes(b"not a pickle")
    assert Manifest(folder, "v").entries == loaded.entries
    (folder / "head.pickle").write_bytes(b"\x80 broken")
    assert Manifest(folder, "v").entries == {} and Manifest(folder, "v").events is None
    assert Manifest(folder, "other version").entries == {}


def test_a_build_after_its_manifest_was_damaged_gives_the_same_store(notes: Path,
                                                                     tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(notes, out, exports=())
    for path in (out / "cache" / "manifest").glob("*.pickle"):
        path.write_bytes(path.read_bytes()[:20])
    again = build(notes, out, exports=())
    assert again.store == "unchanged" and again.notes == 10
    assert _quads(out / "store") == _fresh(notes, tmp_path / "fresh")


def test_a_bad_note_among_many_is_reported_and_the_others_built(tmp_path: Path) -> None:
    """Enough notes for worker processes, one of them not a note: the build names it and
    builds every other note (the error comes back from the worker that met it)."""
    from notegraph.workers import PARALLEL_FROM
    from test_generator import generator

    notes = tmp_path / "notes"
    generator.write(PARALLEL_FROM + 5, notes, seed=11)
    broken = notes / "gen-00007.txt"
    broken.write_bytes(b"\x00\x01\x02 not a note")
    report = build(notes, tmp_path / "out", exports=())
    assert [error.source for error in report.errors] == [str(broken)]
    assert report.notes == PARALLEL_FROM + 4


def test_a_store_of_the_earlier_layout_is_named_and_built_anew(notes: Path, tmp_path: Path) -> None:
    """A store folder that is itself an Oxigraph database (one named graph per note, as
    earlier builds wrote it): queries say to build again, and the next build replaces it."""
    from pyoxigraph import Store

    from notegraph.sparql import LocalEngine
    from notegraph.store import StoreError

    out = tmp_path / "out"
    out.mkdir()
    earlier = Store(str(out / "store"))
    earlier.update("INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> } }")
    earlier.flush()
    del earlier
    with pytest.raises(StoreError, match="earlier notegraph; run 'notegraph build' again"):
        LocalEngine(out / "store")
    assert build(notes, out, exports=()).store.startswith("new store")
    assert _quads(out / "store") == _fresh(notes, tmp_path / "fresh")


def test_a_triple_moves_between_the_union_and_the_inferred_graph_as_its_holders_change(
        tmp_path: Path) -> None:
    """A triple one graph asserts and another infers is in the default graph only; when the
    asserting graph goes, it moves to the inferred graph, and back when it returns. Each step
    gives the database a new store of the same graphs gives."""
    from notegraph.store import sync_store

    shared, own = "<urn:s> <urn:p> <urn:o> .\n", "<urn:s> <urn:p> <urn:own> .\n"
    inferred = "https://w3id.org/notegraph/id/graph/inferred/n2"
    texts = {"urn:n1": shared + own, inferred: shared, "urn:n3": shared}

    def wanted(names: tuple) -> dict:
        return {name: (f"key of {name}", lambda t=texts[name]: t) for name in names}

    store = tmp_path / "store"
    steps = [("urn:n1", inferred), (inferred,), ("urn:n1", inferred, "urn:n3"),
             ("urn:n3", inferred), ("urn:n3",), ()]
    seen = []
    for number, names in enumerate(steps):
        outcome = sync_store(store, wanted(names))
        assert number == 0 or outcome.startswith("updated"), outcome
        fresh = tmp_path / f"fresh-{number}"
        assert sync_store(fresh, wanted(names)).startswith("new store")
        seen.append(_objects_of_s(store))
        assert seen[-1] == _objects_of_s(fresh)
    assert seen[0] == {"default": ["<urn:o>", "<urn:own>"], "inferred": []}
    assert seen[1] == {"default": [], "inferred": ["<urn:o>"]}
    assert seen[3] == {"default": ["<urn:o>"], "inferred": []}
    assert seen[5] == {"default": [], "inferred": []}


def _objects_of_s(store: Path) -> dict[str, list[str]]:
    """The objects of <urn:s> <urn:p> in the default graph and in the inferred graph."""
    from pyoxigraph import DefaultGraph, NamedNode

    from notegraph.store import GRAPH_INFERRED, open_database

    database = open_database(store)
    return {name: sorted(str(q.object) for q in database.quads_for_pattern(
        NamedNode("urn:s"), NamedNode("urn:p"), None, graph))
        for name, graph in (("default", DefaultGraph()), ("inferred", NamedNode(GRAPH_INFERRED)))}
