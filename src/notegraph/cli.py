"""The ``notegraph`` command: each command parses options, calls one library function, prints.

Exit codes: 0 success; 1 the question was answered "no"; 2 usage or input error (a note that
could not be read or parsed); 3 a remote endpoint failed.
"""

from __future__ import annotations

import contextlib
import json
import sys

import click

EXIT_INPUT = 2
EXIT_REMOTE = 3


@contextlib.contextmanager
def exit_codes():
    """Print a notegraph error on one line and exit with its code: 3 for a remote endpoint,
    2 for anything else the user can fix."""
    from notegraph.errors import NotegraphError
    from notegraph.sparql import EndpointError

    try:
        yield
    except EndpointError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_REMOTE)
    except NotegraphError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_INPUT)


@click.group()
@click.version_option(package_name="notegraph")
def main() -> None:
    """Knowledge graph and queries over the UN 1540 Committee's Information Notes."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array of records.")
def parse(paths: tuple[str, ...], as_json: bool) -> None:
    """Parse note files (or folders of them) and print what each note says.

    Files that cannot be read or parsed are named on standard error with the reason; the exit
    code is then 2, after every other file has been printed.
    """
    from notegraph.parse import parse_paths
    from notegraph.summary import summarise

    result = parse_paths(paths)
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in result.records], ensure_ascii=False,
                              indent=2))
    else:
        click.echo("\n\n".join(summarise(r) for r in result.records))
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
    if result.errors:
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("notes", default="data/notes", type=click.Path(exists=True, file_okay=False))
@click.option("--out", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the store and the exports.")
@click.option("--reasoner", default="fast", show_default=True,
              type=click.Choice(["fast", "owlrl"]),
              help="OWL-RL engine: notegraph's fast path or owlrl, the reference (same triples).")
@click.option("--export", "exports", multiple=True, default=("ttl", "trig"), show_default=True,
              type=click.Choice(["ttl", "trig", "nt", "jsonld"]),
              help="Exports to write beside the store (repeat the option for several).")
@click.option("--no-exports", is_flag=True,
              help="Only the store: large corpora build much faster ('notegraph export' later).")
def build(notes: str, out: str, reasoner: str, exports: tuple[str, ...],
          no_exports: bool) -> None:
    """Parse, build, reason and store the knowledge graph; print the build report."""
    from pathlib import Path

    from notegraph.pipeline import build as run_build

    report = run_build(Path(notes), Path(out), reasoner, _progress,
                       () if no_exports else exports)
    click.echo("\n".join(report.lines()))
    if report.errors:
        sys.exit(EXIT_INPUT)


def _progress(items, total: int):
    """A progress bar on standard error for 50 notes or more."""
    if total < 50:
        yield from items
        return
    with click.progressbar(items, length=total, label="parsing notes", file=sys.stderr) as bar:
        yield from bar


@main.command()
@click.option("--format", "fmt", default="ttl", show_default=True,
              type=click.Choice(["ttl", "nt", "jsonld", "trig"]), help="Serialisation.")
@click.option("--graph", "which", default="all", show_default=True,
              type=click.Choice(["asserted", "inferred", "all"]), help="Which triples.")
@click.option("--store", default="out/store", show_default=True, type=click.Path(),
              help="The embedded store written by 'notegraph build'.")
@click.option("--out", "target", default=None, type=click.Path(dir_okay=False),
              help="File to write (written atomically); standard output when absent.")
def export(fmt: str, which: str, store: str, target: str | None) -> None:
    """Export the built knowledge graph deterministically."""
    from pathlib import Path

    from notegraph.export import write_atomic
    from notegraph.pipeline import export_store

    with exit_codes():
        parts = export_store(Path(store), fmt, which)
        if target:
            write_atomic(Path(target), parts)
        else:
            for part in parts:
                click.echo(part, nl=False)



@main.command("queries")
def list_queries() -> None:
    """List the stored queries: name, summary and parameters."""
    from notegraph.queries import load_catalogue

    for name, query in load_catalogue().items():
        params = ", ".join(f"{p.name}:{p.type}" for p in query.params)
        click.echo(f"{name}\n  {query.summary}" + (f"\n  params: {params}" if params else ""))


@main.command()
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter value; repeat for several.")
@click.option("--endpoint", default=None, help="Remote SPARQL endpoint URL instead of the store.")
@click.option("--store", default="out/store", show_default=True, type=click.Path(),
              help="The embedded store written by 'notegraph build'.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "json", "ttl"]), help="Output format.")
@click.option("--no-reasoning", is_flag=True, help="Leave out the inferred triples.")
@click.option("--timeout", default=30, show_default=True, help="Remote timeout in seconds.")
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1),
              help="Which page of a paged query (its '#+ pagination' rows a page).")
@click.option("--all", "every_row", is_flag=True, help="Every row of a paged query.")
def query(name: str, params: tuple[str, ...], endpoint: str | None, store: str, fmt: str,
          no_reasoning: bool, timeout: int, page: int, every_row: bool) -> None:
    """Run a stored query on the built graph or on a remote endpoint.

    A paged query gives one page (the first unless --page); which rows these are, and how to
    get the next ones, is written after a table, and on standard error for other formats.
    """
    from notegraph.sparql import render, run_stored

    with exit_codes():
        values = dict(_key_value(p) for p in params)
        result = run_stored(name, values, store=store, endpoint=endpoint,
                            reasoning=not no_reasoning, timeout=timeout,
                            page=None if every_row else page)
    click.echo(render(result, fmt), nl=False)
    if result.page is not None:
        click.echo(_page_note(result.page), err=fmt != "table")


def _page_note(page) -> str:
    hint = f"; next page: --page {page.number + 1}" if page.more is not False else ""
    return f"{page.describe()}{hint}; every row: --all"


def _key_value(text: str) -> tuple[str, str]:
    from notegraph.queries import ParameterError

    if "=" not in text:
        raise ParameterError(f"--param {text!r}: write it as KEY=VALUE")
    key, value = text.split("=", 1)
    return key.strip(), value


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--store", default="out/store", show_default=True, type=click.Path(),
              help="The embedded store written by 'notegraph build'.")
@click.option("--timeout", default=30.0, show_default=True, help="Query time limit in seconds.")
@click.option("--max-rows", default=10_000, show_default=True, help="Result cap for SELECT.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests from any site.")
def serve(host: str, port: int, store: str, timeout: float, max_rows: int, cors: bool) -> None:
    """Serve the built graph as a read-only SPARQL 1.1 endpoint."""
    from pathlib import Path

    from notegraph.server import ServerSettings, make_server

    if not Path(store).is_dir():
        click.echo(f"error: {store}: no notegraph store here; run 'notegraph build' first",
                   err=True)
        sys.exit(EXIT_INPUT)
    server = make_server(ServerSettings(Path(store), timeout, max_rows, cors), host, port)
    click.echo(f"SPARQL endpoint: http://{host}:{server.server_port}/sparql "
               f"(stored queries: http://{host}:{server.server_port}/)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@main.command()
@click.option("--endpoint", required=True, help="SPARQL query endpoint of the target store.")
@click.option("--graph-store", default=None,
              help="Graph Store Protocol URL (default: the endpoint with /store for /query).")
@click.option("--store", default="out/store", show_default=True, type=click.Path(),
              help="The embedded store written by 'notegraph build'.")
@click.option("--timeout", default=60, show_default=True, help="Timeout in seconds.")
def publish(endpoint: str, graph_store: str | None, store: str, timeout: int) -> None:
    """Upload the built graph, named graphs kept, and verify the triple counts."""
    from pathlib import Path

    from notegraph.publish import publish as run_publish

    with exit_codes():
        report = run_publish(Path(store), endpoint, graph_store, timeout)
    click.echo("\n".join(report.lines()))
    if report.mismatches:
        sys.exit(1)


def _graph_source(function):
    """Options every network command shares: where the graph is and whether to reason."""
    function = click.option("--store", default="out/store", show_default=True,
                            type=click.Path(), help="The store written by 'notegraph build'.")(
        function)
    function = click.option("--endpoint", default=None, help="Read edges from a remote endpoint.")(
        function)
    return click.option("--no-reasoning", is_flag=True,
                        help="Use asserted facts only (no States through their agencies).")(
        function)


def _participations(store: str, endpoint: str | None, no_reasoning: bool):
    from notegraph.networks import participations

    with exit_codes():
        return participations(store, endpoint, not no_reasoning)


@main.command()
@click.option("--actors", default="states", show_default=True,
              type=click.Choice(["states", "organisations", "all"]), help="Who the nodes are.")
@click.option("--weight", default="count", show_default=True,
              type=click.Choice(["count", "newman", "jaccard"]), help="Edge weighting.")
@click.option("--from", "from_year", type=int, default=None, help="First year.")
@click.option("--to", "to_year", type=int, default=None, help="Last year.")
@click.option("--role", "roles", multiple=True,
              type=click.Choice(["host", "organiser", "supporter", "funder", "participant",
                                 "remote", "observer", "represented"]),
              help="Only these roles; repeat for several (default: all but supporter and "
                   "funder).")
@click.option("--region", default=None, help="Only events held in a grouping (e.g. osce, au).")
@click.option("--kind", "kinds", multiple=True, help="Only events of this kind (workshop, ...).")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "graphml", "gexf", "png", "html"]),
              help="Output format.")
@click.option("--out", "target", default=None, type=click.Path(dir_okay=False),
              help="File to write (needed for graphml, gexf and png).")
@_graph_source
def network(actors, weight, from_year, to_year, roles, region, kinds, fmt, target, store,
            endpoint, no_reasoning) -> None:
    """Build the co-participation network and print or write it."""
    from pathlib import Path

    from notegraph.report import network_for, output_network

    rows = _participations(store, endpoint, no_reasoning)
    try:
        graph = network_for(rows, actors, weight, from_year, to_year, roles, region, kinds)
        text = output_network(graph, fmt, Path(target) if target else None)
    except ValueError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_INPUT)
    if text:
        click.echo(text, nl=False)


@main.command()
@click.argument("state")
@click.option("--weight", default="count", show_default=True,
              type=click.Choice(["count", "newman", "jaccard"]), help="Partner weighting.")
@_graph_source
def ego(state, weight, store, endpoint, no_reasoning) -> None:
    """One State's events, partners by weight, first co-attendance and topics."""
    from notegraph.analysis import ego as ego_report
    from notegraph.queries import Parameter, to_term

    with exit_codes():
        code = str(to_term(Parameter("state", "state"), state)).rsplit("/", 1)[-1]
    rows = _participations(store, endpoint, no_reasoning)
    click.echo("\n".join(ego_report(rows, code, weight, _event_topics(store)).lines()))


