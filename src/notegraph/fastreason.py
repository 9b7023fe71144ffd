"""Fast OWL-RL reasoning for notegraph's fixed ontology: the same ABox entailments as owlrl.

The ontology is small and fixed, so its rules are derived once: owlrl closes the TBox (the
sub-property and sub-class hierarchies, inverses, domains and ranges), and what remains are rules
over relations. The data is then grouped by predicate and every rule is applied to whole relations
with set operations, to a fixpoint:

- sub-property: every pair of ``p`` is a pair of each super-property;
- inverse and symmetric properties: the swapped pairs;
- domain and range: the subjects (objects) are typed with the classes, then their super-classes;
- transitive properties and property chains (``involves ∘ partOf ⊑ involves``): joins, always
  against the small relation (``partOf``, ``inSeries``) so they stay cheap.

``reason_fast(graph)`` returns the inferred triples with the same noise stripped as
:func:`notegraph.reason.reason`, and never mutates its input. A test checks set equality with owlrl.

>>> from rdflib import Graph, Namespace
>>> from notegraph.namespaces import NG
>>> ID = Namespace("https://w3id.org/notegraph/id/")
>>> data = Graph()
>>> _ = data.add((ID.e, NG.host, ID.s))
>>> (ID.s, RDF.type, NG.Organiser) in reason_fast(data)
True
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, URIRef

from notegraph.ontology import ONTOLOGY_PATH, load_ontology
from notegraph.quads import TripleSet, term
from notegraph.reason import is_noise

TYPE = term(str(RDF.type))  # compared with every predicate, as plain strings (fast)

Pairs = set[tuple[object, object]]


@dataclass(frozen=True)
class Rules:
    """The ABox rules of the ontology, from its owlrl-closed TBox."""

    super_properties: dict[URIRef, frozenset[URIRef]]  # excluding the property itself
    inverses: dict[URIRef, frozenset[URIRef]]
    symmetric: frozenset[URIRef]
    transitive: frozenset[URIRef]
    domains: dict[URIRef, frozenset[URIRef]]
    ranges: dict[URIRef, frozenset[URIRef]]
    super_classes: dict[URIRef, frozenset[URIRef]]  # excluding the class itself
    chains: tuple[tuple[URIRef, URIRef, URIRef], ...]  # (result, first, second)


RULES_PATH = ONTOLOGY_PATH.with_name("rules.json")


@functools.cache
def rules() -> Rules:
    """The rules of the ontology: read from ``ontology/rules.json`` when it was derived from
    this very ontology file (its SHA-256 matches), else derived with owlrl.

    ``python -m notegraph.ontology`` writes the file; a test checks it against owlrl.
    """
    try:
        saved = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = None
    if saved is not None and saved.get("ontology_sha256") == ontology_digest():
        return rules_from_json(saved)
    return derive_rules()


def ontology_digest() -> str:
    """The SHA-256 of the ontology file's bytes."""
    return hashlib.sha256(ONTOLOGY_PATH.read_bytes()).hexdigest()


def rules_json(rule_set: Rules) -> str:
    """The rules as JSON, stamped with the ontology they were derived from.

    >>> rules_from_json(json.loads(rules_json(derive_rules()))) == derive_rules()
    True
    """
    data: dict = {"ontology_sha256": ontology_digest()}
    for name in RELATION_FIELDS:
        data[name] = {str(k): sorted(map(str, v))
                      for k, v in sorted(getattr(rule_set, name).items())}
    data["symmetric"] = sorted(map(str, rule_set.symmetric))
    data["transitive"] = sorted(map(str, rule_set.transitive))
    data["chains"] = [list(map(str, chain)) for chain in rule_set.chains]
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def rules_from_json(data: dict) -> Rules:
    """The rules read back from :func:`rules_json` (with the process's own terms)."""
    relations = {name: {term(k): frozenset(map(term, v)) for k, v in data[name].items()}
                 for name in RELATION_FIELDS}
    return Rules(**relations, symmetric=frozenset(map(term, data["symmetric"])),
                 transitive=frozenset(map(term, data["transitive"])),
                 chains=tuple(tuple(map(term, chain)) for chain in data["chains"]))


