"""How many graphs hold each triple, so that the store's union can be kept without the graphs.

The store's database holds the union of the asserted graphs and, apart, what the reasoning
graphs add to it (``notegraph.store``). When a graph is replaced, a triple it held leaves the
union only if no other graph holds it. Most triples are held by one graph; the few held by more
(a State that takes part in many events, an inference two notes both make) are counted in the
index of the store, keyed by their N-Triples line: ``held`` maps a line to the number of
asserted and of reasoning graphs holding it. A line that is not there is held once where the
database has it. An update moves a line in or out of the default and inferred graphs as its
holders change (``moves_of``).

A new store counts in two passes: every line's Python hash while the graphs are written
(``HolderCount.add``), then, from the texts of only those graphs holding a line whose hash comes
more than once, the exact lines.

>>> count = HolderCount()
>>> count.add(ASSERTED, "urn:g1", "<urn:a> <urn:p> <urn:b> .\\n<urn:c> <urn:p> <urn:d> .\\n")
>>> count.add(ASSERTED, "urn:g2", "<urn:a> <urn:p> <urn:b> .\\n")
>>> count.add(INFERRED, "urn:g3", "<urn:c> <urn:p> <urn:d> .\\n<urn:e> <urn:p> <urn:f> .\\n")
>>> texts = {"urn:g1": "<urn:a> <urn:p> <urn:b> .\\n<urn:c> <urn:p> <urn:d> .\\n",
...          "urn:g2": "<urn:a> <urn:p> <urn:b> .\\n",
...          "urn:g3": "<urn:c> <urn:p> <urn:d> .\\n<urn:e> <urn:p> <urn:f> .\\n"}
>>> held = count.held(lambda graphs: ((g, texts[g]) for g in graphs), ontology=set())
>>> sorted(held.items())
[('<urn:a> <urn:p> <urn:b> .', (2, 0)), ('<urn:c> <urn:p> <urn:d> .', (1, 1))]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator

ASSERTED, INFERRED = "asserted", "inferred"


def lines(text: str) -> list[str]:
    """The triple lines of an N-Triples text, split at line feeds only (other line breaks
    may stand inside a literal).

    >>> lines("<urn:a> <urn:p> 'x\\u2028y' .\\n<urn:b> <urn:p> <urn:c> .\\n")
    ["<urn:a> <urn:p> 'x\\u2028y' .", '<urn:b> <urn:p> <urn:c> .']
    """
    parts = text.split("\n")
    if parts and not parts[-1]:
        parts.pop()
    return parts


class HolderCount:
    """The lines more than one graph holds, counted over the graphs of a new store."""

    def __init__(self) -> None:
        self.graphs: dict[str, list[str]] = {ASSERTED: [], INFERRED: []}
        self.hashes: dict[str, list] = {ASSERTED: [], INFERRED: []}

    def add(self, layer: str, graph: str, text: str) -> None:
        import numpy as np

        self.graphs[layer].append(graph)
        self.hashes[layer].append(np.fromiter(map(hash, lines(text)), dtype=np.int64))

    def held(self, texts: Callable[[list[str]], Iterator[tuple[str, str]]],
             ontology: set[str]) -> dict[str, tuple[int, int]]:
        """Each line held by more than one graph (or by a reasoning graph and the ontology),
        with its holders; ``texts`` gives back the texts of the graphs it names."""
        import numpy as np

        columns = {layer: _joined(self.hashes[layer]) for layer in (ASSERTED, INFERRED)}
        candidates = _candidates(columns[ASSERTED], columns[INFERRED],
                                 np.fromiter(map(hash, ontology), dtype=np.int64))
        counts = {}
        for layer in (ASSERTED, INFERRED):
            marked = _marked_lines(self.hashes[layer], candidates)
            chosen = {self.graphs[layer][number]: rows for number, rows in marked}
            counts[layer] = Counter(_chosen_lines(texts(list(chosen)), chosen))
        asserted, inferred = counts[ASSERTED], counts[INFERRED]
        return {line: (asserted[line], inferred[line])
                for line in asserted.keys() | inferred.keys()
                if asserted[line] + inferred[line] >= 2 or line in ontology}


def _joined(arrays: list):
    import numpy as np

    return np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int64)


def _candidates(asserted, inferred, ontology):
    """Hashes of lines that may be held twice: repeated in a layer, in both layers, or in the
    reasoning layer and the ontology (sorted, distinct)."""
    import numpy as np

    unique_asserted, repeated_asserted = _distinct(asserted)
    unique_inferred, repeated_inferred = _distinct(inferred)
    parts = [repeated_asserted, repeated_inferred,
             _common(unique_inferred, unique_asserted), _common(np.sort(ontology), unique_inferred)]
    return np.unique(np.concatenate(parts))


def _distinct(column):
    """The distinct values of a column, sorted, and those that come more than once (numpy's
    own ``unique`` hashes, several times slower on millions of integers than one sort)."""
    import numpy as np

    ordered = np.sort(column)
    same = ordered[1:] == ordered[:-1]
    return ordered[np.concatenate(([True], ~same))[: len(ordered)]], ordered[1:][same]


def _common(values, sorted_values):
    """The values also in a sorted array."""
    return values[_in_sorted(values, sorted_values)]


def _in_sorted(values, sorted_values):
    """Whether each value is in a sorted array (numpy's ``isin`` sorts both)."""
    import numpy as np

    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    places = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[places] == values


def _marked_lines(arrays: list, candidates) -> Iterator[tuple[int, object]]:
    """For each graph with a candidate line: its number and the rows of those lines."""
    import numpy as np

    lengths = np.fromiter(map(len, arrays), dtype=np.int64, count=len(arrays))
    ends = np.cumsum(lengths)
    hits = np.flatnonzero(_in_sorted(_joined(arrays), candidates))
    owners = np.searchsorted(ends, hits, side="right")
    numbers, firsts = np.unique(owners, return_index=True)
    lasts = [*firsts[1:], len(hits)] if len(hits) else []
    for number, first, last in zip(numbers, firsts, lasts, strict=True):
        yield int(number), hits[first:last] - (ends[number] - lengths[number])


def _chosen_lines(texts: Iterable[tuple[str, str]], chosen: dict) -> Iterator[str]:
    for graph, text in texts:
        every = lines(text)
        yield from (every[row] for row in chosen[graph])


def placement(asserted: int, inferred: int, in_ontology: bool) -> tuple[bool, bool]:
    """Whether a line held so is in the default graph, and whether in the inferred graph.

    >>> placement(1, 1, False), placement(0, 2, False), placement(0, 1, True)
    ((True, False), (False, True), (False, False))
    """
    return asserted > 0, asserted == 0 and inferred > 0 and not in_ontology


def kept(asserted: int, inferred: int, in_ontology: bool) -> bool:
    """Whether a line so held is counted in the index (else its place in the database says
    how it is held)."""
    return asserted + inferred >= 2 or (in_ontology and asserted + inferred >= 1)


def moves_of(database, held: dict, delta: dict, ontology: set[str],
             inferred_graph) -> dict | None:
    """The lines to delete from and insert into a database's default and inferred graphs
    when the graphs holding each line change by ``delta`` (a Counter per layer); ``held``
    updated. None when a count would fall below zero (the counts do not match the database)."""
    affected = [line for line in delta[ASSERTED].keys() | delta[INFERRED].keys()
                if delta[ASSERTED][line] or delta[INFERRED][line]]
    placed = _placed(database, [line for line in affected if line not in held],
                     inferred_graph)
    moves: dict[str, list[str]] = {"delete": [], "insert": [], "delete inferred": [],
                                   "insert inferred": []}
    for line in sorted(affected):
        asserted, inferred = held.get(line) or placed[line]
        now = asserted + delta[ASSERTED][line], inferred + delta[INFERRED][line]
        if min(now) < 0:
            return None
        in_ontology = line in ontology
        before, after = placement(asserted, inferred, in_ontology), placement(*now, in_ontology)
        for place, suffix in ((0, ""), (1, " inferred")):
            if before[place] != after[place]:
                moves[("insert" if after[place] else "delete") + suffix].append(line)
        if kept(*now, in_ontology):
            held[line] = now
        else:
            held.pop(line, None)
    return moves


def _placed(database, unknown: list[str], inferred) -> dict[str, tuple[int, int]]:
    """Lines no count names, held once where the database has them (or not at all)."""
    from pyoxigraph import DefaultGraph, Quad

    placed = {}
    for line, triple in zip(unknown, parsed(unknown), strict=True):
        terms = (triple.subject, triple.predicate, triple.object)
        if Quad(*terms, DefaultGraph()) in database:
            placed[line] = (1, 0)
        else:
            placed[line] = (0, 1) if Quad(*terms, inferred) in database else (0, 0)
    return placed


def parsed(rows: list[str]) -> Iterator:
    """N-Triples lines as Oxigraph triples, in their order."""
    from pyoxigraph import RdfFormat, parse

    text = "".join(f"{row}\n" for row in rows)
    return parse(text.encode("utf-8"), format=RdfFormat.N_TRIPLES) if rows else iter(())
