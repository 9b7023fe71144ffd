"""The embedded store: an Oxigraph database on disk, written whole or not at all.

Every named graph is kept, and their union is also written into the default graph, so that
queries over everything (reasoning on) read one graph instead of merging a thousand at query
time. No server is needed; the same data can be published to a remote endpoint later.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from rdflib import BNode, Dataset, Literal, URIRef

from notegraph.errors import NotegraphError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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
    from pyoxigraph import Store

    if not path.is_dir():
        raise StoreError(f"{path}: no notegraph store here; run 'notegraph build' first")
    store = Store.read_only(str(path))
    return to_dataset(quad for quad in store.quads_for_pattern(None, None, None, None)
                      if getattr(quad.graph_name, "value", None) is not None)


def read_trig(path: Path) -> Dataset:
    """A TriG file as an rdflib Dataset (parsed by Oxigraph)."""
    from pyoxigraph import RdfFormat, parse

    with path.open("rb") as handle:
        return to_dataset(parse(handle, format=RdfFormat.TRIG))


def to_dataset(quads) -> Dataset:
    """Oxigraph quads → an rdflib Dataset with one graph per named graph."""
    dataset = Dataset()
    graphs: dict[str, object] = {}
    for quad in quads:
        name = getattr(quad.graph_name, "value", None)
        if name is None:
            target = dataset.default_graph
        else:
            target = graphs.get(name) or graphs.setdefault(name, dataset.graph(URIRef(name)))
        target.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return dataset


def to_rdflib(term):
    """One Oxigraph term as the equal rdflib term."""
    from pyoxigraph import BlankNode as OxBlankNode
    from pyoxigraph import Literal as OxLiteral

    if isinstance(term, OxLiteral):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, OxBlankNode):
        return BNode(term.value)
    return URIRef(term.value)
