"""SIGKILL a real ``station pack`` process in the middle of a stream of scans.

Whatever verdict the process reported must be in the database afterwards, and a new process
must resume the same session with the same counts.
"""

from __future__ import annotations

import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests import stationproc
from tests.station.packfixtures import MUG, build_db
from tests.stationproc import kill, send

ORDER = "SO-1007"  # 30 mugs: long enough for many kill points
EXPECTED = 30


def start(db: Path) -> subprocess.Popen[str]:
    return stationproc.start(db, "pack", "bench-crash")


def accepted_ids(db: Path) -> set[int]:
    con = sqlite3.connect(db)
    try:
        rows = con.execute("SELECT id FROM scans WHERE verdict = 'accepted' AND undone = 0")
        return {int(r[0]) for r in rows}
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_mid_stream_loses_no_reported_scan(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite"
    build_db(db_path).close()
    rng = random.Random(20261124)
    reported: set[int] = set()
    packed = 0
    first = True
    kills = 0
    while packed < EXPECTED - 1:
        proc = start(db_path)
        try:
            if first:
                assert send(proc, ORDER)["verdict"] == "order_opened"
                first = False
            burst = rng.randint(1, 5)
            for _ in range(min(burst, EXPECTED - 1 - packed)):
                answer = send(proc, MUG)
                assert answer["verdict"] == "accepted", answer
                line = answer["line"]
                assert isinstance(line, dict)
                # A resumed process continues the count where the last one stopped.
                assert line["packed"] >= packed + 1
                packed = int(line["packed"])
                reported.add(int(str(answer["scan_id"])))
            # One more scan in flight when the kill lands: it may or may not commit.
            assert proc.stdin is not None
            proc.stdin.write(MUG + "\n")
            proc.stdin.flush()
            # Land the kill before, during or after that scan's commit.
            time.sleep(rng.uniform(0, 0.004))
        finally:
            kill(proc)
            kills += 1
        stored = accepted_ids(db_path)
        assert reported <= stored, "a reported verdict is missing from the database"
        packed = len(stored)  # the in-flight scan may have committed before the kill
    assert kills >= 5

    # The session resumes in a new process with the stored count.
    proc = start(db_path)
    try:
        stored_before = len(accepted_ids(db_path))
        answer = send(proc, MUG)
        if stored_before < EXPECTED:
            assert answer["verdict"] == "accepted"
            line = answer["line"]
            assert isinstance(line, dict) and line["packed"] == stored_before + 1
        con = sqlite3.connect(db_path)
        sessions = con.execute("SELECT count(*) FROM pack_sessions").fetchone()[0]
        assert sessions == 1, "a restart must resume the session, not open another"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seqs = [r[0] for r in con.execute("SELECT station_seq FROM outbox ORDER BY 1")]
        assert seqs == list(range(1, len(seqs) + 1))
        con.close()
    finally:
        kill(proc)
