"""One print worker per database, across processes: an OS lock on a file beside it.

Two workers would both find the other's in-flight job in SENDING and mark it interrupted,
and could mix the order of labels; so ``station print retry`` while the app runs is refused.
The OS drops the lock when its process dies, so a crash never leaves the queue locked.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


class WorkerBusyError(RuntimeError):
    """Another process runs the print worker of this database."""


def lock_path(db_path: Path) -> Path:
    """The lock file of the print worker of the database at ``db_path``."""
    return db_path.with_name(db_path.name + ".print-worker.lock")


class WorkerLock:
    """An exclusive, non-blocking lock on ``path``, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise ``WorkerBusyError`` at once if another process holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd)
        except OSError:
            os.close(fd)
            raise WorkerBusyError(
                f"another process is running the print worker ({self.path} is locked)"
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (safe when not held)."""
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _unlock(fd)
            os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