RELATION_FIELDS = ("super_properties", "inverses", "domains", "ranges", "super_classes")


@functools.cache
def derive_rules() -> Rules:
    """Derive the rules from the ontology closed by owlrl."""
    import owlrl

    tbox = Graph()
    for triple in load_ontology():
        tbox.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(tbox)
    return Rules(
        super_properties=_closure(tbox, RDFS.subPropertyOf),
        inverses=_inverses(tbox),
        symmetric=frozenset(s for s in tbox.subjects(RDF.type, OWL.SymmetricProperty)
                            if isinstance(s, URIRef)),
        transitive=frozenset(s for s in tbox.subjects(RDF.type, OWL.TransitiveProperty)
                             if isinstance(s, URIRef)),
        domains=_grouped(tbox, RDFS.domain),
        ranges=_grouped(tbox, RDFS.range),
        super_classes=_closure(tbox, RDFS.subClassOf),
        chains=_chains(tbox),
    )


def _closure(tbox: Graph, predicate: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for sub, sup in tbox.subject_objects(predicate):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef) and sub != sup:
            found[sub].add(sup)
    changed = True
    while changed:  # owlrl closes these already; this keeps the rules right on their own
        changed = False
        for sub, sups in found.items():
            extra = set().union(*(found.get(s, set()) for s in sups)) - sups - {sub}
            if extra:
                sups |= extra
                changed = True
    return {k: frozenset(v) for k, v in found.items()}


def _inverses(tbox: Graph) -> dict[URIRef, frozenset[URIRef]]:
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for a, b in tbox.subject_objects(OWL.inverseOf):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            found[a].add(b)
            found[b].add(a)
    return {k: frozenset(v) for k, v in found.items()}


def _grouped(tbox: Graph, predicate: URIRef) -> dict[URIRef, frozenset[URIRef]]:
    found: dict[URIRef, set[URIRef]] = defaultdict(set)
    for prop, cls in tbox.subject_objects(predicate):
        if isinstance(prop, URIRef) and isinstance(cls, URIRef):
            found[prop].add(cls)
    return {k: frozenset(v) for k, v in found.items()}


def _chains(tbox: Graph) -> tuple[tuple[URIRef, URIRef, URIRef], ...]:
    from rdflib.collection import Collection

    chains = []
    for result, head in tbox.subject_objects(OWL.propertyChainAxiom):
        members = list(Collection(tbox, head))
        if len(members) != 2:
            raise ValueError(f"only two-step property chains are supported ({result})")
        chains.append((result, members[0], members[1]))
    return tuple(sorted(chains))


class _Relations:
    """The data as relations: predicate → set of (subject, object) pairs, and class → subjects.

    Over a ``base`` (relations already closed, shared by many small graphs), only what is not
    in the base is kept here (``pairs``, ``types``), so the base itself never changes and is
    never copied; :meth:`relation` gives a whole relation, base included.
    """

    def __init__(self, base: _Relations | None = None) -> None:
        self.pairs: dict[URIRef, Pairs] = defaultdict(set)
        self.types: dict[URIRef, set[object]] = defaultdict(set)
        self._base_pairs = base.pairs if base is not None else {}
        self._base_types = base.types if base is not None else {}

    def relation(self, predicate: URIRef) -> Pairs:
        """Every pair of a predicate, the base's too (to read, not to change)."""
        own, inherited = self.pairs.get(predicate), self._base_pairs.get(predicate)
        if not inherited:
            return own if own is not None else set()
        return own | inherited if own else inherited

    def add_pairs(self, predicate: URIRef, pairs: Pairs) -> Pairs:
        """Add pairs; return those that were new."""
        if str.__eq__(predicate, TYPE):
            new = set()
            for subject, cls in pairs:
                if subject not in self.types[cls] and subject not in self._base_types.get(
                        cls, ()):
                    new.add((subject, cls))
            for subject, cls in new:
                self.types[cls].add(subject)
            return new
        current = self.pairs[predicate]
        new = pairs - current
        inherited = self._base_pairs.get(predicate)
        if inherited:
            new -= inherited
        current |= new
        return new

    def add_types(self, cls: URIRef, subjects: set[object]) -> set[object]:
        current = self.types[cls]
        new = subjects - current
        inherited = self._base_types.get(cls)
        if inherited:
            new -= inherited
        current |= new
        return new


