"""One exception tree for everything a user can act on.

::

    NotegraphError
    └── InputError            bad input: the message names the file (and line) and what to do
        ├── NoteReadError     a file that cannot be read as text (empty, binary, unknown encoding)
        └── NoteParseError    text that is not an Information Note (no title or date found)

Foreign exceptions are translated at the boundary with ``raise ... from exc``.
"""

from __future__ import annotations


class NotegraphError(Exception):
    """Base of every error notegraph raises on purpose."""


class InputError(NotegraphError):
    """Bad input, reported with where it is and what to do."""

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        """Pickled with its own arguments, so that a worker process can return it.

        >>> import pickle
        >>> str(pickle.loads(pickle.dumps(NoteParseError("a.txt", "not a note", 3))))
        'a.txt:3: not a note'
        """
        return type(self), (self.source, self.reason, self.line)


class NoteReadError(InputError):
    """A file that cannot be read as note text."""


class NoteParseError(InputError):
    """Text that does not look like an Information Note."""
