"""N-Triples exports straight from the store's graph texts, without making rdflib graphs.

The texts are rdflib's own N-Triples rows (``units.ntriples``), and the ontology's blank nodes
carry the labels rdflib's canonical form gives them, which no other graph's triples touch; so the
sorted lines are the bytes ``export.serialize_graph`` writes for the same graphs (a test checks
it), made in seconds for 10,000 notes where building the rdflib graphs takes minutes. Which
graphs, as in ``pipeline.serialize_dataset``: ``asserted`` (the notes, gazetteer and topics),
``inferred`` (what reasoning adds and no other graph holds), ``asserted+inferred`` or ``all``
(with the ontology).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from notegraph.holders import lines
from notegraph.store import (
    GRAPH_ONTOLOGY,
    is_derived_graph,
    is_inferred_graph,
    iter_graph_texts,
)

WHICH = ("asserted", "inferred", "asserted+inferred", "all")
ROWS_PER_PART = 100_000  # rows joined into one part of the text


def store_ntriples(store: Path, which: str) -> Iterator[str] | None:
    """The chosen graphs of a store as sorted N-Triples, each triple once, in parts of text;
    None when a graph other than the ontology has a blank node (its label would be rdflib's to
    make)."""
    if which not in WHICH:
        raise ValueError(f"{which}: one of {', '.join(WHICH)} expected")
    asserted, inferred, elsewhere = set(), set(), set()
    ontology: list[str] = []
    for graph, text in iter_graph_texts(store):
        if graph != GRAPH_ONTOLOGY and "_:" in text:
            return None
        rows = lines(text)
        if is_inferred_graph(graph):
            inferred.update(rows)
            continue
        elsewhere.update(rows)
        if graph == GRAPH_ONTOLOGY:
            ontology = rows
        elif not is_derived_graph(graph):
            asserted.update(rows)
    inferred -= elsewhere
    del elsewhere
    chosen = inferred if which == "inferred" else asserted
    if which in ("asserted+inferred", "all"):
        chosen |= inferred
    if which == "all":
        chosen.update(ontology)
    return _parts(sorted(chosen))  # no row is the start of another (each ends with " ."), so
    # they sort as they would with their line feeds


def _parts(rows: list[str]) -> Iterator[str]:
    for start in range(0, len(rows), ROWS_PER_PART):
        yield "\n".join(rows[start:start + ROWS_PER_PART]) + "\n"
