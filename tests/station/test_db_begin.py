"""The bench's BEGIN IMMEDIATE (station.db.begin): taken when the other writer lets go."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.db.begin import begin_immediate
from station.db.engine import BUSY_TIMEOUT_MS, apply_pragmas


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, sqlite3.Connection]]:
    """Two connections to one WAL file with the station's pragmas (busy_timeout included)."""
    path = tmp_path / "begin.sqlite"
    conns = []
    for _ in range(2):
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        apply_pragmas(conn)
        conns.append(conn)
    conns[0].execute("CREATE TABLE t (x INTEGER)")
    yield conns[0], conns[1]
    for conn in conns:
        conn.close()


def hold_lock(conn: sqlite3.Connection, seconds: float) -> threading.Thread:
    """``conn`` takes the write lock now and commits after ``seconds``, on a thread."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("INSERT INTO t VALUES (1)")

    def release() -> None:
        time.sleep(seconds)
        conn.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    return thread


def test_free_lock_is_taken_at_once_and_busy_timeout_is_back(
    pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    _, bench = pair
    cur = bench.cursor()
    begin_immediate(cur)
    assert bench.in_transaction
    cur.execute("INSERT INTO t VALUES (2)")
    cur.execute("COMMIT")
    assert cur.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS


def test_waits_for_the_other_writer_in_short_steps(
    pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    other, bench = pair
    polls: list[float] = []

    def sleep(seconds: float) -> None:
        polls.append(seconds)
        time.sleep(seconds)

    thread = hold_lock(other, 0.025)
    started = time.perf_counter()
    begin_immediate(bench.cursor(), sleep=sleep)
    waited = time.perf_counter() - started
    bench.execute("INSERT INTO t VALUES (3)")
    bench.execute("COMMIT")
    thread.join()
    # It waited for the other's commit (nothing was written over its lock) ...
    assert waited >= 0.020
    assert bench.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    # ... trying again after 0.25 ms, doubling to 2 ms, never SQLite's 5, 10, 15... ms steps:
    # the scan starts at most 2 ms after the lock is free.
    assert polls[:4] == [0.000_25, 0.000_5, 0.001, 0.002]
    assert max(polls) == 0.002


def test_gives_up_after_the_timeout_with_sqlites_own_error(
    pair: tuple[sqlite3.Connection, sqlite3.Connection],
) -> None:
    other, bench = pair
    thread = hold_lock(other, 0.3)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        begin_immediate(bench.cursor(), timeout_s=0.05)
    assert not bench.in_transaction
    assert bench.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    thread.join()
