"""WAL checkpoints on a background thread, never on the scan path.

SQLite's automatic checkpoint runs inside whichever COMMIT crosses 1000 WAL pages, and with
``synchronous=FULL`` that commit then also copies pages into the database file and fsyncs it:
about one scan in a hundred would pay several milliseconds. The station turns the automatic
checkpoint off (``wal_autocheckpoint=0`` in its pragmas) and runs PASSIVE checkpoints from this
thread instead, on its own connection; in WAL mode a checkpoint does not block writers.

A PASSIVE checkpoint never makes the WAL file smaller: the next writer starts the log again
from its beginning, and the file keeps the largest size it ever reached (34 MB after a shift).
Two things keep it bounded: ``journal_size_limit`` in the station's pragmas (the writer that
resets the log cuts the file back to that size), and here, once the log has been idle (no new
frames, all copied) for ``idle_s``, a TRUNCATE checkpoint that empties the file. That one does
not wait (``busy_timeout=0``): if a reader or a writer is busy it gives up and is tried again
at the next idle moment, so a scan never waits behind it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 0.5
DEFAULT_IDLE_S = 2.0  # no new WAL frames for this long: the log is emptied (TRUNCATE)
BUSY_TIMEOUT_MS = 1000


class Checkpointer:
    """Checkpoints one SQLite file every ``interval_s`` seconds until stopped; empties the WAL
    once it has been idle for ``idle_s``."""

    def __init__(
        self,
        path: Path,
        interval_s: float = DEFAULT_INTERVAL_S,
        idle_s: float = DEFAULT_IDLE_S,
    ) -> None:
        self._path = path
        self._wal = path.with_name(path.name + "-wal")
        self._interval = interval_s
        self._idle_ticks = max(1, round(idle_s / interval_s))
        self._unchanged = 0  # ticks since the WAL last gained frames
        self._last_frames = -1
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"checkpoint:{path.name}", daemon=True
        )
        self.checkpoints = 0
        self.truncations = 0
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

    def tick(self, conn: sqlite3.Connection) -> None:
        """One interval's work: a PASSIVE checkpoint, then TRUNCATE if the log has been idle."""
        busy, frames, copied = self.checkpoint(conn)
        if frames != self._last_frames or busy or copied < frames:
            self._unchanged, self._last_frames = 0, frames
            return
        self._unchanged += 1
        if self._unchanged >= self._idle_ticks and self._wal_bytes() > 0:
            self.truncate(conn)

    def truncate(self, conn: sqlite3.Connection) -> bool:
        """Empty the WAL file if nobody is using it right now (never waits); True if it was."""
        conn.execute("PRAGMA busy_timeout=0")
        try:
            busy, _, _ = self.checkpoint(conn, "TRUNCATE")
        except sqlite3.OperationalError:  # locked: a scan is being written, try when idle again
            busy = 1
        finally:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if busy:
            return False
        self.truncations += 1
        self._unchanged, self._last_frames = 0, 0
        return True

    def _wal_bytes(self) -> int:
        try:
            return self._wal.stat().st_size
        except FileNotFoundError:
            return 0

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:  # the file went away: nothing to checkpoint
            self.last_error = str(exc)
            log.warning("cannot open %s for checkpoints: %s", self._path, exc)
            return
        try:
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            while not self._stop.wait(self._interval):
                try:
                    self.tick(conn)
                except sqlite3.Error as exc:
                    # A checkpoint that fails now is retried at the next interval; the WAL
                    # only grows meanwhile, nothing is lost.
                    self.last_error = str(exc)
                    log.warning("checkpoint of %s failed: %s", self._path, exc)
        finally:
            conn.close()
