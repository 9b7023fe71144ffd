"""Fast OWL-RL reasoning for notegraph's fixed ontology: the same ABox entailments as owlrl.

The ontology is small and fixed, so its rules are derived once (:mod:`notegraph.ruleset`):
sub-properties, inverse and symmetric properties, domains and ranges with their super-classes,
transitive properties and property chains (``involves ∘ partOf ⊑ involves``). The rules that
take one triple are compiled, per predicate, into a :class:`Plan`: everything one triple entails
on its own (the triples of its super-properties and inverses, and the classes of its subject and
object), so a triple is expanded in one step. The rules that join two triples (transitive
properties, chains) join each new triple with the relations indexed by node, and what they make
is expanded in turn, to a fixpoint.

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

from collections import defaultdict
from typing import NamedTuple

from rdflib import RDF, Literal, URIRef

from notegraph.quads import TripleSet, term
from notegraph.reason import PLAIN_TYPES, without_noise
from notegraph.ruleset import (  # noqa: F401  (the rules' API, kept importable from here)
    RULES_PATH,
    Rules,
    bystander_steps,
    derive_rules,
    link_predicates,
    ontology_digest,
    rules,
    rules_from_json,
    rules_json,
)

TYPE = term(str(RDF.type))


class Plan(NamedTuple):
    """What one triple of a predicate entails on its own (one-premise rules), given whether
    its subject and object are literals: ``steps``, the other triples, each as a predicate,
    whether subject and object are swapped and whether the predicate is a link; the classes
    of its subject and of its object (with their super-classes, noise types left out);
    whether its own predicate is a link (joins)."""

    steps: tuple[tuple[URIRef, bool, bool], ...]
    subject_classes: frozenset[URIRef]
    object_classes: frozenset[URIRef]
    link: bool


TYPING = Plan((), frozenset(), frozenset(), False)  # rdf:type: the object's classes


class Compiled:
    """The rules of one rule set as plans by predicate, made when first needed, and the
    chains by their steps.

    >>> from notegraph.namespaces import NG
    >>> plan = compiled().plan(NG.host, False, False)
    >>> (NG.hosted, True, False) in plan.steps, NG.Organiser in plan.object_classes
    (True, True)
    >>> any(swapped for _step, swapped, _link in compiled().plan(NG.host, False, True).steps)
    False
    """

    def __init__(self, rule_set: Rules) -> None:
        self.rules = rule_set
        self.links = link_predicates()
        self.transitive = rule_set.transitive
        # predicate → the joins its new triples take part in: (result, the other premise's
        # predicate, whether it follows the new triple (else it comes before))
        self.joins: dict[URIRef, list[tuple[URIRef, URIRef, bool]]] = defaultdict(list)
        for predicate in rule_set.transitive:
            self.joins[predicate] += [(predicate, predicate, True), (predicate, predicate, False)]
        for result, first, second in rule_set.chains:
            self.joins[first].append((result, second, True))
            self.joins[second].append((result, first, False))
        self.joins = dict(self.joins)
        # the link predicates whose objects (subjects) the joins read by subject (object)
        self.read_forward = frozenset(other for found in self.joins.values()
                                      for _result, other, forward in found if forward)
        self.read_backward = frozenset(other for found in self.joins.values()
                                       for _result, other, forward in found if not forward)
        self.resource_plans: dict[URIRef, Plan] = {}  # subject and object not literals
        self.literal_plans: dict[URIRef, Plan] = {}  # the object a literal
        self._classes: dict[URIRef, frozenset[URIRef]] = {}

    def plan(self, predicate: URIRef, subject_literal: bool, object_literal: bool) -> Plan:
        """The plan of a triple: its predicate, whether its subject, its object are literals."""
        if not subject_literal:
            plans = self.literal_plans if object_literal else self.resource_plans
            found = plans.get(predicate)
            if found is None:
                found = plans[predicate] = self._plan(predicate, False, object_literal)
            return found
        return self._plan(predicate, subject_literal, object_literal)

    def classes(self, cls: URIRef) -> frozenset[URIRef]:
        """A class and its super-classes, noise types left out (see ``reason.PLAIN_TYPES``)."""
        found = self._classes.get(cls)
        if found is None:
            every = {cls} | self.rules.super_classes.get(cls, frozenset())
            found = self._classes[cls] = frozenset(every - PLAIN_TYPES)
        return found

    def _plan(self, predicate: URIRef, subject_literal: bool, object_literal: bool) -> Plan:
        """Every (predicate, swapped) that the triple's sub-property, inverse and symmetric
        rules reach; a triple whose object is a literal is never swapped (a literal is never
        a subject), nor one whose subject is a literal swapped back."""
        if str.__eq__(predicate, TYPE):  # rdflib's __eq__ is slow; no plain str is a term
            return TYPING
        rule_set = self.rules
        start = (predicate, False)
        reached, frontier = {start}, [start]
        while frontier:
            current, swapped = frontier.pop()
            following = {(p, swapped) for p in rule_set.super_properties.get(current, ())}
            if not (subject_literal if swapped else object_literal):
                following |= {(p, not swapped) for p in rule_set.inverses.get(current, ())}
                if current in rule_set.symmetric:
                    following.add((current, not swapped))
            for new in following - reached:
                if str.__eq__(new[0], TYPE):
                    raise ValueError(f"{predicate} entails rdf:type triples: not supported")
                reached.add(new)
                frontier.append(new)
        subject_classes: set[URIRef] = set()
        object_classes: set[URIRef] = set()
        for current, swapped in reached:
            first, second = (object_classes, subject_classes) if swapped else (
                subject_classes, object_classes)
            for cls in rule_set.domains.get(current, ()):
                first |= self.classes(cls)
            if not (subject_literal if swapped else object_literal):
                for cls in rule_set.ranges.get(current, ()):
                    second |= self.classes(cls)
        steps = tuple((step, swapped, step in self.links)
                      for step, swapped in sorted(reached - {start}))
        return Plan(steps, frozenset(subject_classes), frozenset(object_classes),
                    predicate in self.links)


_COMPILED: dict[int, Compiled] = {}


def compiled() -> Compiled:
    """The plans of the current rules (made again when the rules are read again)."""
    rule_set = rules()
    found = _COMPILED.get(id(rule_set))
    if found is None or found.rules is not rule_set:
        _COMPILED.clear()
        found = _COMPILED[id(rule_set)] = Compiled(rule_set)
    return found


class _Closing:
    """A graph being closed, over a closed ``base``: the triples found beyond the base, the
    link triples indexed by node both ways for the joins, the classes of nodes still to be
    written as types, the link triples not joined yet."""

    def __init__(self, base: Closure | None = None) -> None:
        self.plans = compiled()
        self.found: set[tuple] = set()
        self.base: frozenset | set = base.triples if base is not None else frozenset()
        self.base_out = base.out if base is not None else {}
        self.base_in = base.into if base is not None else {}
        self.base_subjects = base.subjects if base is not None else frozenset()
        self.out: dict[URIRef, dict] = defaultdict(_index)
        self.into: dict[URIRef, dict] = defaultdict(_index)
        self.typed: dict[frozenset, set] = defaultdict(set)
        self.pending: list[tuple] = []

    def expand(self, triples, asserted: bool = True) -> None:
        """Add triples and what each entails on its own (their joins wait in ``pending``).
        An asserted triple with nothing to entail but classes is not kept: it is not
        inferred, and joins nothing."""
        plans, found, base, typed = self.plans, self.found, self.base, self.typed
        resource_plans, literal_plans = plans.resource_plans, plans.literal_plans
        for triple in triples:
            subject, predicate, obj = triple
            if type(subject) is Literal:  # rdflib's terms are ABCs: isinstance is slow
                plan = plans.plan(predicate, True, type(obj) is Literal)
            else:
                plan = (literal_plans if type(obj) is Literal else resource_plans).get(
                    predicate) or plans.plan(predicate, False, type(obj) is Literal)
            if plan is TYPING:
                typed[plans.classes(obj)].add(subject)
                continue
            steps, subject_classes, object_classes, link = plan
            if steps or link or not asserted:
                if triple in found or triple in base:
                    continue
                if link or not asserted:
                    self._found(triple, link)
                for step, swapped, step_link in steps:
                    made = (obj, step, subject) if swapped else (subject, step, obj)
                    if made not in found and made not in base:
                        if step_link:
                            self._found(made, True)
                        else:
                            found.add(made)
            if subject_classes:
                typed[subject_classes].add(subject)
            if object_classes:
                typed[object_classes].add(obj)

    def _found(self, triple: tuple, link: bool) -> None:
        self.found.add(triple)
        if link:
            self._index(triple)
            self.pending.append(triple)

    def _index(self, triple: tuple) -> None:
        """Index a link triple the ways the joins read it."""
        subject, predicate, obj = triple
        if predicate in self.plans.read_forward:
            self.out[predicate][subject].add(obj)
        if predicate in self.plans.read_backward:
            self.into[predicate][obj].add(subject)

    def load(self, triples) -> None:
        """Add link triples closed already, indexed for the joins but neither expanded nor
        joined."""
        self.found |= triples
        out, into = self.out, self.into
        forward, backward = self.plans.read_forward, self.plans.read_backward
        for subject, predicate, obj in triples:
            if predicate in forward:
                out[predicate][subject].add(obj)
            if predicate in backward:
                into[predicate][obj].add(subject)

    def join(self) -> None:
        """Join the pending link triples with the indexed relations, expand what that makes,
        to a fixpoint (semi-naively: each pair of premises meets when the later one is
        joined, the earlier one indexed by then)."""
        joins, out, into = self.plans.joins, self.out, self.into
        base_out, base_in = self.base_out, self.base_in
        while self.pending:
            batch, self.pending = self.pending, []
            made = []
            for subject, predicate, obj in batch:
                for result, other, forward in joins.get(predicate, ()):
                    if forward:  # (subject, obj) then (obj, z): (subject, result, z)
                        for nodes in (out[other].get(obj), base_out.get(other, {}).get(obj)):
                            if nodes:
                                made += [(subject, result, z) for z in nodes]
                    else:  # (w, subject) then (subject, obj): (w, result, obj)
                        for nodes in (into[other].get(subject),
                                      base_in.get(other, {}).get(subject)):
                            if nodes:
                                made += [(w, result, obj) for w in nodes]
            self.expand(made, asserted=False)

    def close(self) -> set[tuple]:
        """Join to a fixpoint, then write the types: every triple found beyond the base."""
        self.join()
        found, base, base_subjects = self.found, self.base, self.base_subjects
        for classes, nodes in self.typed.items():
            known = nodes & base_subjects  # only these can have types in the base
            if known:
                found |= {(node, TYPE, cls) for node in known for cls in classes} - base
                nodes = nodes - known
            found.update([(node, TYPE, cls) for node in nodes for cls in classes])
        self.typed.clear()
        return found


def _index() -> defaultdict:
    """Nodes by node: the objects of each subject, or the subjects of each object."""
    return defaultdict(set)


class Closure:
    """The closed triples of a graph, to reason many small graphs against (see ``base``),
    with its link triples indexed by node.

    >>> from rdflib import Namespace
    >>> from notegraph.namespaces import NG
    >>> ID = Namespace("https://w3id.org/notegraph/id/")
    >>> shared = Closure([(ID.cpc, NG.partOf, ID.osce)])
    >>> (ID.e, NG.involves, ID.osce) in reason_fast([(ID.e, NG.organiser, ID.cpc)], shared)
    True
    """

    def __init__(self, triples) -> None:
        triples = list(triples)
        closing = _Closing()
        closing.expand(triples)
        self.triples = frozenset(closing.close().union(triples))
        self.subjects = frozenset(triple[0] for triple in self.triples)
        self.out, self.into = dict(closing.out), dict(closing.into)


def reason_fast(graph, base: Closure | None = None) -> TripleSet:
    """The triples OWL-RL infers from ``graph`` plus the ontology, noise removed (owlrl-equal).

    With ``base``, the graph is reasoned together with the base's (already closed) triples, and
    only what the graph adds is returned: neither the base's own inferences nor its triples.
    """
    asserted = graph if isinstance(graph, set) else set(graph)
    closing = _Closing(base)
    closing.expand(asserted)
    return _inferred(closing.close(), asserted)


def _inferred(found: set, asserted) -> TripleSet:
    """The triples found that were not asserted, noise removed."""
    inferred = TripleSet()
    inferred.update(without_noise(found - asserted))
    return inferred


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
    loaded = set(link_triples)
    closing = _Closing()
    closing.load(loaded)  # each closed within its part
    relations: dict[URIRef, set[tuple]] = defaultdict(set)
    for subject, predicate, obj in loaded:
        relations[predicate].add((subject, obj))
    rule_set, made = closing.plans.rules, []
    for predicate in rule_set.transitive:
        closing_rule = _equivalence_closure if predicate in rule_set.symmetric \
            else _transitive_closure
        made += [(s, predicate, o) for s, o in closing_rule(relations[predicate])]
    for result, first, second in rule_set.chains:
        made += [(s, result, o) for s, o in _join(relations[first], relations[second])]
    closing.expand(made, asserted=False)
    return _inferred(closing.close(), loaded)


def _transitive_closure(relation: set[tuple]) -> set[tuple]:
    """The pairs transitivity adds to a relation.

    >>> sorted(_transitive_closure({("a", "b"), ("b", "c"), ("c", "d")}))
    [('a', 'c'), ('a', 'd'), ('b', 'd')]
    """
    out: dict[object, set[object]] = defaultdict(set)
    into: dict[object, set[object]] = defaultdict(set)
    for s, o in relation:
        out[s].add(o)
        into[o].add(s)
    produced: set[tuple] = set()
    frontier = set(relation)
    while frontier:
        step: set[tuple] = set()
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


def _equivalence_closure(relation: set[tuple]) -> set[tuple]:
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


def _join(first: set[tuple], second: set[tuple]) -> set[tuple]:
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
