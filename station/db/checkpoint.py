"""WAL checkpoints on a background thread, never on the scan path.

SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1000 WAL pages, and with
``synchronous=FULL`` that commit then also copies pages into the database file and fsyncs it:
about one scan in a hundred would pay several milliseconds. The station turns the automatic
checkpoint off (``wal_autocheckpoint=0`` in its pragmas) and runs PASSIVE checkpoints from this
thread instead, on its own connection; in WAL mode a checkpoint does not block writers.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 0.5


class Checkpointer:
    """Checkpoints one SQLite file every ``interval_s`` seconds until stopped."""

    def __init__(self, path: Path, interval_s: float = DEFAULT_INTERVAL_S) -> None:
        self._path = path
        self._interval = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"checkpoint:{path.name}", daemon=True
        )
        self.checkpoints = 0
        self.last_error: str | None = None

    def start(self) -> Checkpointer:
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and wait for it (a checkpoint in progress finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=10)

    def checkpoint(self, conn: sqlite3.Connection, mode: str = "PASSIVE") -> tuple[int, int, int]:
        """One checkpoint: (busy, WAL frames, frames copied), as SQLite reports it."""
        busy, frames, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        self.checkpoints += 1
        return int(busy), int(frames), int(copied)

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:  # the file went away: nothing to checkpoint
            self.last_error = str(exc)
            log.warning("cannot open %s for checkpoints: %s", self._path, exc)
            return
        try:
            conn.execute("PRAGMA busy_timeout=1000")
            while not self._stop.wait(self._interval):
                try:
                    self.checkpoint(conn)
                except sqlite3.Error as exc:
                    # A checkpoint that fails now is retried at the next interval; the WAL
                    # only grows meanwhile, nothing is lost.
                    self.last_error = str(exc)
                    log.warning("checkpoint of %s failed: %s", self._path, exc)
        finally:
            conn.close()
