"""Records → RDF: one named graph per note, plus the gazetteer, topics and ontology graphs.

IRIs are stable and readable: States by ISO3 (``id/state/SRB``), organisations by gazetteer id
(``id/org/unoda``), events by date, city and a title slug, people by name and affiliation.

>>> from notegraph import parse_text
>>> record = parse_text("Event: Workshop on Export Control\\nOrganiser: UNODA\\n"
...                     "Date and Venue: 9-10 May 2013, Belgrade, Serbia\\n")
>>> str(event_iri(record))
'https://w3id.org/notegraph/id/event/2013-05-09-belgrade-workshop-export-control'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib import Graph, Literal, Namespace, URIRef

from notegraph import gazetteer as gazetteer_module
from notegraph import namespaces
from notegraph.gazetteer import Gazetteer, key_of
from notegraph.ontology import load_ontology
from notegraph.paths import posix_text, stem
from notegraph.prose import topic_scheme
from notegraph.quads import QuadStore, Terms, literal, minted, term
from notegraph.records import Actor, NoteRecord, RelatedEvent
from notegraph.workers import paused_collection

NG = Terms(namespaces.NG)  # each term made once, for the sets and dicts of the reasoner
RDF, RDFS, XSD = Terms(rdflib.RDF), Terms(rdflib.RDFS), Terms(rdflib.XSD)
SKOS, ORG, PROV = Terms(rdflib.SKOS), Terms(rdflib.ORG), Terms(rdflib.PROV)
ID = Namespace("https://w3id.org/notegraph/id/")
SCHEMA_NAMESPACE = Namespace("https://schema.org/")
SCHEMA = Terms(SCHEMA_NAMESPACE)
EU_COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
GRAPH_GAZETTEER = ID["graph/gazetteer"]
GRAPH_TOPICS = ID["graph/topics"]
GRAPH_ONTOLOGY = ID["graph/ontology"]
GRAPH_INFERRED = ID["graph/inferred"]
GRAPH_BUILD = ID["graph/build"]  # the store's generation
GRAPH_DERIVED = ID["graph/derived"]  # aggregates of the whole corpus (see notegraph.derived)
PREFIXES = {"ng": Namespace(str(namespaces.NG._NS)), "id": ID, "schema": SCHEMA_NAMESPACE,
            "skos": rdflib.SKOS, "org": rdflib.ORG, "prov": rdflib.PROV,
            "dcterms": rdflib.DCTERMS}
TITLE_STOPWORDS = {"the", "of", "on", "for", "and", "in", "to", "a", "an", "1540", "2004",
                   "resolution", "security", "council", "un", "united", "nations", "unsc", "unscr",
                   "implementation", "by", "with", "at", "under"}
ROLE_PROPERTY = {"host": NG.host, "organiser": NG.organiser, "supporter": NG.supporter,
                 "funder": NG.funder}
MODE_PROPERTY = {"in-person": NG.participant, "remote": NG.remoteParticipant,
                 "observer": NG.observer}
RELATION_PROPERTY = {"follow-up-of": NG.followUpOf, "earlier-in-series": NG.precededInSeriesBy,
                     "mentioned": NG.mentions}


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str, words: int = 12) -> str:
    """A lower-case, hyphenated IRI segment.

    >>> slug("Lomé (Togo)")
    'lome-togo'
    """
    return "-".join(key_of(text)[:words]) or "unnamed"


def note_iri(record: NoteRecord) -> URIRef:
    """The IRI of the note itself, from its file name."""
    return ID[f"note/{slug(stem(record.source))}"]


def note_graph_iri(record: NoteRecord) -> URIRef:
    """The named graph holding the facts asserted by one note."""
    return ID[f"graph/note/{slug(stem(record.source))}"]


def event_iri(record: NoteRecord) -> URIRef:
    """The event's IRI: start date, city and the first significant words of the title."""
    words = [w for w in key_of(record.title) if w not in TITLE_STOPWORDS][:4]
    parts = [record.start_date or "undated", slug(record.venue.city or "online")] + words
    return ID["event/" + "-".join(parts)]


def actor_iri(actor: Actor) -> URIRef:
    """States by ISO3, organisations by id."""
    return term(f"{ID}state/{actor.id}" if actor.kind == "state" else f"{ID}org/{actor.id}")


