"""The embedded store: an Oxigraph database on disk, written whole or not at all.

No server is needed; the same data can be published to a remote endpoint later.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import Dataset

from notegraph.errors import NotegraphError


class StoreError(NotegraphError):
    """The embedded store is missing or unreadable: run ``notegraph build`` first."""


def write_store(path: Path, nquads: str) -> None:
    """Replace the store at ``path`` with these quads (built aside, then swapped in)."""
    from pyoxigraph import RdfFormat, Store

    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}."))
    try:
        store = Store(str(staging))
        store.bulk_load(nquads.encode("utf-8"), format=RdfFormat.N_QUADS)
        store.flush()
        del store
        retired = path.with_name(f".{path.name}.old")
        shutil.rmtree(retired, ignore_errors=True)
        if path.exists():
            path.rename(retired)
        staging.rename(path)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def read_store(path: Path) -> Dataset:
    """The whole store as an rdflib Dataset."""
    from pyoxigraph import RdfFormat, Store

    if not path.is_dir():
        raise StoreError(f"{path}: no notegraph store here; run 'notegraph build' first")
    store = Store.read_only(str(path))
    data = store.dump(format=RdfFormat.N_QUADS, from_graph=None)
    dataset = Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    return dataset
