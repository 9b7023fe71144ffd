"""A small smoke run of the benchmark code (the real figures come from `make bench`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


def test_benchmark_smoke_run_prints_the_tables() -> None:
    result = subprocess.run([sys.executable, str(RUN), "--sizes", "100", "--owlrl-max", "0",
                             "--repeat", "1"], capture_output=True, text=True, check=False,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "parse + build and reasoning" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("100 "))
    assert len(row.split()) >= 8
    for name in ("events", "state-pairs", "participation-edges"):
        assert f"\n{name} " in out
    assert "add one note" in out and "cold start" in out
    assert "every row ms" in out  # paged queries: page 1 and, beside it, every row
