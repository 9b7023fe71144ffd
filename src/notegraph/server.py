"""A read-only SPARQL 1.1 Protocol endpoint over the built graph, with a page of stored queries.

``GET`` and ``POST`` (form-encoded or ``application/sparql-query``) on ``/sparql``; results as
SPARQL JSON, XML, CSV or TSV, and Turtle or N-Triples for CONSTRUCT and DESCRIBE, chosen by the
``Accept`` header (or a ``format`` parameter). Updates are refused. Each query has a time limit
and SELECT results a row cap (``X-Notegraph-Truncated: true`` when it was reached). ``/`` lists
the stored queries with links that run them (``/run/NAME?param=value``); a paged query shows
page 1, or the page its ``page`` parameter names (``page=all``: every row), with links to the
pages beside it.
"""

from __future__ import annotations

import html
import json
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

RESULT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {"text/turtle": "ttl", "application/n-triples": "nt"}
FORMAT_PARAMETER = {"json": "application/sparql-results+json",
                    "xml": "application/sparql-results+xml", "csv": "text/csv",
                    "tsv": "text/tab-separated-values", "ttl": "text/turtle",
                    "nt": "application/n-triples"}


@dataclass(frozen=True)
class ServerSettings:
    """How the endpoint behaves."""

    store: Path
    timeout: float = 30.0
    max_rows: int = 10_000
    cors: bool = False


class QueryTimeout(Exception):
    """The query ran past the time limit."""


