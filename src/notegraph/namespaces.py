"""The notegraph ontology as a closed rdflib namespace: a typo in a term fails at once.

Generated from ontology/notegraph.ttl by ``python -m notegraph.ontology``; do not edit.

>>> str(NG.Event)
'https://w3id.org/notegraph/ontology#Event'
"""

from rdflib import URIRef
from rdflib.namespace import DefinedNamespace, Namespace


class NG(DefinedNamespace):
    """Classes and properties of the notegraph ontology."""

    _fail = True
    _NS = Namespace("https://w3id.org/notegraph/ontology#")

    Actor: URIRef  # Actor
    Event: URIRef  # Event
    EventSeries: URIRef  # Event series
    Funder: URIRef  # Funder
    Host: URIRef  # Host
    InformationNote: URIRef  # Information Note
    NationalAgency: URIRef  # National agency
    Organisation: URIRef  # Organisation
    Organiser: URIRef  # Organiser
    Participant: URIRef  # Participant
    Participation: URIRef  # Participation
    Person: URIRef  # Person
    Place: URIRef  # Place
    Recommendation: URIRef  # Recommendation
    State: URIRef  # State
    Supporter: URIRef  # Supporter
    Topic: URIRef  # Topic
    acronym: URIRef  # acronym
    affiliation: URIRef  # affiliation
    agent: URIRef  # agent
    attendanceMode: URIRef  # attendance mode
    contentHash: URIRef  # content hash
    country: URIRef  # country
    datePrecision: URIRef  # date precision
    describedBy: URIRef  # described by
    disclaimer: URIRef  # disclaimer
    eventCount: URIRef  # event count
    figure: URIRef  # figure
    firstYear: URIRef  # first year
    followUpOf: URIRef  # follow-up of
    followedInSeriesBy: URIRef  # followed in series by
    followedUpBy: URIRef  # followed up by
    funder: URIRef  # funder
    hasPart: URIRef  # has part
    host: URIRef  # host
    hosted: URIRef  # hosted
    inSeries: URIRef  # in series
    involvedIn: URIRef  # involved in
    involves: URIRef  # involves
    lastYear: URIRef  # last year
    mentions: URIRef  # mentions
    objective: URIRef  # objective
    observer: URIRef  # observer
    organisationKind: URIRef  # organisation kind
    organised: URIRef  # organised
    organiser: URIRef  # organiser
    partOf: URIRef  # part of
    participant: URIRef  # participant
    participatedIn: URIRef  # participated in
    placeName: URIRef  # place name
    position: URIRef  # position
    precededInSeriesBy: URIRef  # preceded in series by
    qualifiedParticipation: URIRef  # qualified participation
    recommendation: URIRef  # recommendation
    recommendationsAttached: URIRef  # recommendations attached
    remoteParticipant: URIRef  # remote participant
    represented: URIRef  # represented
    role: URIRef  # role
    sameSeriesAs: URIRef  # same series as
    seriesOrdinal: URIRef  # series ordinal
    sourceFile: URIRef  # source file
    sourceLine: URIRef  # source line
    speaker: URIRef  # speaker
    supporter: URIRef  # supporter
    topic: URIRef  # topic
    unresolved: URIRef  # unresolved
    venue: URIRef  # venue
    warning: URIRef  # warning
