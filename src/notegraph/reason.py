"""OWL-RL reasoning that returns the inferred triples and never touches its input.

The closure is computed on an in-memory copy (owlrl is the reference engine); what it adds beyond
the input is then stripped of reasoning noise, so that exports load into any triple store: triples
with literal or blank-node subjects, reflexive ``owl:sameAs``, ``rdf:_n`` membership properties,
typing as ``owl:Thing`` or ``rdfs:Resource``, and every triple about vocabulary terms (RDF, RDFS,
OWL, XSD and the ontologies reused), which are the ontology's business, not the data's.

>>> from rdflib import Graph, Namespace
>>> from notegraph.namespaces import NG
>>> ID = Namespace("https://w3id.org/notegraph/id/")
>>> data = Graph()
>>> _ = data.add((ID.e, NG.host, ID.s))
>>> inferred = reason(data)
>>> (ID.s, RDF.type, NG.Organiser) in inferred, len(data)
(True, 1)
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal

from notegraph.ontology import load_ontology
from notegraph.quads import term

VOCABULARIES = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#",
                "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#",
                "http://www.w3.org/2001/XMLSchema#", "http://www.w3.org/2004/02/skos/core#",
                "https://schema.org/", "http://schema.org/", "http://www.w3.org/ns/prov#",
                "http://www.w3.org/ns/org#", "http://purl.org/dc/terms/",
                "https://w3id.org/notegraph/ontology")
BACKENDS = ("owlrl", "fast")


def reason(graph: Graph, backend: str = "owlrl", ontology: Graph | None = None) -> Graph:
    """The triples OWL-RL infers from ``graph`` plus the ontology, noise removed.

    ``backend="owlrl"`` is the reference engine; ``"fast"`` applies the same rules, derived once
    from the ontology, with set operations (:mod:`notegraph.fastreason`), and gives the same
    triples.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown reasoner {backend!r}: choose one of {', '.join(BACKENDS)}")
    if backend == "fast":  # rules derived from the project's ontology
        from notegraph.fastreason import reason_fast

        return reason_fast(graph)
    ontology = load_ontology() if ontology is None else ontology
    working = Graph()
    for triple in graph:
        working.add(triple)
    for triple in ontology:
        working.add(triple)
    before = set(working)
    _owlrl_closure(working)
    inferred = Graph()
    for triple in working:
        if triple not in before and not is_noise(triple):
            inferred.add(triple)
    return inferred


def _owlrl_closure(graph: Graph) -> None:
    import owlrl

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(graph)


_RDF_MEMBER = str(RDF) + "_"
PLAIN_TYPES = frozenset(term(str(t)) for t in (OWL.Thing, RDFS.Resource, OWL.NamedIndividual))
_SAME_AS = term(str(OWL.sameAs))
_TYPE = term(str(RDF.type))
_NO_SUBJECTS = (Literal, BNode)


def is_noise(triple: tuple) -> bool:
    """Whether an inferred triple is reasoning noise rather than a fact about the data."""
    subject, predicate, obj = triple
    if type(subject) in _NO_SUBJECTS:  # rdflib's terms are ABCs: isinstance is slow
        return True
    if type(obj) is BNode or str.startswith(subject, VOCABULARIES):
        return True
    if str.__eq__(predicate, _TYPE):  # as plain strings: rdflib's __eq__ is slow
        return obj in PLAIN_TYPES
    if str.__eq__(predicate, _SAME_AS):
        return subject == obj
    return str.startswith(predicate, _RDF_MEMBER)


def without_noise(triples) -> list[tuple]:
    """The triples that are not noise (as :func:`is_noise` says, one by one): the checks on
    subject and object inline, what the predicate asks for found once per predicate.

    >>> from rdflib import URIRef
    >>> a, b = URIRef("urn:a"), URIRef("urn:b")
    >>> kept = without_noise([(a, _TYPE, b), (a, _TYPE, OWL.Thing), (a, _SAME_AS, a),
    ...                       (a, _SAME_AS, b), (BNode(), _SAME_AS, b), (a, RDF._1, b)])
    >>> [(str(s), str(p).split("#")[1], str(o)) for s, p, o in kept]
    [('urn:a', 'type', 'urn:b'), ('urn:a', 'sameAs', 'urn:b')]
    """
    kinds: dict = {}  # predicate → 0: nothing more to check, 1: rdf:type, 2: ask is_noise
    subjects: dict = {}  # subject → whether it can be one
    kept = []
    for triple in triples:
        subject, predicate, obj = triple
        kind = kinds.get(predicate)
        if kind is None:
            kind = kinds[predicate] = 1 if str.__eq__(predicate, _TYPE) else 2 if (
                str.__eq__(predicate, _SAME_AS) or str.startswith(predicate, _RDF_MEMBER)) else 0
        if kind == 2:
            if not is_noise(triple):
                kept.append(triple)
            continue
        subject_kept = subjects.get(subject)
        if subject_kept is None:
            subject_kept = subjects[subject] = type(subject) not in _NO_SUBJECTS \
                and not str.startswith(subject, VOCABULARIES)
        if subject_kept and type(obj) is not BNode and not (kind and obj in PLAIN_TYPES):
            kept.append(triple)
    return kept