def make_server(settings: ServerSettings, host: str = "127.0.0.1",
                port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server answering SPARQL queries over the store (not yet serving)."""
    from notegraph.store import open_database

    store = open_database(settings.store)

    class Handler(_Handler):
        pass

    Handler.store = store
    Handler.settings = settings
    return ThreadingHTTPServer((host, port), Handler)


class _Handler(BaseHTTPRequestHandler):
    store: Any = None
    settings: ServerSettings = ServerSettings(Path("out/store"))
    server_version = "notegraph"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        return

    def do_OPTIONS(self) -> None:  # noqa: N802 - stdlib naming
        self._reply(204, b"", "text/plain")

    def do_GET(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path in ("/", "/index.html"):
            self._reply(200, _index_page().encode("utf-8"), "text/html; charset=utf-8")
        elif url.path == "/sparql":
            self._answer(params)
        elif url.path.startswith("/run/"):
            self._run_stored(url.path[len("/run/"):], params)
        else:
            self._error(404, "not found: use /sparql for queries, / for the stored queries")

    def do_POST(self) -> None:  # noqa: N802
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/sparql":
            self._error(404, "not found: POST queries to /sparql")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        params = urllib.parse.parse_qs(url.query)
        if kind == "application/sparql-query":
            params["query"] = [body]
        elif kind == "application/x-www-form-urlencoded":
            params.update(urllib.parse.parse_qs(body))
        else:
            self._error(415, "send application/sparql-query or a form with a query field")
            return
        self._answer(params)

    def _answer(self, params: dict[str, list[str]]) -> None:
        if "update" in params:
            self._error(403, "this endpoint is read-only: updates are refused")
            return
        if not params.get("query"):
            self._error(400, "missing 'query' parameter")
            return
        graphs = params.get("default-graph-uri", [])
        try:
            result = self._run(params["query"][0], graphs)
        except QueryTimeout:
            self._error(503, f"query exceeded the time limit of {self.settings.timeout:g} s")
            return
        except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
            self._error(400, f"query failed: {exc}")
            return
        self._send_result(result, params.get("format", [None])[0])

    def _run(self, text: str, graphs: list[str]) -> Any:
        from pyoxigraph import QueryBoolean, QuerySolutions

        from notegraph.store import dataset_graphs, query_options

        options: dict[str, Any] = query_options(reasoning=True)
        if graphs:
            options = {"default_graph": dataset_graphs(graphs)}
        outcome: dict[str, Any] = {}
        cap = self.settings.max_rows

        def work() -> None:
            try:
                result = self.store.query(text, **options)
                if isinstance(result, QuerySolutions):
                    variables = [v.value for v in result.variables]
                    rows = []
                    for solution in result:
                        rows.append([solution[v] for v in variables])
                        if len(rows) > cap:
                            break
                    outcome["result"] = ("SELECT", variables, rows)
                elif isinstance(result, QueryBoolean):
                    outcome["result"] = ("ASK", bool(result))
                else:
                    outcome["result"] = ("GRAPH", list(result))
            except Exception as exc:  # reported to the client as a 400
                outcome["error"] = exc

        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(self.settings.timeout)
        if worker.is_alive():
            raise QueryTimeout()
        if "error" in outcome:
            raise ValueError(str(outcome["error"]))
        return outcome["result"]

    def _send_result(self, result: tuple, format_parameter: str | None) -> None:
        kind = result[0]
        accept = FORMAT_PARAMETER.get(format_parameter or "", self.headers.get("Accept") or "")
        if kind == "GRAPH":
            media = _negotiate(accept, GRAPH_TYPES, "text/turtle")
            body = _graph_body(result[1], GRAPH_TYPES[media])
            self._reply(200, body, f"{media}; charset=utf-8")
            return
        media = _negotiate(accept, RESULT_TYPES, "application/sparql-results+json")
        fmt = RESULT_TYPES[media]
        if kind == "ASK":
            body = _ask_body(result[1], fmt)
            self._reply(200, body, f"{media}; charset=utf-8")
            return
        _kind, variables, rows = result
        truncated = len(rows) > self.settings.max_rows
        body = _solutions_body(variables, rows[: self.settings.max_rows], fmt)
        extra = {"X-Notegraph-Truncated": "true"} if truncated else {}
        self._reply(200, body, f"{media}; charset=utf-8", extra)

    def _run_stored(self, name: str, params: dict[str, list[str]]) -> None:
        from notegraph.errors import NotegraphError
        from notegraph.queries import load_catalogue
        from notegraph.sparql import LocalEngine

        catalogue = load_catalogue()
        if name not in catalogue:
            self._error(404, f"no stored query named {name}")
            return
        values = {key: value[0] for key, value in params.items() if key != "page"}
        try:
            page = _page_parameter(params.get("page", ["1"])[0])
            result = LocalEngine.over(self.store).run(catalogue[name], values, page=page)
        except NotegraphError as error:
            self._error(400, str(error))
            return
        self._reply(200, _result_page(catalogue[name], result, values).encode("utf-8"),
                    "text/html; charset=utf-8")

    def _error(self, status: int, message: str) -> None:
        self._reply(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

    def _reply(self, status: int, body: bytes, media: str,
               headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if self.settings.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
            self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")
        self.end_headers()
        self.wfile.write(body)


def _page_parameter(text: str) -> int | None:
    """The ``page`` parameter of a stored query: a page number from 1, or ``all`` (None)."""
    from notegraph.queries import ParameterError

    if text.strip() == "all":
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise ParameterError(f"page {text!r}: give a page number from 1, or 'all' for every row")
    return int(text)


def _negotiate(accept: str, known: dict[str, str], default: str) -> str:
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        if media in known:
            return media
    return default


def _term_json(term: Any) -> dict[str, str]:
    from pyoxigraph import BlankNode, Literal

    if isinstance(term, Literal):
        value = {"type": "literal", "value": term.value}
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            value["datatype"] = term.datatype.value
        return value
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    return {"type": "uri", "value": term.value}


def _solutions_body(variables: list[str], rows: list[list[Any]], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row, strict=True)
                     if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        return _solutions_xml(variables, rows).encode("utf-8")
    separator = "," if fmt == "csv" else "\t"
    lines = [separator.join(variables if fmt == "csv" else [f"?{v}" for v in variables])]
    for row in rows:
        cells = ["" if t is None else (t.value if fmt == "csv" else str(t)) for t in row]
        lines.append(separator.join(_csv_cell(c) if fmt == "csv" else c for c in cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _csv_cell(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _solutions_xml(variables: list[str], rows: list[list[Any]]) -> str:
    parts = ['<?xml version="1.0"?>',
             '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
    parts += [f'<variable name="{html.escape(v)}"/>' for v in variables]
    parts.append("</head><results>")
    for row in rows:
        parts.append("<result>")
        for variable, term in zip(variables, row, strict=True):
            if term is not None:
                parts.append(f'<binding name="{html.escape(variable)}">{_term_xml(term)}</binding>')
        parts.append("</result>")
    parts.append("</results></sparql>")
    return "".join(parts)


def _term_xml(term: Any) -> str:
    data = _term_json(term)
    value = html.escape(data["value"])
    if data["type"] == "uri":
        return f"<uri>{value}</uri>"
    if data["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in data:
        return f'<literal xml:lang="{html.escape(data["xml:lang"])}">{value}</literal>'
    if "datatype" in data:
        return f'<literal datatype="{html.escape(data["datatype"])}">{value}</literal>'
    return f"<literal>{value}</literal>"


def _ask_body(answer: bool, fmt: str) -> bytes:
    if fmt == "xml":
        return (f'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(answer).lower()}</boolean></sparql>").encode()
    if fmt in ("csv", "tsv"):
        return f"{str(answer).lower()}\r\n".encode()
    return json.dumps({"head": {}, "boolean": answer}).encode()


def _graph_body(triples: list[Any], fmt: str) -> bytes:
    from pyoxigraph import RdfFormat, serialize

    target = RdfFormat.TURTLE if fmt == "ttl" else RdfFormat.N_TRIPLES
    return serialize(triples, format=target) or b""


def _index_page() -> str:
    from notegraph.queries import load_catalogue

    items = []
    for name, query in load_catalogue().items():
        params = "".join(f"<li><code>{html.escape(p.name)}</code> ({p.type}) "
                         f"{html.escape(p.help)}</li>" for p in query.params)
        items.append(f'<li><a href="/run/{name}">{name}</a>: {html.escape(query.summary)}'
                     + (f"<ul>{params}</ul>" if params else "") + "</li>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>notegraph</title></head>"
            "<body><h1>notegraph SPARQL endpoint</h1><p>Send SPARQL 1.1 queries to "
            "<code>/sparql</code> (GET or POST). Stored queries (add <code>?name=value</code> "
            f"for parameters):</p><ul>{''.join(items)}</ul></body></html>")


def _result_page(query: Any, result: Any, values: dict[str, str]) -> str:
    from notegraph.sparql import python_value

    if result.kind == "CONSTRUCT":
        from notegraph.sparql import render

        table = f"<pre>{html.escape(render(result, 'ttl'))}</pre>"
    else:
        head = "".join(f"<th>{html.escape(v)}</th>" for v in result.variables)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(python_value(t) or ''))}</td>"
                                        for t in row) + "</tr>" for row in result.rows)
        table = f"<table border='1'><tr>{head}</tr>{body}</table>"
    if result.page is not None:
        table = _page_links(query.name, result.page, values) + table
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{query.name}</title>"
            f"</head><body><h1>{html.escape(query.summary)}</h1>{table}"
            f"<h2>SPARQL</h2><pre>{html.escape(query.text)}</pre></body></html>")


def _page_links(name: str, page: Any, values: dict[str, str]) -> str:
    """Which rows a page shows, with links to the pages beside it and to every row."""
    def link(number: int | str, text: str) -> str:
        query = urllib.parse.urlencode({**values, "page": number})
        return f'<a href="/run/{name}?{html.escape(query)}">{text}</a>'

    links = [link(page.number - 1, "previous page")] if page.number > 1 else []
    if page.more is not False:
        links.append(link(page.number + 1, "next page"))
    links.append(link("all", "every row"))
    return f"<p>{html.escape(page.describe())}: {' | '.join(links)}</p>"
