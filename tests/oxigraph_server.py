"""A real Oxigraph server process on a free loopback port, for tests."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: pip install oxigraph")
    return found


@contextmanager
def oxigraph_server(location: Path):
    """Start ``oxigraph serve`` and yield its base URL; stop it afterwards."""
    port = free_port()
    log = location.with_suffix(".log")
    with log.open("wb") as output:
        process = subprocess.Popen([oxigraph_binary(), "serve", "--location", str(location),
                                    "--bind", f"127.0.0.1:{port}"],
                                   stdout=output, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("oxigraph did not start within 20 s")
