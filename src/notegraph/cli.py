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
