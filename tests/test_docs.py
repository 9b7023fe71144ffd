"""The README stays true: its first commands, and every CLI command and option documented."""

from __future__ import annotations

import re
from pathlib import Path

from notegraph.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["make run", "make test"]


def test_every_command_and_option_is_in_the_readme() -> None:
    for name, command in main.commands.items():
        assert f"notegraph {name}" in README, name
        assert command.help, name
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--"):
                    assert option in README, (name, option)


def test_every_stored_query_is_listed_with_its_summary() -> None:
    from notegraph.queries import load_catalogue

    for name, query in load_catalogue().items():
        assert f"| `{name}` | {query.summary} |" in README, name


def test_every_data_file_is_described() -> None:
    data = Path(__file__).resolve().parents[1] / "data"
    for path in data.iterdir():
        shown = f"data/{path.name}/" if path.is_dir() else f"data/{path.name}"
        assert re.search(re.escape(shown), README), shown


def test_every_module_is_in_the_layout() -> None:
    package = Path(__file__).resolve().parents[1] / "src" / "notegraph"
    for path in package.glob("*.py"):
        if not path.name.startswith("__"):
            assert re.search(rf"^  {re.escape(path.name)} ", README, re.MULTILINE), path.name
