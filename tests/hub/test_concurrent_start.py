"""Two hubs started at once on one empty PostgreSQL database both come up.

Each hub is a real ``station hub serve`` process. Both import everything first and then wait
on a shared file, so their migrations start at the same instant: without a lock between
them, both ran the first migration and one died on ``UniqueViolation
pg_type_typname_nsp_index`` (issue 12, point 7).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from station.tools.pgcluster import PgCluster

# Imports first (the slow part), then the barrier, then the hub's own entry point.
LAUNCH = """
import sys, time, pathlib
import uvicorn
import station.hub.app
from station.cli.main import main
gate = pathlib.Path(sys.argv[1])
while not gate.exists():
    time.sleep(0.001)
sys.exit(main(sys.argv[2:]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(url: str, gate: Path, folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    argv = ["hub", "serve", "--db", url, "--port", str(port), "--blobs", str(folder)]
    log = (folder.parent / f"{folder.name}.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(gate), *argv], stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    return proc, port


def answers(proc: subprocess.Popen[bytes], port: int, timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            return httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200
        except httpx.TransportError:
            time.sleep(0.05)
    return False


@pytest.mark.parametrize("attempt", range(3))
def test_two_hubs_started_at_once_on_an_empty_database_both_start(
    pg_cluster: PgCluster, tmp_path: Path, attempt: int
) -> None:
    url = pg_cluster.create_database()
    gate = tmp_path / "go"
    hubs = [start(url, gate, tmp_path / f"hub{i}") for i in range(2)]
    try:
        time.sleep(1.5)  # both have imported and wait at the gate
        gate.touch()
        for i, (proc, port) in enumerate(hubs):
            log = tmp_path / f"hub{i}.log"
            assert answers(proc, port), log.read_text(errors="replace")[-3000:]
    finally:
        for proc, _ in hubs:
            if proc.poll() is None:
                proc.terminate()
            proc.wait(timeout=20)
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM hub_alembic_version")).all()
    finally:
        engine.dispose()
    assert len(revision) == 1, revision  # migrated once, to one head
