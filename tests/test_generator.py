"""The benchmark note generator (benchmarks/generate.py): deterministic, parseable, faithful."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from notegraph import parse_text
from notegraph.fidelity import GROUPS, score_many

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "generate.py"


def _load_generator():
    spec = importlib.util.spec_from_file_location("notegraph_benchmark_generate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generator = _load_generator()



@pytest.fixture(scope="module")
def scored() -> dict:
    pairs = [(parse_text(text, f"{stem}.txt").to_dict(), gold)
             for stem, text, gold in generator.generate(1000, seed=1540)]
    return score_many(pairs)


def test_same_seed_same_notes() -> None:
    first = list(generator.generate(100, seed=7))
    second = list(generator.generate(100, seed=7))
    assert first == second
    other = list(generator.generate(100, seed=8))
    assert [text for _s, text, _g in first] != [text for _s, text, _g in other]


def test_gold_shape() -> None:
    keys = ["title", "start_date", "end_date", "city", "country", "organisers", "states",
            "organisations", "related_events", "recommendations"]
    for stem, _text, gold in generator.generate(100, seed=3):
        assert stem.startswith("gen-")
        assert list(gold) == keys
        assert gold["states"] == sorted(gold["states"])
        assert all(set(o) == {"match", "role"} for o in gold["organisers"])
        assert all(set(o) == {"match", "part_of"} for o in gold["organisations"])
        assert all(e["start_date"] < gold["start_date"] and e["city"] != gold["city"]
                   for e in gold["related_events"])


@pytest.mark.parametrize("group", GROUPS)
def test_generated_notes_parse_faithfully(scored: dict, group: str) -> None:
    assert scored[group].f1 >= 0.99, scored[group]


def test_cli_writes_pairs(tmp_path: Path) -> None:
    out = tmp_path / "gen"
    result = subprocess.run([sys.executable, str(SCRIPT), "100", str(out), "--seed", "5"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    notes = sorted(out.glob("gen-*.txt"))
    golds = sorted(out.glob("gen-*.gold.json"))
    assert len(notes) == len(golds) == 100
    assert notes[0].name == "gen-00001.txt" and golds[-1].name == "gen-00100.gold.json"
    gold = json.loads(golds[0].read_text(encoding="utf-8"))
    assert gold == next(iter(generator.generate(100, seed=5)))[2]


def test_cli_refuses_out_of_range(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(SCRIPT), "5", str(tmp_path / "x")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
