"""The ABox rules of notegraph's fixed ontology, derived once from its owlrl-closed TBox.

owlrl closes the TBox (the sub-property and sub-class hierarchies, inverses, domains and
ranges); what remains are rules over relations, which :mod:`notegraph.fastreason` applies:
sub-properties, inverse and symmetric properties, domains and ranges with their super-classes,
transitive properties and two-step property chains. They are saved in ``ontology/rules.json``,
stamped with the ontology's SHA-256, so that a build does not run owlrl.

>>> from notegraph.namespaces import NG
>>> (NG.involves, NG.involves, NG.partOf) in rules().chains
True
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, Graph, URIRef

from notegraph.ontology import ONTOLOGY_PATH, load_ontology
from notegraph.quads import term


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


@functools.cache
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
