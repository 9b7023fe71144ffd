"""Pairs of States: how many events each pair attended together, written at build time so
that ``state-pairs`` reads two numbers per pair instead of counting every event.

``state-pairs`` counts, for a range of years, the distinct events at which both States of a
pair took part (host, organiser, participant, remote participant, observer, and with reasoning
through their national agencies: ``ng:represented``). A range is a difference of cumulative
counts: the events up to the last year of the range, less those up to the year before it. The
build keeps, for every pair, its cumulative counts at the end of each year, four years to a
*block* (blocks start at years divisible by four), as one short literal per pair and block::

    <id/pair/DEU-USA> <id/years/2012-2015> "DEUUSA201020304" .

the two ISO3 codes, the width of a count (here two digits, as many as the block's largest
count needs), then the pair's events up to 2012, 2013, 2014 and 2015. A literal this short is held
inline by Oxigraph, so reading it costs no lookup. Every pair has a literal in each block
from the first in which it met to the latest of the corpus, and the block nodes say which
years they cover (``ng:firstYear``, and ``ng:lastYear`` except for the latest block, whose
counts hold for every later year). The query finds the block of each end of the range and
reads the count at the year's place in each literal.

Each mode sees its own counts: the literals from the notes' asserted triples are in graphs
under ``graph/derived/pairs/``; what reasoning adds (States through their agencies) is
written as the difference, in the same shape (subjects ``id/pair/AAA-BBB/inferred``), in
graphs under ``graph/derived/inferred/``, which queries without reasoning leave out. The
query sums the two. Graphs are one per block and first State, so that a note changes only
the graphs of its States and of the blocks from its year on (a note in a new block, once in
four years of notes, adds one literal for every pair).

>>> from rdflib import Literal, URIRef
>>> event = URIRef("https://w3id.org/notegraph/id/event/e1")
>>> srb, mne = (URIRef(f"https://w3id.org/notegraph/id/state/{c}") for c in ("SRB", "MNE"))
>>> asserted = [(event, NG.describedBy, URIRef("urn:n1")), (event, NG.host, srb),
...             (event, NG.participant, mne),
...             (event, SCHEMA.startDate, Literal("2013-05-09", datatype=XSD.date))]
>>> part = note_part(asserted, [])
>>> part.years, [state for _event, state in part.states]
((('https://w3id.org/notegraph/id/event/e1', 2013),), ['MNE', 'SRB'])
>>> graphs = pair_graphs([part], [])
>>> print(graphs[f"{PAIRS_GRAPH}/2012-2015/MNE"][1]().replace(str(ID), ""), end="")
<pair/MNE-SRB> <years/2012-2015> "MNESRB10111" .
>>> print(graphs[BLOCKS_GRAPH][1]().replace(str(ID), "").replace(str(XSD), "xsd:"), end="")
<years/2012-2015> <https://w3id.org/notegraph/ontology#firstYear> "2012"^^<xsd:integer> .
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import XSD

from notegraph.build import GRAPH_DERIVED, ID, NG, SCHEMA, STATE_PREFIX
from notegraph.store import Wanted

__all__ = ["BLOCK", "BLOCKS_GRAPH", "PAIRS_GRAPH", "PAIR_ROLES", "PairPart", "note_part",
           "pair_graphs", "role_states"]

BLOCK = 4  # years to a block (a literal of two codes and four counts of up to two digits
# stays within the 15 bytes Oxigraph holds inline)
PAIRS_GRAPH = f"{GRAPH_DERIVED}/pairs"
INFERRED_PAIRS_GRAPH = f"{GRAPH_DERIVED}/inferred/pairs"
BLOCKS_GRAPH = f"{PAIRS_GRAPH}/years"
PAIR_ROLES = frozenset({NG.represented, NG.participant, NG.remoteParticipant, NG.observer,
                        NG.host, NG.organiser})
_INTEGER = f"^^<{XSD.integer}>"
LAYOUT = b"pairs 2\0"  # in every key: a change of the literals' layout replaces every graph


@dataclass(frozen=True)
class PairPart:
    """One note's part of the pair counts: the year of each event it describes, the
    (event, State code) pairs of its asserted roles, and those only its inferences add."""

    years: tuple[tuple[str, int], ...]
    states: tuple[tuple[str, str], ...]
    inferred_states: tuple[tuple[str, str], ...]


def role_states(triples: Iterable) -> set[tuple[str, str]]:
    """The (event, State code) pairs of the role triples (``PAIR_ROLES``) naming a State."""
    size = len(STATE_PREFIX)
    return {(str(s), str(o)[size:]) for s, p, o in triples
            if p in PAIR_ROLES and str(o).startswith(STATE_PREFIX)}


def note_part(asserted: Iterable, inferred: Iterable) -> PairPart:
    """A note's ``PairPart`` from its asserted and inferred triples (an event is dated by
    the year of its ``schema:startDate`` when the note describes it)."""
    asserted = list(asserted)
    described = {s for s, p, _o in asserted if p == NG.describedBy}
    years = {(str(s), int(str(o)[:4])) for s, p, o in asserted
             if p == SCHEMA.startDate and s in described and str(o)[:4].isdigit()}
    states = role_states(asserted)
    return PairPart(tuple(sorted(years)), tuple(sorted(states)),
                    tuple(sorted(role_states(inferred) - states)))


def pair_graphs(parts: Iterable[PairPart], shared_inferred: Iterable) -> Wanted:
    """The graphs of pair counts from every note's part and the inferences of the joins
    across notes (``shared_inferred``): graph IRI → (key, function giving its text)."""

    parts = list(parts)
    years: dict[str, int] = {}
    for part in parts:
        for event, year in part.years:  # an event dated twice counts in its first year
            years[event] = min(year, years.get(event, year))
    incidence = _Incidence(years)
    for part in parts:
        incidence.add(part.states)
    plain = incidence.entries()
    for part in parts:
        incidence.add(part.inferred_states)
    incidence.add(sorted(role_states(shared_inferred)))
    if not incidence.codes:
        return {}
    if any(len(code) != 3 or not code.isalpha() for code in incidence.codes):
        raise ValueError(f"State codes of three letters expected: {incidence.codes}")
    first, last = min(incidence.years), max(incidence.years)
    start = first - first % BLOCK
    blocks = range(start, last - last % BLOCK + 1, BLOCK)
    span = len(blocks) * BLOCK
    plain_counts = incidence.cumulative(start, span, plain)
    reasoned_counts = incidence.cumulative(start, span, incidence.entries())
    wanted = {BLOCKS_GRAPH: _fixed(_blocks_text(blocks))}
    codes = sorted(incidence.codes)
    for graph, suffix, counts in ((PAIRS_GRAPH, "", plain_counts),
                                  (INFERRED_PAIRS_GRAPH, "/inferred",
                                   reasoned_counts - plain_counts)):
        wanted.update(_graphs_of(graph, suffix, counts, codes, blocks))
    return wanted


class _Incidence:
    """Which States took part in which dated events, as rows and columns of a matrix."""

    def __init__(self, years: dict[str, int]) -> None:
        self.event_years = years
        self.rows: dict[str, int] = {}
        self.codes: dict[str, int] = {}
        self.years: list[int] = []
        self.events: list[int] = []  # the row and column of each pair added
        self.states: list[int] = []

    def add(self, states: Iterable[tuple[str, str]]) -> None:
        """Add (event, State code) pairs; those of undated events are left out."""
        rows, codes, years = self.rows, self.codes, self.event_years
        events, columns = self.events.append, self.states.append
        for event, code in states:
            row = rows.get(event)
            if row is None:
                if event not in years:
                    continue
                row = rows[event] = len(rows)
                self.years.append(years[event])
            column = codes.get(code)
            if column is None:
                column = codes[code] = len(codes)
            events(row)
            columns(column)

    def entries(self) -> int:
        """How many pairs were added so far (the matrix of the first ``n`` of them is
        ``cumulative(..., n)``)."""
        return len(self.events)

    def cumulative(self, start: int, span: int, entries: int):
        """Year × State × State (States in code order): the distinct events up to the end of
        each year (from ``start``, ``span`` years) at which both States took part, of the first
        ``entries`` pairs added; only the cells of pairs in code order are filled.

        Each event's pairs of States are counted at once for all events with as many States
        (a row of their States, and every two places in it), with one ``bincount``.
        """
        import numpy as np

        size = len(self.codes)
        rank = np.empty(size, dtype=np.int64)
        rank[[self.codes[code] for code in sorted(self.codes)]] = np.arange(size)
        keys = np.unique(np.array(self.events[:entries], dtype=np.int64) * size
                         + rank[np.array(self.states[:entries], dtype=np.int64)])
        rows, columns = keys // size, keys % size
        offsets = (np.array(self.years, dtype=np.int64) - start)[rows]
        per_event = np.bincount(rows, minlength=len(self.rows))
        firsts = np.concatenate(([0], np.cumsum(per_event)[:-1]))
        counts = np.zeros(span * size * size, dtype=np.int64)
        for states in np.unique(per_event[per_event > 1]):
            places = firsts[per_event == states][:, None] + np.arange(states)
            left, right = np.triu_indices(states, 1)
            codes = columns[places]
            cells = (offsets[places[:, :1]] * size + codes[:, left]) * size + codes[:, right]
            counts += np.bincount(cells.ravel(), minlength=counts.size)
        return np.cumsum(counts.reshape(span, size, size), axis=0)


def _graphs_of(graph: str, suffix: str, counts, codes: list[str], blocks: range) -> Wanted:
    """One graph per block and first State, of the pairs that met by the block's end (with
    nonzero counts), keyed by the counts they hold."""
    import numpy as np

    wanted: Wanted = {}
    ends = counts[BLOCK - 1::BLOCK]  # the counts at each block's end
    for number, block in enumerate(blocks):
        values = counts[number * BLOCK:(number + 1) * BLOCK]
        name = _block_name(block)
        for first in range(len(codes) - 1):
            others = np.nonzero(ends[number, first, first + 1:])[0] + first + 1
            if not len(others):
                continue
            chunk = np.ascontiguousarray(values[:, first, others].T)
            key = hashlib.sha256(LAYOUT + chunk.tobytes() + " ".join(
                codes[o] for o in others).encode("ascii")).hexdigest()
            wanted[f"{graph}/{name}/{codes[first]}"] = (
                key, functools.partial(_pairs_text, suffix, name, codes, first, others, chunk))
    return wanted


def _pairs_text(suffix: str, block: str, codes: list[str], first: int, others, values) -> str:
    """The N-Triples of one graph of pair counts (made only when the store needs them)."""
    predicate = f"<{ID}years/{block}>"
    lines = []
    for other, counts in zip(others.tolist(), values.tolist(), strict=True):
        width = len(str(max(counts)))
        pair = f"{codes[first]}-{codes[other]}"
        text = "".join(str(count).zfill(width) for count in counts)
        lines.append(f'<{ID}pair/{pair}{suffix}> {predicate} '
                     f'"{codes[first]}{codes[other]}{width}{text}" .\n')
    return "".join(sorted(lines))


def _block_name(block: int) -> str:
    return f"{block}-{block + BLOCK - 1}"


def _blocks_text(blocks: range) -> str:
    """Each block's first year and, but for the latest, its last year."""
    lines = []
    for block in blocks:
        node = f"<{ID}years/{_block_name(block)}>"
        lines.append(f'{node} <{NG.firstYear}> "{block}"{_INTEGER} .\n')
        if block != blocks[-1]:
            lines.append(f'{node} <{NG.lastYear}> "{block + BLOCK - 1}"{_INTEGER} .\n')
    return "".join(sorted(lines))


def _fixed(text: str) -> tuple[str, Callable[[], str]]:
    return hashlib.sha256(text.encode("utf-8")).hexdigest(), functools.partial(str, text)
