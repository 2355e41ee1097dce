"""``station hub ...`` commands: in process, and ``serve`` as a real subprocess."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from station.cli.main import main
from tests.hub.hubfixtures import CATALOG_CSV, ORDERS_CSV

CODE = re.compile(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.sqlite'}"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def test_enroll_code_prints_the_code_last(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "hub", "enroll-code", "--db", url, "--station", "bench-1")
    assert status == 0
    assert CODE.fullmatch(lines[-1])
    assert "bench-1" in lines[0]


def test_import_then_stats_as_json(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "c.csv").write_text(CATALOG_CSV, encoding="utf-8")
    (tmp_path / "o.json").write_text(
        json.dumps([{"order_number": "SO-1", "lines": [{"sku": "MUG", "quantity": 1}]}]),
        encoding="utf-8",
    )
    assert run(capsys, "hub", "import", "catalog", str(tmp_path / "c.csv"), "--db", url)[0] == 0
    status, lines, _ = run(capsys, "hub", "import", "orders", str(tmp_path / "o.json"), "--db", url)
    assert status == 0 and "1 orders created" in lines[-1]
    status, lines, _ = run(capsys, "hub", "stats", "--db", url, "--json")
    stats = json.loads(lines[-1])
    assert status == 0
    assert (stats["events"], stats["by_station"], stats["by_type"], stats["stations"]) == (
        0,
        {},
        {},
        0,
    )


def test_a_bad_file_lists_its_problems_and_exits_1(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "o.csv").write_text(ORDERS_CSV, encoding="utf-8")  # no catalog yet
    status, _, err = run(capsys, "hub", "import", "orders", str(tmp_path / "o.csv"), "--db", url)
    assert status == 1
    assert "row 1: sku: unknown SKU 'MUG'" in err
    assert "nothing was imported" in err


def test_revoke_names_how_many(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "hub", "revoke", "--db", url, "--station", "nobody")[0] == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_serve_answers_health_and_openapi(url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station.cli.main",
            "hub",
            "serve",
            "--db",
            url,
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        assert "date" in health.headers
        spec = httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=5).json()
        assert {"/v1/sync/push", "/v1/sync/pull", "/v1/enroll"} <= set(spec["paths"])
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == 0
