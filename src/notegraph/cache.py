"""Caches that let a build skip unchanged notes.

- ``RecordCache``: parsed records under ``OUT/cache/records/``, named by the SHA-256 of the
  note's bytes and the parser's version, so an unchanged note is not parsed again;
- ``UnitCache``: note units (a note's triples and inferences) under ``OUT/cache/units/``;
- ``Manifest``: for every note, its size, modification time, summary and unit key, so an
  unchanged note is not even read again (under ``OUT/cache/manifest/``).

Files are written atomically; entries for notes that are gone are removed after each build.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import uuid
import zlib
from dataclasses import replace
from pathlib import Path

from notegraph.export import write_atomic
from notegraph.records import NoteRecord
from notegraph.workers import paused_collection

PARSER_VERSION = "1"


class RecordCache:
    """Parsed records on disk, keyed by the hash of the note's bytes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes) -> str:
        return hashlib.sha256(PARSER_VERSION.encode() + b"\0" + data).hexdigest()

    def get(self, data: bytes, source: str) -> NoteRecord | None:
        key = self.key(data)
        self.used.add(key)
        path = self.folder / f"{key}.pickle"
        if not path.exists():
            self.misses += 1
            return None
        try:
            record = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            self.misses += 1
            return None
        self.hits += 1
        return replace(record, source=source)

    def load(self, key: str, source: str) -> NoteRecord | None:
        """The record cached under a key, or None."""
        try:
            record = pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None
        self.used.add(key)
        return replace(record, source=source)

    def put(self, data: bytes, record: NoteRecord) -> None:
        key = self.key(data)
        self.used.add(key)
        write_atomic(self.folder / f"{key}.pickle",
                     pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))

    def note_use(self, key: str, hit: bool) -> None:
        """Count an entry used by a worker process."""
        self.used.add(key)
        if hit:
            self.hits += 1
        else:
            self.misses += 1

    def prune(self) -> int:
        """Remove entries no note of this build used; return how many."""
        stale = _entries(self.folder) - self.used
        for key in stale:
            (self.folder / f"{key}.pickle").unlink(missing_ok=True)
        return len(stale)


class UnitCache:
    """Note units on disk, one pickle per unit key; the last one read is kept, since a note's
    asserted and inferred graphs are read one after the other."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._last: tuple[str, object] | None = None

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def keys(self) -> set[str]:
        """The keys of every cached unit (one listing of the folder)."""
        return _entries(self.folder)

    def get(self, key: str):
        if self._last is None or self._last[0] != key:
            self._last = (key, pickle.loads(self.path(key).read_bytes()))
        return self._last[1]

    def put(self, key: str, unit) -> None:
        write_atomic(self.path(key), pickle.dumps(unit, protocol=pickle.HIGHEST_PROTOCOL))

    def prune(self, keep: set[str]) -> None:
        for key in _entries(self.folder) - keep:
            self.path(key).unlink(missing_ok=True)


def _entries(folder: Path) -> set[str]:
    """The keys of the ``KEY.pickle`` files in a cache folder."""
    try:
        names = os.listdir(folder)
    except OSError:
        return set()
    return {name[:-7] for name in names if name.endswith(".pickle")}


class Manifest:
    """What the last build knew of each note file, by path, and the events it indexed.

    The entries are kept in ``SHARDS`` files by a hash of the path, so that a build rewrites
    only the files whose notes changed; a small head file, written last, names the build that
    wrote each of them and holds the events. A file that the head does not name (a build
    stopped half-way), of another version or unreadable is not trusted: its notes are read
    again.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> Manifest(folder, "v1").save({"a.txt": ((1, 2), "summary")}, events=())
    1
    >>> again = Manifest(folder, "v1")
    >>> again.fresh("a.txt", (1, 2)), again.fresh("a.txt", (1, 3)), again.events
    (('summary',), None, ())
    >>> again.save({"a.txt": ((1, 2), "summary")}, events=())
    0
    >>> Manifest(folder, "v2").entries
    {}
    """

    SHARDS = 32

    def __init__(self, folder: Path, version: str) -> None:
        self.folder = folder
        self.version = f"{PARSER_VERSION}/{version}"
        self.entries: dict[str, tuple] = {}
        self.events: tuple | None = None  # of the build that wrote the entries
        self._tags: list[str | None] = [None] * self.SHARDS
        self._shards: list[dict[str, tuple]] = [{} for _ in range(self.SHARDS)]
        head = _unpickled(folder / "head.pickle")
        if not (isinstance(head, tuple) and len(head) == 3 and head[0] == self.version
                and isinstance(head[1], list) and len(head[1]) == self.SHARDS):
            return
        _version, tags, self.events = head
        for number, tag in enumerate(tags):
            shard = _unpickled(self._shard_path(number))
            if isinstance(shard, tuple) and len(shard) == 2 and shard[0] == tag \
                    and isinstance(shard[1], dict):
                self._tags[number], self._shards[number] = shard
                self.entries.update(shard[1])

    @staticmethod
    def stamp(path: Path) -> tuple[int, int]:
        info = path.stat()
        return info.st_size, info.st_mtime_ns

    def fresh(self, path: Path, stamp: tuple[int, int] | None = None):
        """The entry of an unchanged file (same size and modification time as ``stamp``, or
        as the file has now), or None."""
        entry = self.entries.get(str(path))
        if entry is None:
            return None
        try:
            return entry[1:] if entry[0] == (stamp or self.stamp(path)) else None
        except OSError:
            return None

    def save(self, entries: dict[str, tuple], events: tuple) -> int:
        """Keep these entries (path → (stamp, ...)) and the events they were built with;
        return how many shard files were written."""
        shards: list[dict[str, tuple]] = [{} for _ in range(self.SHARDS)]
        for path, entry in entries.items():
            shards[zlib.crc32(path.encode("utf-8")) % self.SHARDS][path] = entry
        tag = uuid.uuid4().hex
        written = 0
        for number, shard in enumerate(shards):
            if shard == self._shards[number]:  # unchanged (a missing file is an empty one)
                continue
            with paused_collection():
                data = pickle.dumps((tag, shard), protocol=pickle.HIGHEST_PROTOCOL)
            write_atomic(self._shard_path(number), data)
            self._tags[number], self._shards[number] = tag, shard
            written += 1
        if written or events != self.events:
            write_atomic(self.folder / "head.pickle", pickle.dumps(
                (self.version, self._tags, events), protocol=pickle.HIGHEST_PROTOCOL))
        self.entries, self.events = entries, events
        return written

    def _shard_path(self, number: int) -> Path:
        return self.folder / f"{number:02d}.pickle"


def _unpickled(path: Path):
    """The object pickled in a file, or None when it is missing or unreadable."""
    try:
        data = path.read_bytes()
        with paused_collection():
            return pickle.loads(data)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError,
            TypeError, IndexError, ImportError):
        return None
