"""Pages of stored queries: with ``#+ pagination: N`` in its header, page K of a query is rows
(K-1)*N+1 to K*N of its full ordered result.

A page is cut one of two ways, each through the engine that runs the query, so the embedded store
and a remote endpoint give the same rows:

- plain: the query with ``LIMIT N OFFSET (K-1)*N`` appended (grlc's convention);
- by keys, when the header also has ``#+ page-keys:``, a cheap SELECT of the values of the first
  variables of the query's final ``ORDER BY`` (e.g. the events' start dates). The keys are sorted
  in that order, and the query is run restricted by a ``VALUES`` block to the next keys, batch
  after batch, until the rows reach the end of the page. Restricting a query to keys only removes
  rows, so the rows found are the full result's rows for those keys, in order.

>>> Page(number=2, size=100, rows=100, more=True).describe()
'rows 101-200 (page 2, 100 rows a page); more rows follow'
>>> Page(number=9, size=100, rows=0, more=False).describe()
'no rows on page 9, 100 rows a page: the result has fewer than 801 rows'
>>> from rdflib import URIRef
>>> print(restricted("SELECT ?e ?d WHERE { { SELECT ?e WHERE { ?e a ?t } } ?e ?p ?d }",
...                  ["e"], [(URIRef("urn:e1"),), (URIRef("urn:e2"),)]))
SELECT ?e ?d WHERE {
  VALUES (?e) { (<urn:e1>) (<urn:e2>) }
 { SELECT ?e WHERE {
  VALUES (?e) { (<urn:e1>) (<urn:e2>) }
 ?e a ?t } } ?e ?p ?d }
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any, Protocol

from notegraph.queries import (
    QueryError,
    StoredQuery,
    first_where,
    projected,
    sparql_term,
    split_order,
    with_values,
)

FIRST_BATCH = 2  # keys in the first batch: a key can have a hundred rows (an event's edges)


@dataclass(frozen=True)
class Page:
    """Where a page's rows sit in the full result, and whether more rows follow it (``None``:
    not known, a plain page that came back full)."""

    number: int
    size: int
    rows: int
    more: bool | None

    @property
    def first(self) -> int:
        """The position of the page's first row in the full result, counted from 1."""
        return (self.number - 1) * self.size + 1

    def describe(self) -> str:
        """Which rows these are, in words."""
        where = f"page {self.number}, {self.size} rows a page"
        if not self.rows:
            return f"no rows on {where}: the result has fewer than {self.first} rows"
        follow = {True: "more rows follow", False: "the last page",
                  None: "more rows may follow"}[self.more]
        return f"rows {self.first}-{self.first + self.rows - 1} ({where}); {follow}"


class Engine(Protocol):
    """What a page needs from an engine (``sparql.LocalEngine``, ``sparql.RemoteEngine``)."""

    def answer(self, text: str, reasoning: bool) -> Any: ...

    def key_rows(self, text: str, reasoning: bool,
                 order: tuple[tuple[str, bool], ...]) -> list[tuple]: ...

    def as_term(self, term: Any) -> Any: ...


def cut_page(engine: Engine, query: StoredQuery, text: str, bindings: dict, number: int,
             reasoning: bool) -> Any:
    """Page ``number`` of the query (its text without comments, and its parameters' terms) as
    a QueryResult whose ``page`` says where the rows sit."""
    size = query.pagination
    if number < 1:
        raise QueryError(f"page {number}: pages are counted from 1")
    if query.page_keys is None:
        bound = with_values(text, bindings)
        result = engine.answer(f"{bound.rstrip()}\nLIMIT {size} OFFSET {(number - 1) * size}\n",
                               reasoning)
        more = None if len(result.rows) == size else False
        return dataclasses.replace(result, page=Page(number, size, len(result.rows), more))
    return _keyed_page(engine, query, text, bindings, number, reasoning)


def _keyed_page(engine: Engine, query: StoredQuery, text: str, bindings: dict, number: int,
                reasoning: bool) -> Any:
    size, names = query.pagination, projected(query.page_keys)
    _, order = split_order(text)
    keys = engine.key_rows(with_values(query.page_keys, bindings), reasoning,
                           order[:len(names)])
    start, end = (number - 1) * size, number * size
    rows: list = []
    taken, batch = 0, FIRST_BATCH
    result = None
    while result is None or (taken < len(keys) and len(rows) <= end):
        chunk = [tuple(map(engine.as_term, key)) for key in keys[taken:taken + batch]]
        result = engine.answer(restricted(text, names, chunk, bindings), reasoning)
        rows += result.rows
        taken += len(chunk)
        batch = _next_batch(end + 1 - len(rows), len(rows), taken)
    page_rows = rows[start:end]
    return dataclasses.replace(result, rows=page_rows,
                               page=Page(number, size, len(page_rows), len(rows) > end))


def _next_batch(missing: int, rows: int, keys: int) -> int:
    """How many keys the next batch takes: enough for the missing rows at the rows-per-key seen
    so far, with a quarter more; four times as many as so far when no key had rows."""
    if rows == 0:
        return max(1, 4 * keys)
    return max(1, math.ceil(missing * keys / rows * 1.25))


def restricted(text: str, names: list[str], keys: list[tuple],
               bindings: dict | None = None) -> str:
    """The query with a ``VALUES`` block of the keys at the start of its WHERE clause and at the
    start of every sub-select that projects some of the key variables (over those variables
    only), so that each part of the query starts from the keys.

    The parameters' terms join the keys in the first block (each key row with every parameter):
    in a block of their own, one row, they would be where Oxigraph's optimiser starts (every
    host of every event, say) instead of the page's keys.
    """
    bound = bindings or {}
    outer = [key + tuple(bound.values()) for key in keys]
    inserts = [(first_where(text), _block(names + list(bound), outer))]
    for match in re.finditer(r"\{\s*SELECT\s+(.*?)\bWHERE\s*\{", text, re.I | re.S):
        own = [name for name in projected(f"SELECT {match.group(1)} WHERE")
               if name in names]
        if own:
            columns = [names.index(name) for name in own]
            rows = list(dict.fromkeys(tuple(key[i] for i in columns) for key in keys))
            inserts.append((match.end(), _block(own, rows)))
    for offset, block in sorted(inserts, reverse=True):
        text = text[:offset] + block + text[offset:]
    return text


def _block(names: list[str], rows: list[tuple]) -> str:
    header = " ".join(f"?{name}" for name in names)
    body = " ".join("(" + " ".join(map(sparql_term, row)) + ")" for row in rows)
    return f"\n  VALUES ({header}) {{ {body} }}\n"