class Closure:
    """The closed relations of a graph, to reason many small graphs against (see ``base``).

    >>> from rdflib import Namespace
    >>> from notegraph.namespaces import NG
    >>> ID = Namespace("https://w3id.org/notegraph/id/")
    >>> shared = Closure([(ID.cpc, NG.partOf, ID.osce)])
    >>> (ID.e, NG.involves, ID.osce) in reason_fast([(ID.e, NG.organiser, ID.cpc)], shared)
    True
    """

    def __init__(self, triples) -> None:
        self.relations = _closed(_Relations(), triples)


def reason_fast(graph, base: Closure | None = None) -> TripleSet:
    """The triples OWL-RL infers from ``graph`` plus the ontology, noise removed (owlrl-equal).

    With ``base``, the graph is reasoned together with the base's (already closed) triples, and
    only what the graph adds is returned: neither the base's own inferences nor its triples.
    """
    start = base.relations if base is not None else None
    relations = _closed(_Relations(start), graph)
    asserted: dict[URIRef, Pairs] = defaultdict(set)
    for subject, predicate, obj in graph:
        asserted[predicate].add((subject, obj))
    return _collect(relations, asserted)


def _closed(relations: _Relations, triples) -> _Relations:
    """Add the triples and everything the rules derive from them, semi-naively."""
    rule_set = rules()
    grouped: dict[URIRef, Pairs] = defaultdict(set)
    for subject, predicate, obj in triples:
        grouped[predicate].add((subject, obj))
    pending: dict[URIRef, Pairs] = defaultdict(set)
    for predicate, pairs in grouped.items():
        fresh = relations.add_pairs(predicate, pairs)
        if fresh:
            pending[predicate] |= fresh
    return _fixpoint(rule_set, relations, pending)


def _fixpoint(rule_set: Rules, relations: _Relations,
              pending: dict[URIRef, Pairs]) -> _Relations:
    while pending:
        _type_step(rule_set, relations, pending)
        pending = _property_step(rule_set, relations, pending)
    return relations


def link_predicates() -> frozenset[URIRef]:
    """The properties that two-premise rules join on (transitive properties, chain steps):
    the only ones through which separately closed graphs can entail more together."""
    rule_set = rules()
    steps = {p for _result, first, second in rule_set.chains for p in (first, second)}
    return frozenset(rule_set.transitive | steps)


@functools.cache
def bystander_steps() -> dict[URIRef, frozenset[URIRef]]:
    """Link predicates whose triples join only as the first step of chains whose second step
    has a fixed set of subjects: ``first → {second, ...}``.

    A subject whose ``first`` triples all point at things that are the subject of no
    ``second`` triple joins nothing through them, across any parts: the second relation is
    never derived across parts except by its own transitivity, which keeps its subjects, and
    no rule gives a ``first`` triple a subject of its own (through an inverse or symmetry).
    ``involves ∘ partOf ⊑ involves`` makes ``involves`` one: an event involves many actors, and
    few are part of something.
    """
    rule_set = rules()
    results = {result for result, _f, _s in rule_set.chains}  # pairs with new subjects
    reached = {start: _derivable(rule_set, start) for start in results | rule_set.transitive}
    swapped = {p for found in reached.values() for p, turned in found if turned}
    seconds = {second for _result, _first, second in rule_set.chains}
    unfixed = swapped | rule_set.symmetric | results | {
        p for start, found in reached.items() for p, _turned in found if p != start}
    steps: dict[URIRef, set[URIRef]] = defaultdict(set)
    for _result, first, second in rule_set.chains:
        steps[first].add(second)
    return {first: frozenset(found) for first, found in steps.items()
            if first not in rule_set.transitive | rule_set.symmetric | swapped | seconds
            and not found & unfixed}