def state_iri(code: str) -> URIRef:
    return term(f"{ID}state/{code}")


def place_iri(city: str, country: str | None) -> URIRef:
    return term(f"{ID}place/{slug(city)}" + (f"-{country.lower()}" if country else ""))


def date_literal(value: str) -> Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` by precision."""
    datatype = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(value)]
    return literal(value, datatype=datatype)


@dataclass(frozen=True)
class EventIndex:
    """Events described by notes, so that a mention of one in another note links to it."""

    events: tuple[tuple[str, str, str, URIRef], ...]  # (city key, start, end, iri)

    @classmethod
    def of(cls, records: Iterable[NoteRecord]) -> EventIndex:
        return cls(tuple((slug(r.venue.city or ""), r.start_date or "", r.end_date or "",
                          event_iri(r)) for r in records if r.start_date))

    def find(self, related: RelatedEvent) -> URIRef:
        """The described event a mention refers to (the first in note order), or a new IRI from
        its date and city."""
        city = slug(related.city or "")
        found = self._lookup(city, related.start_date)
        return found if found is not None else ID[f"event/{related.start_date}-{city}"]

    def within(self, cities: set[str]) -> EventIndex:
        """The index of the events in these cities (city keys): for mentions of events in
        them, it finds what this one finds; ``described`` stays this one's.

        >>> index = EventIndex((("lome", "2014-06-02", "2014-06-03", URIRef("urn:e1")),
        ...                     ("kara", "2014-06-02", "2014-06-03", URIRef("urn:e2"))))
        >>> [e[0] for e in index.within({"kara"}).events], len(index.within(set()).described())
        (['kara'], 2)
        """
        index = EventIndex(tuple(event for event in self.events if event[0] in cities))
        object.__setattr__(index, "_described", self.described())
        return index

    def described(self) -> frozenset[URIRef]:
        """The IRIs of the described events."""
        return self._cached("_described", lambda: frozenset(e[3] for e in self.events))

    def _lookup(self, city: str, date: str) -> URIRef | None:
        """The first event in ``city`` whose dates, cut to the length of ``date``, span it."""
        exact, spanning = self._cached(f"_by_{len(date)}", lambda: self._by_prefix(len(date)))
        hits = [exact[(city, date)]] if (city, date) in exact else []
        hits += [(order, iri) for order, start, end, iri in spanning.get(city, ())
                 if start <= date <= end]
        return min(hits)[1] if hits else None

    def _by_prefix(self, size: int) -> tuple[dict, dict]:
        """Events by (city, each day they span cut to ``size``), with their note order; those
        with partial dates or spanning more than two months, by city, to be checked one by
        one."""
        exact: dict[tuple[str, str], tuple[int, URIRef]] = {}
        spanning: dict[str, list[tuple[int, str, str, URIRef]]] = {}
        spans = self._cached("_days", lambda: [_days(e[1], e[2]) for e in self.events])
        for order, ((city, start, end, iri), days) in enumerate(zip(self.events, spans,
                                                                    strict=True)):
            if days is None:
                spanning.setdefault(city, []).append((order, start[:size], end[:size], iri))
                continue
            for day in days:
                exact.setdefault((city, day[:size]), (order, iri))
        return exact, spanning

    def _cached(self, name: str, compute):
        if name not in self.__dict__:
            object.__setattr__(self, name, compute())
        return self.__dict__[name]


def _days(start: str, end: str) -> list[str] | None:
    """The days from ``start`` to ``end`` (ISO dates), or None for partial dates or more
    than 62 days.

    >>> _days("2015-06-30", "2015-07-01"), _days("2015-06", "2015-06")
    (['2015-06-30', '2015-07-01'], None)
    """
    import datetime

    if len(start) != 10 or len(end) != 10:
        return None
    if start == end:
        return [start]
    if start[:8] == end[:8] and start[8:].isdigit() and end[8:].isdigit() \
            and "01" <= start[8:] <= end[8:] <= "28":  # within one month: no calendar needed
        return [f"{start[:8]}{day:02d}" for day in range(int(start[8:]), int(end[8:]) + 1)]
    try:
        first, last = datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)
    except ValueError:
        return None
    if not 0 <= (last - first).days <= 62:
        return None
    return [(first + datetime.timedelta(days)).isoformat()
            for days in range((last - first).days + 1)]


def build_dataset(records: list[NoteRecord], gazetteer: Gazetteer | None = None,
                  root: Path | None = None) -> QuadStore:
    """The asserted dataset: ontology, topics, gazetteer and one graph per note.

    With ``root``, source files are recorded relative to it, so the same notes built from
    another folder give the same graph. Garbage collection is paused meanwhile: every triple
    made here lives on, and rdflib's terms keep their tuples tracked, so each collection
    would walk every triple made so far (half the time of 1,000 notes).
    """
    gazetteer = gazetteer or gazetteer_module.load()
    dataset = QuadStore()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    with paused_collection():
        ontology = dataset.graph(GRAPH_ONTOLOGY)
        for triple in load_ontology():
            ontology.add(triple)
        add_topics(dataset.graph(GRAPH_TOPICS))
        index = EventIndex.of(records)
        notes = [dataset.graph(note_graph_iri(record)) for record in records]
        for graph, record in zip(notes, records, strict=True):
            add_note(graph, record, index, root)
        add_gazetteer(dataset.graph(GRAPH_GAZETTEER), notes, gazetteer)
    return dataset


def add_topics(graph: Graph) -> None:
    """The topic list as a SKOS concept scheme."""
    scheme = term(f"{ID}topic/scheme")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, SKOS.prefLabel, literal("notegraph topics for 1540 outreach", lang="en")))
    for topic in topic_scheme():
        iri = term(f"{ID}topic/{topic['id']}")
        graph.add((iri, RDF.type, NG.Topic))
        graph.add((iri, SKOS.inScheme, scheme))
        graph.add((iri, SKOS.topConceptOf, scheme))
        graph.add((iri, SKOS.prefLabel, literal(topic["label"], lang="en")))
        graph.add((iri, SKOS.definition, literal(topic["definition"], lang="en")))


def add_gazetteer(graph: Graph, note_graphs: Iterable, gazetteer: Gazetteer) -> None:
    """The States and gazetteer organisations the notes' graphs name, with their parents."""
    states, organisations = set(), set()
    for triples in note_graphs:
        named_states, named_organisations = gazetteer_ids(triples, gazetteer)
        states |= named_states
        organisations |= named_organisations
    add_gazetteer_entries(graph, states, organisations, gazetteer)


STATE_PREFIX, ORG_PREFIX = str(ID["state/"]), str(ID["org/"])


def gazetteer_ids(triples: Iterable, gazetteer: Gazetteer) -> tuple[set[str], set[str]]:
    """The States and gazetteer organisations (with their parents) that triples name."""
    triples = triples if isinstance(triples, set | list | tuple) else list(triples)
    nodes = {s for s, _p, _o in triples}  # literals left out first: their hash is slow
    nodes.update([o for _s, _p, o in triples if type(o) is not Literal])
    states = {node[len(STATE_PREFIX):] for node in nodes
              if str.startswith(node, STATE_PREFIX) and isinstance(node, URIRef)}
    organisations = set()
    for node in nodes:
        if not str.startswith(node, ORG_PREFIX) or not isinstance(node, URIRef):
            continue
        identifier = node[len(ORG_PREFIX):]
        if identifier in gazetteer.organisations:
            organisations.add(identifier)
            organisations.update(a for a in gazetteer.ancestors(identifier)
                                 if a in gazetteer.organisations)
    return states, organisations


def add_gazetteer_entries(graph: Graph, states: set[str], organisations: set[str],
                          gazetteer: Gazetteer) -> None:
    """These States and organisations as gazetteer facts (with the States of organisations)."""
    states = set(states)
    for organisation_id in sorted(organisations):
        _add_organisation(graph, gazetteer.organisations[organisation_id], gazetteer, states)
    for code in sorted(states):
        _add_state(graph, code, gazetteer)


def _add_state(graph: Graph, code: str, gazetteer: Gazetteer) -> None:
    iri = state_iri(code)
    label = gazetteer.label("state", code)
    graph.add((iri, RDF.type, NG.State))
    graph.add((iri, RDFS.label, literal(label, lang="en")))
    graph.add((iri, SKOS.prefLabel, literal(label, lang="en")))
    graph.add((iri, SKOS.notation, literal(code)))
    graph.add((iri, SKOS.exactMatch, term(f"{EU_COUNTRY}{code}")))


def _add_organisation(graph: Graph, org, gazetteer: Gazetteer, states: set[str]) -> None:
    iri = term(f"{ID}org/{org.id}")
    kind = NG.NationalAgency if org.kind == "national-agency" else NG.Organisation
    graph.add((iri, RDF.type, kind))
    graph.add((iri, RDFS.label, literal(org.name, lang="en")))
    graph.add((iri, SKOS.prefLabel, literal(org.name, lang="en")))
    graph.add((iri, NG.organisationKind, literal(org.kind)))
    if org.acronym:
        graph.add((iri, NG.acronym, literal(org.acronym)))
    for other in org.other_names:
        graph.add((iri, SKOS.altLabel, literal(other, lang="en")))
    if org.part_of in gazetteer.organisations:
        graph.add((iri, ORG.subOrganizationOf, term(f"{ID}org/{org.part_of}")))
    elif org.part_of:
        graph.add((iri, NG.partOf, state_iri(org.part_of)))
        states.add(org.part_of)


def add_note(graph: Graph, record: NoteRecord, index: EventIndex,
             root: Path | None = None) -> None:
    """Every fact one note asserts, in that note's graph."""
    note, event = note_iri(record), event_iri(record)
    graph.add((note, RDF.type, NG.InformationNote))
    graph.add((note, NG.sourceFile, literal(posix_text(record.source, root))))
    graph.add((note, NG.contentHash, literal(record.content_hash)))
    if record.disclaimer:
        graph.add((note, NG.disclaimer, literal(record.disclaimer)))
    for warning in record.warnings:
        graph.add((note, NG.warning, literal(f"line {warning.line}: {warning.message}")))
    graph.add((event, RDF.type, NG.Event))
    graph.add((event, NG.describedBy, note))
    graph.add((event, SCHEMA.name, literal(record.title, lang="en")))
    _add_when_where(graph, event, record)
    _add_actors(graph, event, note, record)
    _add_content(graph, event, record)
    _add_related(graph, event, record, index)


def _add_when_where(graph: Graph, event: URIRef, record: NoteRecord) -> None:
    if record.start_date:
        graph.add((event, SCHEMA.startDate, date_literal(record.start_date)))
        graph.add((event, SCHEMA.endDate, date_literal(record.end_date or record.start_date)))
        graph.add((event, NG.datePrecision, literal(record.date_precision)))
    if record.venue.city:
        place = place_iri(record.venue.city, record.venue.country)
        graph.add((event, NG.venue, place))
        graph.add((place, RDF.type, NG.Place))
        graph.add((place, SCHEMA.name, literal(record.venue.city)))
        if record.venue.country:
            graph.add((place, NG.country, state_iri(record.venue.country)))
    if record.venue.place:
        graph.add((event, NG.placeName, literal(record.venue.place)))
    if record.series_ordinal:
        series = term(f"{ID}series/{slug(record.series_title or '')}")
        graph.add((event, NG.inSeries, series))
        graph.add((event, NG.seriesOrdinal, literal(record.series_ordinal)))
        graph.add((series, RDF.type, NG.EventSeries))
        graph.add((series, SCHEMA.name, literal(record.series_title, lang="en")))


def _add_actors(graph: Graph, event: URIRef, note: URIRef, record: NoteRecord) -> None:
    for actor in record.organisers:
        _add_participation(graph, event, note, actor, actor.role or "organiser",
                           ROLE_PROPERTY[actor.role or "organiser"])
    for actor in record.participants:
        _add_participation(graph, event, note, actor, "participant",
                           MODE_PROPERTY[actor.mode or "in-person"])


def _add_participation(graph: Graph, event: URIRef, note: URIRef, actor: Actor, role: str,
                       prop: URIRef) -> None:
    agent, name = _agent(actor.kind == "state", actor.id)
    graph.add((event, prop, agent))
    qualified = minted(f"{event}/participation/{name}-{role}")
    graph.add((event, NG.qualifiedParticipation, qualified))
    graph.add((qualified, RDF.type, NG.Participation))
    graph.add((qualified, NG.agent, agent))
    graph.add((qualified, NG.role, literal(role)))
    if actor.mode:
        graph.add((qualified, NG.attendanceMode, literal(actor.mode)))
    graph.add((qualified, NG.sourceLine, literal(actor.line)))
    graph.add((qualified, PROV.wasDerivedFrom, note))
    graph.add((qualified, RDFS.label, literal(actor.name)))
    if actor.resolved_by != "gazetteer" or actor.unresolved:
        _add_minted_actor(graph, agent, actor)


@functools.lru_cache(maxsize=1 << 16)
def _agent(state: bool, identifier: str) -> tuple[URIRef, str]:
    """An actor's IRI (as ``actor_iri``) and how its participations' IRIs name it.

    >>> _agent(True, "GRC")[1], _agent(False, "grc")[1]  # Greece is not the GRC
    ('state-grc', 'org-grc')
    """
    kind = "state" if state else "org"
    return term(f"{ID}{kind}/{identifier}"), f"{kind}-{slug(identifier, 20)}"


def _add_minted_actor(graph: Graph, agent: URIRef, actor: Actor) -> None:
    """Actors found by pattern or left unresolved are described in the note's own graph."""
    if actor.kind == "state":
        return
    kind = NG.NationalAgency if actor.org_kind == "national-agency" else NG.Organisation
    graph.add((agent, RDF.type, kind))
    graph.add((agent, RDFS.label, literal(actor.label or actor.name, lang="en")))
    if actor.part_of:
        graph.add((agent, NG.partOf, state_iri(actor.part_of)))
    if actor.acronym:
        graph.add((agent, NG.acronym, literal(actor.acronym)))
    if actor.unresolved:
        graph.add((agent, NG.unresolved, literal(True)))


def _add_content(graph: Graph, event: URIRef, record: NoteRecord) -> None:
    for text in record.objectives:
        graph.add((event, NG.objective, literal(text, lang="en")))
    for topic in record.topics:
        graph.add((event, NG.topic, term(f"{ID}topic/{topic}")))
    for number, text in enumerate(record.recommendations, start=1):
        recommendation = minted(f"{event}/recommendation/{number}")
        graph.add((event, NG.recommendation, recommendation))
        graph.add((recommendation, RDF.type, NG.Recommendation))
        graph.add((recommendation, SCHEMA.text, literal(text, lang="en")))
        graph.add((recommendation, SCHEMA.position, literal(number)))
    graph.add((event, NG.recommendationsAttached, literal(record.recommendations_attached)))
    for figure in record.figures:
        graph.add((event, NG.figure, literal(figure.text)))
    if record.contact:
        graph.add((event, SCHEMA.email, literal(record.contact)))
    for url in record.urls:
        graph.add((event, SCHEMA.url, literal(url, datatype=XSD.anyURI)))
    for person in record.people:
        affiliation = person.affiliation_id or person.affiliation
        iri = minted(f"{ID}person/{slug(person.name)}-{slug(affiliation, 6)}")
        graph.add((event, NG.speaker, iri))
        graph.add((iri, RDF.type, NG.Person))
        graph.add((iri, SCHEMA.name, literal(person.name)))
        if person.title:
            graph.add((iri, SCHEMA.honorificPrefix, literal(person.title)))
        if person.position:
            graph.add((iri, NG.position, literal(person.position, lang="en")))
        if person.affiliation_id:
            kind = "state" if person.affiliation_id.isupper() else "organisation"
            graph.add((iri, NG.affiliation, actor_iri(Actor("", person.affiliation_id, kind))))


def _add_related(graph: Graph, event: URIRef, record: NoteRecord, index: EventIndex) -> None:
    described = index.described()
    for related in record.related_events:
        other = index.find(related)
        if other == event:
            continue
        graph.add((event, RELATION_PROPERTY[related.relation], other))
        if other in described:
            continue
        graph.add((other, RDF.type, NG.Event))
        graph.add((other, SCHEMA.name, literal(related.title, lang="en")))
        graph.add((other, SCHEMA.startDate, date_literal(related.start_date)))
        graph.add((other, SCHEMA.endDate, date_literal(related.end_date)))
        graph.add((other, NG.datePrecision, literal(related.date_precision)))
        if related.city:
            place = place_iri(related.city, related.country)
            graph.add((other, NG.venue, place))
            graph.add((place, RDF.type, NG.Place))
            graph.add((place, SCHEMA.name, literal(related.city)))
            if related.country:
                graph.add((place, NG.country, state_iri(related.country)))
