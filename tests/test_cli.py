"""The ``notegraph`` command, run as a real process on real files."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

NOTEGRAPH = [sys.executable, "-m", "notegraph"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*NOTEGRAPH, *args], capture_output=True, text=True, check=False)


def test_bad_files_are_named_and_the_good_one_printed(notes_dir: Path, tmp_path: Path) -> None:
    shutil.copy(notes_dir / "000_ce1ffb009a01f4c0.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    result = _run("parse", str(tmp_path))
    assert result.returncode == 2
    assert "Regional Workshop on the Implementation of UNSC Resolution 1540 (2004)" in result.stdout
    errors = result.stderr.splitlines()
    assert len(errors) == 2
    assert any("empty.txt" in line and "empty file" in line for line in errors)
    assert any("binary.txt" in line and "binary file" in line for line in errors)


def test_json_output_has_the_documented_keys(notes_dir: Path) -> None:
    result = _run("parse", "--json", str(notes_dir / "001_cb52ca95894b248a.txt"))
    assert result.returncode == 0, result.stderr
    (record,) = json.loads(result.stdout)
    for key in ("source", "title", "start_date", "end_date", "date_precision", "venue",
                "organisers", "participants", "people", "topics", "recommendations",
                "related_events", "warnings"):
        assert key in record
    assert record["venue"] == {"city": "Belgrade", "country": "SRB", "place": None,
                               "online": False}
    serbia = next(a for a in record["organisers"] if a["id"] == "SRB")
    assert (serbia["kind"], serbia["role"], serbia["part_of"]) == ("state", "host", None)


def test_summary_of_every_built_in_note(notes_dir: Path) -> None:
    result = _run("parse", str(notes_dir))
    assert result.returncode == 0, result.stderr
    for note in sorted(notes_dir.glob("*.txt")):
        assert str(note.name) in result.stdout
    assert result.stdout.count("warnings: 0") == len(list(notes_dir.glob("*.txt")))
    assert "7 States, 13 organisations" in result.stdout


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    result = _run("parse", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "nope.txt" in result.stderr and "cannot read" in result.stderr
