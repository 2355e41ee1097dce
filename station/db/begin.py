"""``BEGIN IMMEDIATE`` for a bench's scan: it gets the write lock as soon as it is free.

With ``busy_timeout`` set, SQLite waits for another connection's write lock by sleeping 1, 2,
5, 10, 15, 20, 25... ms between tries, so a wait overshoots the other writer's transaction:
one that held the lock 12 ms cost 18 ms, 25 ms cost 33, 35 ms cost 53 (measured with
SQLite's own handler). The station's background writers (sync, printing, purges) share the
file with the bench, and a packer's verdict waits on this lock. Here the lock is tried
without SQLite's handler, again after 0.25 ms, doubling to at most ``MAX_POLL_S``: a waiting
scan starts within a couple of milliseconds of the lock's release, and gives up with the same
"database is locked" after ``timeout_s``, as ``busy_timeout`` would.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from station.db.engine import BUSY_TIMEOUT_MS

FIRST_POLL_S = 0.000_25
MAX_POLL_S = 0.002
SQLITE_BUSY = 5  # the primary result code; extended codes keep it in their low byte


def begin_immediate(
    cur: sqlite3.Cursor,
    timeout_s: float = BUSY_TIMEOUT_MS / 1000,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """``BEGIN IMMEDIATE`` on ``cur``, tried until the write lock is free or ``timeout_s``
    passed (then SQLite's "database is locked" is raised, as by ``busy_timeout``); ``sleep``
    waits between tries."""
    cur.execute("PRAGMA busy_timeout=0")  # our polling, not SQLite's sleeps
    try:
        deadline = time.monotonic() + timeout_s
        poll = FIRST_POLL_S
        while True:
            try:
                cur.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            sleep(poll)
            poll = min(poll * 2, MAX_POLL_S)
    finally:
        # The statements inside the transaction keep SQLite's own wait (a checkpoint's brief
        # hold of the WAL index), as every other connection of the station does.
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == SQLITE_BUSY
