"""The ``notegraph`` command: each command parses options, calls one library function, prints.

Exit codes: 0 success; 1 the question was answered "no"; 2 usage or input error (a note that
could not be read or parsed); 3 a remote endpoint failed.
"""

from __future__ import annotations

import json
import sys

import click

EXIT_INPUT = 2


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
@click.option("--reasoner", default="owlrl", show_default=True, type=click.Choice(["owlrl"]),
              help="OWL-RL engine.")
def build(notes: str, out: str, reasoner: str) -> None:
    """Parse, build, reason and store the knowledge graph; print the build report."""
    from pathlib import Path

    from notegraph.pipeline import build as run_build

    def progress(files):
        if len(files) < 50:
            return files
        return click.progressbar(files, label="parsing notes", file=sys.stderr)

    report = run_build(Path(notes), Path(out), reasoner, _iterate(progress))
    click.echo("\n".join(report.lines()))
    if report.errors:
        sys.exit(EXIT_INPUT)


def _iterate(progress):
    """Wrap a click progress bar so it can be iterated like a list."""
    def wrapped(files):
        bar = progress(files)
        if bar is files:
            return files
        with bar as items:
            return list(items)
    return wrapped


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

    from notegraph.errors import NotegraphError
    from notegraph.export import write_atomic
    from notegraph.pipeline import export_store

    try:
        text = export_store(Path(store), fmt, which)
    except NotegraphError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_INPUT)
    if target:
        write_atomic(Path(target), text)
    else:
        click.echo(text, nl=False)
