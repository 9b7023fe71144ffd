"""A light in-memory dataset: named graphs as plain sets of rdflib-term triples.

rdflib's own stores index every triple three ways, which is what a query engine needs but far
more than building and exporting need; here a graph is a ``set`` of ``(subject, predicate,
object)`` tuples, so adding, uniting and sorting run at set speed. Queries go to Oxigraph.

>>> from rdflib import Literal, URIRef
>>> quads = QuadStore()
>>> graph = quads.graph(URIRef("urn:g"))
>>> graph.add((URIRef("urn:s"), URIRef("urn:p"), Literal(1)))
>>> len(graph), [str(g.identifier) for g in quads.graphs()]
(1, ['urn:g'])
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

from rdflib import Literal, URIRef

_TERMS: dict[str, URIRef] = {}


def term(iri: str) -> URIRef:
    """The one ``URIRef`` object of an IRI in this process.

    rdflib makes a new term at every namespace access, and equal terms that are distinct
    objects are compared by Python code in every set and dict lookup; the same object is
    found by identity.

    >>> term("urn:x") is term("urn:x")
    True
    """
    found = _TERMS.get(iri)
    if found is None:
        found = _TERMS[iri] = URIRef(iri)
    return found


def minted(iri: str) -> URIRef:
    """A ``URIRef`` of text made only of parts known to be valid (an IRI already checked,
    slugs, fixed words, numbers): rdflib's constructor checks every IRI again for the
    characters an IRI cannot hold, and only warns.

    >>> minted("urn:x/participation/1") == URIRef("urn:x/participation/1")
    True
    """
    return str.__new__(URIRef, iri)


@functools.lru_cache(maxsize=1 << 16, typed=True)
def literal(value, lang: str | None = None, datatype: str | None = None) -> Literal:
    """A shared ``Literal``: building a note repeats the same roles, names, line numbers and
    dates many times, and rdflib's constructor checks and casts its value at every call.
    ``typed`` keeps ``1`` and ``True`` apart.

    >>> literal("Serbia", lang="en") is literal("Serbia", lang="en")
    True
    >>> literal(1) == literal(True)
    False
    """
    return Literal(value, lang=lang, datatype=datatype)


class Terms:
    """A namespace whose terms are each made once (see :func:`term`); a closed namespace
    still refuses names it does not define.

    >>> from rdflib import RDF
    >>> Terms(RDF).type is Terms(RDF).type is term(str(RDF.type))
    True
    """

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        found = term(str(getattr(self._namespace, name)))
        setattr(self, name, found)
        return found

    def __getitem__(self, name: str) -> URIRef:
        return term(str(self._namespace[name]))


class _Namespaces:
    """The part of rdflib's namespace manager the exports use."""

    def __init__(self, bindings: dict[str, URIRef]) -> None:
        self._bindings = bindings

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        return iter(sorted(self._bindings.items()))


class TripleSet(set):
    """One named graph: a set of triples with its name and the dataset's prefixes."""

    def __init__(self, identifier: URIRef | None = None,
                 bindings: dict[str, URIRef] | None = None) -> None:
        super().__init__()
        self.identifier = identifier
        self._bindings = bindings if bindings is not None else {}

    @property
    def namespace_manager(self) -> _Namespaces:
        return _Namespaces(self._bindings)

    def bind(self, prefix: str, namespace: URIRef, **_options: object) -> None:
        self._bindings[prefix] = URIRef(str(namespace))


class QuadStore:
    """Named graphs by IRI, sharing one set of prefixes."""

    def __init__(self) -> None:
        self._graphs: dict[URIRef, TripleSet] = {}
        self._bindings: dict[str, URIRef] = {}

    def bind(self, prefix: str, namespace: URIRef, **_options: object) -> None:
        self._bindings[prefix] = URIRef(str(namespace))

    @property
    def namespace_manager(self) -> _Namespaces:
        return _Namespaces(self._bindings)

    def graph(self, name: URIRef) -> TripleSet:
        """The named graph, created empty when new."""
        found = self._graphs.get(name)
        if found is None:
            found = self._graphs[name] = TripleSet(name, self._bindings)
        return found

    def graphs(self) -> Iterator[TripleSet]:
        return iter(list(self._graphs.values()))

    def __len__(self) -> int:
        return sum(len(g) for g in self._graphs.values())