def _event_topics(store: str) -> dict[str, list[str]]:
    from notegraph.networks import short_id
    from notegraph.sparql import python_value, run_stored

    topics: dict[str, list[str]] = {}
    for event, _start, topic in run_stored("event-topics", {}, store=store).rows:
        topics.setdefault(short_id(python_value(event)), []).append(python_value(topic))
    return topics


@main.command()
@click.option("--out", "target", default="out/report.html", show_default=True,
              type=click.Path(dir_okay=False), help="The HTML file to write.")
@_graph_source
def report(target, store, endpoint, no_reasoning) -> None:
    """Write one self-contained HTML page on regional cooperation."""
    from pathlib import Path

    from notegraph.report import write_report

    write_report(_participations(store, endpoint, no_reasoning), Path(target))
    click.echo(f"wrote {target}")


@main.command()
@click.option("--out", "target", default=None, type=click.Path(dir_okay=False),
              help="CSV file to write; standard output when absent.")
@_graph_source
def dyads(target, store, endpoint, no_reasoning) -> None:
    """State pair × year co-attendance counts as CSV, for statistical tools."""
    from pathlib import Path

    from notegraph.analysis import dyad_years, write_table

    text = write_table(dyad_years(_participations(store, endpoint, no_reasoning)),
                       Path(target) if target else None)
    if not target:
        click.echo(text, nl=False)
