"""File paths as text, as ``pathlib`` writes them, without making a ``Path`` for the usual
plain path: a build names every note by its file, and ``Path`` objects cost more than the
rest of a note's name.

>>> stem("notes/lome.txt"), posix_text("notes/./lome.txt", None)
('lome', 'notes/lome.txt')
"""

from __future__ import annotations

import os
from pathlib import Path


def stem(source: str) -> str:
    """``Path(source).stem``, without making a ``Path`` when the last part is a plain name.

    >>> [stem(s) for s in ("notes/a.b.txt", "notes//.hidden", "a.", "notes/x/..")]
    ['a.b', '.hidden', 'a.', '..']
    """
    name = source.rpartition("/")[2]
    if os.name == "nt" or name in ("", ".", ".."):
        return Path(source).stem
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def posix_text(source: str, root: Path | None) -> str:
    """``Path(source)``, relative to ``root`` when under it, ``as_posix``: without making a
    ``Path`` when both are already as ``Path`` writes them (no empty or ``.`` parts).

    >>> [posix_text(s, None) for s in ("notes/a.txt", "notes//a.txt", "./a.txt")]
    ['notes/a.txt', 'notes/a.txt', 'a.txt']
    >>> [posix_text(s, Path(r)) for s, r in (("n/a.txt", "n"), ("n/a.txt", "."), ("m/a", "n"))]
    ['a.txt', 'n/a.txt', 'm/a']
    """
    if os.name == "nt" or not is_plain(source):
        return _path_posix(source, root)
    if root is None:
        return source
    prefix = str(root)
    if not is_plain(prefix) or prefix in (".", "/") or source == prefix:
        return _path_posix(source, root)
    return source[len(prefix) + 1:] if source.startswith(prefix + "/") else source


def is_plain(path: str) -> bool:
    """Whether ``Path`` keeps this text as it is: no empty part and no ``.`` part."""
    return bool(path) and path != "." and "//" not in path and "/./" not in path \
        and not path.startswith("./") and not path.endswith(("/", "/."))


def _path_posix(source: str, root: Path | None) -> str:
    path = Path(source)
    if root is not None and path.is_relative_to(root):
        path = path.relative_to(root)
    return path.as_posix()