def _derivable(rule_set: Rules, predicate: URIRef) -> set[tuple[URIRef, bool]]:
    """The predicates that new pairs of ``predicate`` lead to, each with whether its pairs
    are turned round (an odd number of inverses on the way); ``(predicate, False)`` included."""
    found = {(predicate, False)}
    frontier = [(predicate, False)]
    while frontier:
        current, turned = frontier.pop()
        following = {(p, turned) for p in rule_set.super_properties.get(current, ())}
        following |= {(p, not turned) for p in rule_set.inverses.get(current, ())}
        if current in rule_set.symmetric:
            following.add((current, not turned))
        for new in following - found:
            found.add(new)
            frontier.append(new)
    return found


def reason_joins(link_triples) -> TripleSet:
    """What joining separately closed graphs adds: given the link-predicate triples of their
    union (each part already closed on its own), the triples the transitive and chain rules
    derive across parts, and everything that follows from those.

    >>> from rdflib import Namespace
    >>> from notegraph.namespaces import NG
    >>> ID = Namespace("https://w3id.org/notegraph/id/")
    >>> parts = [(ID.e3, NG.sameSeriesAs, ID.e2), (ID.e2, NG.sameSeriesAs, ID.e1)]
    >>> (ID.e3, NG.sameSeriesAs, ID.e1) in reason_joins(parts)
    True
    """
    rule_set = rules()
    relations = _Relations()
    loaded: dict[URIRef, Pairs] = defaultdict(set)
    for subject, predicate, obj in link_triples:
        loaded[predicate].add((subject, obj))
    for predicate, pairs in loaded.items():
        relations.add_pairs(predicate, pairs)
    pending: dict[URIRef, Pairs] = defaultdict(set)
    for predicate in rule_set.transitive:
        relation = relations.relation(predicate)
        closing = _equivalence_closure if predicate in rule_set.symmetric else _transitive_closure
        pending[predicate] |= relations.add_pairs(predicate, closing(relation))
    for result, first, second in rule_set.chains:
        joined = _join(relations.relation(first), relations.relation(second))
        pending[result] |= relations.add_pairs(result, joined)
    pending = defaultdict(set, {p: v for p, v in pending.items() if v})
    return _collect(_fixpoint(rule_set, relations, pending), loaded)


def _property_step(rule_set: Rules, relations: _Relations,
                   pending: dict[URIRef, Pairs]) -> dict[URIRef, Pairs]:
    """Apply the property rules to the newly added pairs; return the pairs they add."""
    produced: dict[URIRef, Pairs] = defaultdict(set)
    for predicate, new in pending.items():
        if new and not str.__eq__(predicate, TYPE):
            _derive(rule_set, relations, predicate, new, produced)
    added: dict[URIRef, Pairs] = defaultdict(set)
    for predicate, pairs in produced.items():
        fresh = relations.add_pairs(predicate, pairs)
        if fresh:
            added[predicate] |= fresh
    for predicate, new in pending.items():
        if not str.__eq__(predicate, TYPE):
            added[TYPE] |= _typed(rule_set, predicate, new)
    return {p: v for p, v in added.items() if v}


def _derive(rule_set: Rules, relations: _Relations, predicate: URIRef, new: Pairs,
            produced: dict[URIRef, Pairs]) -> None:
    """What the sub-property, inverse, symmetric, transitive and chain rules make of new pairs."""
    for sup in rule_set.super_properties.get(predicate, ()):
        produced[sup] |= new
    swapped = {(o, s) for s, o in new if type(o) is not Literal}  # isinstance: ABC, slow
    for inverse in rule_set.inverses.get(predicate, ()):
        produced[inverse] |= swapped
    if predicate in rule_set.symmetric:
        produced[predicate] |= swapped
    if predicate in rule_set.transitive:
        produced[predicate] |= _transitive_step(relations.relation(predicate), new)
    for result, first, second in rule_set.chains:
        if predicate == first:
            produced[result] |= _join(new, relations.relation(second))
        if predicate == second:
            produced[result] |= _join(relations.relation(first), new)


