"""Every graph of a store as its own N-Triples text, kept in pack files beside the database.

The database holds the union of the graphs (``notegraph.store``); this folder keeps each graph
apart, so that exports and ``notegraph publish`` give the graphs one by one, and an update knows
the old text of a graph it replaces. A pack is a file of graph texts one after another; the
index (``index.pickle``, written last and atomically) names for each graph its key and where its
text is, the store's generation it belongs to, and the triples more than one graph holds.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> packs = PackWriter(folder, "a", lines_per_pack=1)
>>> packs.add("urn:g1", "k1", "<urn:s> <urn:p> <urn:o> .\\n")
>>> packs.add("urn:g2", "k2", "<urn:s> <urn:p> <urn:o2> .\\n")
>>> [path.name for path in packs.close()]
['a-0.nt', 'a-1.nt']
>>> write_index(folder, Index("gen", packs.entries, {}))
>>> index = read_index(folder)
>>> read_texts(folder, index.graphs)["urn:g2"]
'<urn:s> <urn:p> <urn:o2> .\\n'
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from notegraph.export import write_atomic

INDEX = "index.pickle"


class Entry(NamedTuple):
    """Where a graph's text is: its key, its pack file and the byte span in it."""

    key: str
    pack: str
    start: int
    end: int


@dataclass
class Index:
    """What the pack folder holds, for the store of one generation."""

    generation: str
    graphs: dict[str, Entry]
    held: dict[str, tuple[int, int]]  # triple line → graphs holding it (asserted, inferred),
    # for the lines more than one graph holds (``notegraph.holders``)


class PackWriter:
    """Graph texts written one after another into packs named ``PREFIX-N.nt``, a new pack
    after ``lines_per_pack`` lines; ``ready`` gives each pack once it is closed."""

    def __init__(self, folder: Path, prefix: str, lines_per_pack: int) -> None:
        self.folder, self.prefix, self.limit = folder, prefix, lines_per_pack
        self.entries: dict[str, Entry] = {}
        self.ready: list[Path] = []
        self._number = self._lines = self._offset = 0
        self._stream = None

    def add(self, graph: str, key: str, text: str) -> None:
        if self._stream is None:
            self._stream = (self.folder / self._name()).open("wb")
        data = text.encode("utf-8")
        self._stream.write(data)
        self.entries[graph] = Entry(key, self._name(), self._offset, self._offset + len(data))
        self._offset += len(data)
        self._lines += text.count("\n")
        if self._lines >= self.limit:
            self._roll()

    def close(self) -> list[Path]:
        """Close the last pack; every pack written and not yet taken from ``ready``."""
        if self._stream is not None:
            self._roll()
        return self.take_ready()

    def take_ready(self) -> list[Path]:
        """The packs closed since last asked."""
        ready, self.ready = self.ready, []
        return ready

    def _name(self) -> str:
        return f"{self.prefix}-{self._number}.nt"

    def _roll(self) -> None:
        self._stream.close()
        self.ready.append(Path(self._stream.name))
        self._stream = None
        self._number, self._lines, self._offset = self._number + 1, 0, 0


def read_index(folder: Path) -> Index | None:
    """The index of a pack folder, or None when there is none or it cannot be read."""
    try:
        index = pickle.loads((folder / INDEX).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError):
        return None
    return index if isinstance(index, Index) else None


def write_index(folder: Path, index: Index) -> None:
    write_atomic(folder / INDEX, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))


def read_texts(folder: Path, entries: dict[str, Entry]) -> dict[str, str]:
    """The texts of these graphs, each pack read once."""
    return dict(iter_texts(folder, entries))


def iter_texts(folder: Path, entries: dict[str, Entry]) -> Iterator[tuple[str, str]]:
    """The graphs' texts one at a time, (graph, text), pack by pack in file order."""
    by_pack: dict[str, list[tuple[str, Entry]]] = {}
    for graph, entry in entries.items():
        by_pack.setdefault(entry.pack, []).append((graph, entry))
    for pack, wanted in sorted(by_pack.items()):
        with (folder / pack).open("rb") as stream:
            for graph, entry in sorted(wanted, key=lambda item: item[1].start):
                stream.seek(entry.start)
                yield graph, stream.read(entry.end - entry.start).decode("utf-8")


def unused_packs(folder: Path, index: Index) -> list[Path]:
    """Pack files the index no longer names."""
    used = {entry.pack for entry in index.graphs.values()}
    return [path for path in folder.glob("*.nt") if path.name not in used]
