"""A cache of parsed records by content hash, so an unchanged note is not parsed again.

Records are kept as pickles under ``OUT/cache/records/``, named by the SHA-256 of the note's
bytes and the parser's version; files are written atomically, and entries for notes that are
gone are removed after each build.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import replace
from pathlib import Path

from notegraph.export import write_atomic
from notegraph.records import NoteRecord

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
        removed = 0
        for path in self.folder.glob("*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
                removed += 1
        return removed