def _typed(rule_set: Rules, predicate: URIRef, new: Pairs) -> Pairs:
    """(subject, class) pairs from the domains and ranges of a property."""
    typed: Pairs = set()
    for cls in rule_set.domains.get(predicate, ()):
        typed |= {(s, cls) for s, _o in new}
    for cls in rule_set.ranges.get(predicate, ()):
        typed |= {(o, cls) for _s, o in new if type(o) is not Literal}
    return typed


def _type_step(rule_set: Rules, relations: _Relations, pending: dict[URIRef, Pairs]) -> None:
    """Add type pairs and their super-classes; the type pairs are consumed from ``pending``."""
    typed = pending.pop(TYPE, set())
    by_class: dict[URIRef, set[object]] = defaultdict(set)
    for subject, cls in typed:
        by_class[cls].add(subject)
    for cls, subjects in by_class.items():
        relations.add_types(cls, subjects)
        for sup in rule_set.super_classes.get(cls, ()):
            relations.add_types(sup, subjects)


def _transitive_step(relation: Pairs, new: Pairs) -> Pairs:
    """Pairs that the new pairs complete with the existing relation, to a fixpoint."""
    out: dict[object, set[object]] = defaultdict(set)
    into: dict[object, set[object]] = defaultdict(set)
    for s, o in relation:
        out[s].add(o)
        into[o].add(s)
    produced: Pairs = set()
    frontier = set(new)
    while frontier:
        step: Pairs = set()
        for s, o in frontier:
            step |= {(s, z) for z in out.get(o, ())}
            step |= {(w, o) for w in into.get(s, ())}
        step -= relation | produced
        for s, o in step:
            out[s].add(o)
            into[o].add(s)
        produced |= step
        frontier = step
    return produced


def _transitive_closure(relation: Pairs) -> Pairs:
    """The pairs transitivity adds to a relation."""
    return _transitive_step(set(relation), relation)


def _equivalence_closure(relation: Pairs) -> Pairs:
    """The pairs symmetry and transitivity add to a relation: every pair (reflexive ones too)
    within each connected part, found by union-find (a clique of n needs n² pairs, not n³
    steps). With a literal among the objects, which symmetry leaves alone, the general way.

    >>> sorted(_equivalence_closure({("a", "b"), ("c", "b")}))[:4]
    [('a', 'a'), ('a', 'c'), ('b', 'a'), ('b', 'b')]
    """
    if any(isinstance(o, Literal) for _s, o in relation):
        return _transitive_closure(relation | {(o, s) for s, o in relation
                                               if not isinstance(o, Literal)})
    parent: dict[object, object] = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for s, o in relation:
        parent[root(s)] = root(o)
    parts: dict[object, list[object]] = defaultdict(list)
    for node in list(parent):
        parts[root(node)].append(node)
    return {(a, b) for members in parts.values() for a in members for b in members} - relation


def _join(first: Pairs, second: Pairs) -> Pairs:
    """{(x, z) | (x, y) in first, (y, z) in second}, indexing the smaller side."""
    if not first or not second:
        return set()
    if len(second) <= len(first):
        following: dict[object, list[object]] = defaultdict(list)
        for y, z in second:
            following[y].append(z)
        return {(x, z) for x, y in first for z in following.get(y, ())}
    preceding: dict[object, list[object]] = defaultdict(list)
    for x, y in first:
        preceding[y].append(x)
    return {(x, z) for y, z in second for x in preceding.get(y, ())}


def _collect(relations: _Relations, asserted: dict[URIRef, Pairs]) -> TripleSet:
    """The pairs that are neither asserted nor in the base (which ``relations`` keeps apart),
    as triples, noise removed."""
    inferred = TripleSet()
    asserted_types = asserted.get(TYPE, set())
    for predicate, pairs in relations.pairs.items():
        for subject, obj in pairs - asserted.get(predicate, set()):
            triple = (subject, predicate, obj)
            if not is_noise(triple):
                inferred.add(triple)
    for cls, subjects in relations.types.items():
        for subject in subjects:
            triple = (subject, TYPE, cls)
            if (subject, cls) not in asserted_types and not is_noise(triple) \
                    and not isinstance(subject, BNode):
                inferred.add(triple)
    return inferred
