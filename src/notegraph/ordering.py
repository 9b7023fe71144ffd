"""SPARQL's ORDER BY, applied in Python to converted rows: Oxigraph reads both terms back from
its store at every comparison, which made sorting the larger results cost more than finding them.

The order of terms is SPARQL's: unbound first, then blank nodes, IRIs and literals; numbers by
value, other literals by lexical form, then datatype and language.

>>> from rdflib import Literal, URIRef
>>> rows = [(Literal(10),), (Literal(9),), (Literal("x"),), (URIRef("urn:a"),), (None,)]
>>> [row[0] and str(row[0]) for row in ordered(["v"], rows, (("v", False),))]
[None, 'urn:a', '9', '10', 'x']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from rdflib import BNode, Literal

from notegraph.store import oxigraph_terms, to_rdflib

XSD = "http://www.w3.org/2001/XMLSchema#"


def ordered(variables: list[str], rows: list[tuple], order: tuple[tuple[str, bool], ...]) -> list:
    """The rows sorted as SPARQL's ORDER BY over those columns (name, descending) sorts them.

    Oxigraph reads both terms back from its store on every comparison, which made sorting the
    larger results cost more than finding them; here each term's key is made once.
    """
    keys: dict = {}
    columns = [variables.index(name) for name, _descending in order]
    keyed = [(tuple(order_key(keys, row[i]) for i in columns), row) for row in rows]
    return [row for _key, row in _sorted_keyed(keyed, [d for _name, d in order])]


def order_key(keys: dict, term: Any) -> tuple:
    """SPARQL's order of terms: unbound, blank nodes, IRIs, literals; numbers by value, other
    literals by lexical form, then datatype and language (Oxigraph's order for other types)."""
    key = keys.get(id(term))  # by identity: the rows hold them, and hashing a Literal is slow
    if key is None:
        if term is None:
            key = (0,)
        elif isinstance(term, Literal):
            value = term.value
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                key = (3, 0, value)
            else:
                key = (3, 1, str(term), str(term.datatype or ""), term.language or "")
        else:
            key = (1 if isinstance(term, BNode) else 2, str(term))
        keys[id(term)] = key
    return key


def _passes(descending: list[bool]) -> list[tuple[list[int], bool]]:
    """Runs of sort keys (their positions) in one direction, each sorted at once."""
    passes: list[tuple[list[int], bool]] = []
    for position, direction in enumerate(descending):
        if passes and passes[-1][1] == direction:
            passes[-1][0].append(position)
        else:
            passes.append(([position], direction))
    return passes


def sorted_distinct(rows: Iterable[tuple], columns: list[tuple[int, bool]],
                    key: Callable[[Any], tuple]) -> list[tuple]:
    """The distinct rows sorted by these columns (position, descending), each term's sort key
    made once with ``key`` (``order_key`` for rdflib terms without its cache,
    ``oxigraph_order_key`` for Oxigraph's).

    >>> sorted_distinct([("b", 1), ("a", 2), ("b", 1)], [(0, True)], lambda t: (t,))
    [('b', 1), ('a', 2)]
    """
    keyed = [(tuple(key(row[i]) for i, _descending in columns), row) for row in rows]
    return _distinct(_sorted_keyed(keyed, [d for _i, d in columns]))


def _sorted_keyed(keyed: list[tuple[tuple, tuple]], descending: list[bool]) -> list:
    """(sort key, row) pairs sorted by their keys, each key in its direction: one stable sort
    per run of keys in one direction, the last run first."""
    for positions, direction in reversed(_passes(descending)):
        keyed.sort(key=lambda pair: tuple(pair[0][i] for i in positions), reverse=direction)
    return keyed


def _distinct(keyed: list[tuple[tuple, tuple]]) -> list[tuple]:
    """The rows of sorted (sort key, row) pairs without repeats: a repeated row has the same
    sort key, so it sits in the same run of equal keys."""
    if len({key for key, _row in keyed}) == len(keyed):
        return [row for _key, row in keyed]  # no two keys alike: no repeats
    unique: list[tuple] = []
    run: list[tuple] = []
    previous = None
    for key, row in keyed:
        if key != previous:
            previous, run = key, []
        if row not in run:
            run.append(row)
            unique.append(row)
    return unique


LEXICAL_TYPES = {f"{XSD}string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                 f"{XSD}date", f"{XSD}dateTime", f"{XSD}anyURI"}


def oxigraph_order_key(term) -> tuple:
    """``order_key`` of an Oxigraph term without making the rdflib term, except for literals
    whose value decides (numbers): the same key, so both engines sort keys alike."""
    named_node, literal, _blank_node = oxigraph_terms()
    kind = type(term)  # exact types, as in store.to_rdflib
    if kind is named_node:
        return (2, term.value)
    if term is None:
        return (0,)
    if kind is literal:
        datatype = term.datatype.value
        if datatype not in LEXICAL_TYPES:
            return order_key({}, to_rdflib(term))
        plain = term.language or datatype == f"{XSD}string"
        return (3, 1, term.value, "" if plain else datatype, term.language or "")
    return (1, term.value)
