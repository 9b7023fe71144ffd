"""Shared fixtures, and the fidelity table printed at the end of every test run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notegraph import parse_file
from notegraph.fidelity import score_many, table

ROOT = Path(__file__).resolve().parents[1]
NOTES = ROOT / "data" / "notes"
GOLD = Path(__file__).resolve().parent / "gold"
EXTRA = Path(__file__).resolve().parent / "notes-extra"
SEEDS = ("000_ce1ffb009a01f4c0", "001_cb52ca95894b248a")


def gold_names() -> list[str]:
    """Note names (without extension) that have a gold file."""
    return sorted(p.name.removesuffix(".gold.json") for p in GOLD.glob("*.gold.json"))


def record_and_gold(name: str) -> tuple[dict, dict]:
    """The parsed record of a note in data/notes and its gold facts."""
    record = parse_file(NOTES / f"{name}.txt").to_dict()
    gold = json.loads((GOLD / f"{name}.gold.json").read_text(encoding="utf-8"))
    return record, gold


@pytest.fixture(scope="session")
def notes_dir() -> Path:
    return NOTES


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print precision / recall / F1 per field group for the seeds and the dev notes."""
    seeds = [record_and_gold(name) for name in SEEDS]
    dev = [record_and_gold(name) for name in gold_names() if name not in SEEDS]
    terminalreporter.section("parser fidelity against gold files")
    terminalreporter.write_line(table(score_many(seeds), f"seeds ({len(seeds)} notes)"))
    terminalreporter.write_line(table(score_many(dev), f"dev notes ({len(dev)} notes, micro)"))
    extra = extra_pairs()
    terminalreporter.write_line(table(score_many(extra),
                                      f"tests/notes-extra ({len(extra)} notes, micro)"))


def extra_pairs() -> list[tuple[dict, dict]]:
    """Records and gold of the further notes in tests/notes-extra (other layouts and regions)."""
    pairs = []
    for gold in sorted(EXTRA.glob("*.gold.json")):
        note = gold.with_name(gold.name.replace(".gold.json", ".txt"))
        pairs.append((parse_file(note).to_dict(), json.loads(gold.read_text(encoding="utf-8"))))
    return pairs


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--regenerate-golden", action="store_true",
                     help="Rewrite tests/golden/*.ttl from the current code instead of comparing.")


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory: pytest.TempPathFactory):
    """The two seed notes built into a fresh output folder (dataset, report and folder)."""
    from notegraph.pipeline import build

    notes = tmp_path_factory.mktemp("seeds")
    for name in SEEDS:
        (notes / f"{name}.txt").write_bytes((NOTES / f"{name}.txt").read_bytes())
    out = tmp_path_factory.mktemp("out")
    report = build(notes, out)
    return report, out


@pytest.fixture(scope="session")
def dev_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built-in notes (seeds and dev notes) built into a fresh store."""
    from notegraph.pipeline import build

    out = tmp_path_factory.mktemp("dev-build")
    report = build(NOTES, out)
    assert not report.errors
    return out / "store"


@pytest.fixture(scope="session")
def published(dev_store: Path, tmp_path_factory: pytest.TempPathFactory):
    """A real Oxigraph server process filled with the dev store by 'notegraph publish'."""
    import subprocess
    import sys

    from oxigraph_server import oxigraph_server

    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as base:
        result = subprocess.run([sys.executable, "-m", "notegraph", "publish", "--endpoint",
                                 f"{base}/query", "--store", str(dev_store)],
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        yield f"{base}/query", result.stdout
