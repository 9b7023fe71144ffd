"""Stored queries: ``queries/*.rq`` files with a ``#+`` metadata header, and safe parameters.

A query file stays valid SPARQL: its header is comment lines starting with ``#+`` that hold YAML::

    #+ summary: Events a State took part in
    #+ params:
    #+   - {name: state, type: state, help: "a State name or ISO3 code"}
    #+ tags: [states]

Parameter values are checked against their type and turned into RDF terms; they are never spliced
into the query text as they come. Each term is written escaped (``sparql_term``) in a ``VALUES``
block at the start of the WHERE clause, locally and remotely alike: Oxigraph's optimiser then
starts from the bound term (with its substitutions it does not see them).

>>> catalogue = load_catalogue()
>>> query = catalogue["state-events"]
>>> query.summary
'Events a State took part in, directly or through its national agencies'
>>> bind_parameters(query, {"state": "Türkiye"})
{'state': rdflib.term.URIRef('https://w3id.org/notegraph/id/state/TUR')}
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rdflib import XSD, Literal, URIRef

from notegraph import gazetteer as gazetteer_module
from notegraph.build import ID
from notegraph.errors import NotegraphError

QUERIES_DIR = Path(__file__).resolve().parents[2] / "queries"
TYPES = ("iri", "state", "organisation", "event", "topic", "string", "date", "year", "integer")
UNSAFE_IRI = re.compile(r"[\s<>\"{}|\\^`]")


class QueryError(NotegraphError):
    """A stored query that does not exist or is malformed."""


class ParameterError(NotegraphError):
    """A parameter value that does not fit its type."""


@dataclass(frozen=True)
class Parameter:
    """One typed parameter of a stored query."""

    name: str
    type: str
    default: Any = None
    help: str = ""


@dataclass(frozen=True)
class StoredQuery:
    """A query file: its name, metadata and SPARQL text."""

    name: str
    summary: str
    description: str
    params: tuple[Parameter, ...]
    tags: tuple[str, ...]
    text: str
    path: Path
    kind: str = field(default="SELECT")
    pagination: int | None = None
    page_keys: str | None = None


def load_catalogue(folder: Path | None = None) -> dict[str, StoredQuery]:
    """Every stored query in the folder, by name (the file name without ``.rq``)."""
    return dict(_load(folder or QUERIES_DIR))


@functools.cache
def _load(folder: Path) -> tuple[tuple[str, StoredQuery], ...]:
    return tuple((path.stem, read_query(path)) for path in sorted(folder.glob("*.rq")))


def read_query(path: Path) -> StoredQuery:
    """Parse one query file's header and body."""
    text = path.read_text(encoding="utf-8")
    header = "\n".join(line[3:] if line.startswith("#+ ") else line[2:]
                       for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as exc:
        raise QueryError(f"{path}: the #+ header is not valid YAML ({exc})") from exc
    if not meta.get("summary"):
        raise QueryError(f"{path}: the header needs a '#+ summary:' line")
    params = tuple(Parameter(name=p["name"], type=p["type"], default=p.get("default"),
                             help=p.get("help", "")) for p in meta.get("params") or [])
    for param in params:
        if param.type not in TYPES:
            raise QueryError(f"{path}: parameter {param.name} has unknown type {param.type}; "
                             f"use one of {', '.join(TYPES)}")
    kind = "CONSTRUCT" if re.search(r"^\s*CONSTRUCT\b", _body(text), re.I | re.M) else "SELECT"
    pagination, page_keys = _pagination(path, meta, text)
    return StoredQuery(name=path.stem, summary=meta["summary"],
                       description=meta.get("description", ""), params=params,
                       tags=tuple(meta.get("tags") or ()), text=text, path=path, kind=kind,
                       pagination=pagination, page_keys=page_keys)


def _pagination(path: Path, meta: dict, text: str) -> tuple[int | None, str | None]:
    """The header's page size and keys query (with the file's prefixes), checked."""
    size, keys = meta.get("pagination"), meta.get("page-keys")
    if size is None:
        if keys is not None:
            raise QueryError(f"{path}: '#+ page-keys:' needs a '#+ pagination: N' line")
        return None, None
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise QueryError(f"{path}: '#+ pagination:' takes a whole number of rows per page, "
                         f"not {size!r}")
    if keys is None:
        return size, None
    keys = f"{prologue(_body(text))}\n{str(keys).strip()}\n"
    _check_keys(path, keys, _body(text))
    return size, keys


def prologue(text: str) -> str:
    """The query's PREFIX and BASE lines.

    >>> prologue("PREFIX ng: <urn:ng#>\\nSELECT * WHERE { ?s ?p ?o }")
    'PREFIX ng: <urn:ng#>'
    """
    return "\n".join(line for line in text.splitlines()
                     if re.match(r"\s*(PREFIX|BASE)\b", line, re.I))


def _check_keys(path: Path, keys: str, body: str) -> None:
    """The keys query must select the first variables of the query's final ORDER BY."""
    names = projected(keys)
    _, order = split_order(body)
    leading = [name for name, _descending in order[:len(names)]]
    if not names or leading != names:
        raise QueryError(f"{path}: the page-keys query selects {_listed(names)}; it must "
                         f"select the first variables of the query's final ORDER BY, "
                         f"here {_listed(leading) or 'none (add an ORDER BY)'}")


def _listed(names: list[str]) -> str:
    return " ".join(f"?{name}" for name in names)


def projected(text: str) -> list[str]:
    """The plain variables a SELECT projects (expressions ``(... AS ?x)`` left out).

    >>> projected("SELECT DISTINCT ?a (COUNT(?b) AS ?n) ?c WHERE { ?a ?b ?c }")
    ['a', 'c']
    """
    match = re.search(r"\bSELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\b", text,
                      re.I | re.S)
    if match is None:
        return []
    clause = match.group(1)
    while "(" in clause:  # expressions, innermost parentheses first
        clause = re.sub(r"\([^()]*\)", " ", clause)
    return re.findall(r"\?(\w+)", clause)


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def bind_parameters(query: StoredQuery, values: dict[str, str]) -> dict[str, URIRef | Literal]:
    """Check each value against its parameter's type and turn it into an RDF term.

    Unknown parameter names are an error; parameters left out take their default, or stay
    unbound when they have none.
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ParameterError(f"query {query.name} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {', '.join(known) or 'none'}")
    bound = {}
    for name, param in known.items():
        value = values.get(name, param.default)
        if value is not None and value != "":
            bound[name] = to_term(param, str(value))
    return bound


def to_term(param: Parameter, value: str) -> URIRef | Literal:
    """One parameter value as an RDF term, or a ParameterError saying what is wrong."""
    converter = {"iri": _iri, "state": _state, "organisation": _organisation, "event": _event,
                 "topic": _topic, "string": Literal, "date": _date, "year": _integer,
                 "integer": _integer}[param.type]
    try:
        return converter(value)
    except ParameterError as error:
        raise ParameterError(f"parameter {param.name}: {error}") from None


def _iri(value: str) -> URIRef:
    value = value.strip().removeprefix("<").removesuffix(">")
    if UNSAFE_IRI.search(value) or not re.match(r"^[a-z][a-z0-9+.-]*:", value, re.I):
        raise ParameterError(f"{value!r} is not an absolute IRI")
    return URIRef(value)


def _state(value: str) -> URIRef:
    found = gazetteer_module.load()
    code = value.strip().upper() if re.fullmatch(r"[A-Za-z]{3}", value.strip()) else None
    if code is None or code not in found.state_labels:
        code = found.state(value)
    if code is None:
        raise _unknown(value, "a State")
    return ID[f"state/{code}"]


def _organisation(value: str) -> URIRef:
    found = gazetteer_module.load()
    org = found.organisations.get(value.strip()) or found.organisation(value)
    if org is None:
        if re.fullmatch(r"[a-z]{3}-[a-z0-9-]+", value.strip()):
            return ID[f"org/{value.strip()}"]  # a national agency found by pattern
        raise _unknown(value, "an organisation")
    return ID[f"org/{org.id}"]


def _unknown(value: str, what: str) -> ParameterError:
    """The error for a name the gazetteer does not know, with the closest names it does."""
    close = gazetteer_module.load().close_matches(value)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return ParameterError(f"{value!r} is not {what} notegraph knows{hint}")


def _event(value: str) -> URIRef:
    value = value.strip()
    if value.startswith(str(ID)):
        return _iri(value)
    if not re.fullmatch(r"[0-9]{4}(?:-[0-9]{2}){0,2}-[a-z0-9-]+", value):
        raise ParameterError(f"{value!r} is not an event id such as "
                             "2013-05-09-belgrade-regional-workshop (see the 'events' query)")
    return ID[f"event/{value}"]


def _topic(value: str) -> URIRef:
    from notegraph.prose import topic_scheme

    for topic in topic_scheme():
        if value.strip().lower() in (topic["id"], topic["label"].lower()):
            return ID[f"topic/{topic['id']}"]
    known = ", ".join(t["id"] for t in topic_scheme())
    raise ParameterError(f"{value!r} is not a topic; known topics: {known}")


def _date(value: str) -> Literal:
    try:
        return Literal(date.fromisoformat(value.strip()).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ParameterError(f"{value!r} is not a date such as 2015-05-26") from None


def _integer(value: str) -> Literal:
    if not re.fullmatch(r"-?\d{1,9}", value.strip()):
        raise ParameterError(f"{value!r} is not a whole number")
    return Literal(int(value.strip()))


def sparql_term(term: URIRef | Literal) -> str:
    """An RDF term written for a SPARQL ``VALUES`` block, escaped.

    >>> print(sparql_term(Literal('say "hi" \\\\ } UNION {')))
    "say \\"hi\\" \\\\ } UNION {"
    """
    if isinstance(term, URIRef):
        if UNSAFE_IRI.search(term):
            raise ParameterError(f"{term!r} cannot be written as an IRI")
        return f"<{term}>"
    escaped = (str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


def with_values(text: str, bindings: dict[str, URIRef | Literal]) -> str:
    """The query with a ``VALUES`` block for the bindings at the start of its WHERE clause, and
    one for the bindings a sub-select projects at the start of that sub-select (a sub-select
    is evaluated on its own, so it would otherwise read every value before the join keeps
    one; joined with the same one row, the result is the same).

    >>> print(with_values("SELECT ?y ?n WHERE { { SELECT ?y ?n WHERE { ?n <urn:y> ?y } } }",
    ...                   {"y": URIRef("urn:y1")}))
    SELECT ?y ?n WHERE {
      VALUES (?y) { (<urn:y1>) }
     { SELECT ?y ?n WHERE {
      VALUES (?y) { (<urn:y1>) }
     ?n <urn:y> ?y } } }
    """
    if not bindings:
        return text
    inserts = [(first_where(text), _values_block(bindings))]
    for match in re.finditer(r"\{\s*SELECT\s+(.*?)\bWHERE\s*\{", text, re.I | re.S):
        own = {name: term for name, term in bindings.items()
               if name in projected(f"SELECT {match.group(1)} WHERE")}
        if own:
            inserts.append((match.end(), _values_block(own)))
    for offset, block in sorted(inserts, reverse=True):
        text = text[:offset] + block + text[offset:]
    return text


def _values_block(bindings: dict[str, URIRef | Literal]) -> str:
    names = " ".join(f"?{name}" for name in bindings)
    row = " ".join(sparql_term(term) for term in bindings.values())
    return f"\n  VALUES ({names}) {{ ({row}) }}\n"


def first_where(text: str) -> int:
    """The offset just after the ``{`` that opens the WHERE clause (comments skipped)."""
    for match in re.finditer(r"\bWHERE\s*\{", text, re.IGNORECASE):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if "#" not in text[line_start:match.start()]:
            return match.end()
    raise QueryError("the query needs an explicit WHERE { ... } clause for its parameters")


_ORDER_KEY = r"(?:(?:ASC|DESC)\s*\(\s*\?\w+\s*\)|\?\w+)"
_FINAL_ORDER_BY = re.compile(rf"\bORDER\s+BY\s+({_ORDER_KEY}(?:\s+{_ORDER_KEY})*)\s*\Z", re.I)


def split_order(text: str) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """The query without its final ``ORDER BY`` and that clause's keys as (variable, descending).

    Only an ``ORDER BY`` over plain variables that ends the query is split off (nothing after it,
    no LIMIT); otherwise the text comes back whole with no keys.

    >>> split_order("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a\\n")
    ('SELECT ?a ?b WHERE { ?a ?p ?b } ', (('b', True), ('a', False)))
    """
    match = _FINAL_ORDER_BY.search(text)
    if match is None:
        return text, ()
    keys = tuple((name, direction.upper() == "DESC") for direction, name
                 in re.findall(r"(?:(ASC|DESC)\s*\(\s*)?\?(\w+)", match.group(1), re.I))
    return text[:match.start()], keys
