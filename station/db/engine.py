"""SQLite engine for the station: durable pragmas and writes that take the lock up front.

``synchronous=FULL`` because NORMAL in WAL mode can roll back a committed transaction on power
loss, and a verdict shown to a packer must never be undone. Transactions begin with
``BEGIN IMMEDIATE`` (the SQLAlchemy pysqlite recipe) so a writer waits for the lock at the
start (bounded by ``busy_timeout``) instead of failing late at COMMIT.

A write the disk has no room for fails with SQLite's ``SQLITE_FULL`` ("database or disk is
full": the file system is full, or the file reached ``PRAGMA max_page_count``); the engine
turns it into :class:`DiskFullError`, which says so in words a packer can act on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
# A WAL reset by the next writer after a complete checkpoint is cut back to this size. Without
# it the file keeps its largest size for good (34 MB seen after a shift, while a long read held
# the checkpoints back); with it, one such stretch costs disk only until the next reset.
WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024
SQLITE_FULL = 13  # the primary result code; extended codes keep it in their low byte

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # Checkpoints run on station.db.checkpoint's thread, not inside a scan's COMMIT.
    "PRAGMA wal_autocheckpoint=0",
    f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT_BYTES}",
)


class DiskFullError(OSError):
    """The disk (or the database's page limit) is full: what was being written is not stored."""


def is_disk_full(exc: BaseException) -> bool:
    """True if ``exc`` (or what it wraps, as SQLAlchemy does) is SQLite's SQLITE_FULL."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DiskFullError):
            return True
        if isinstance(seen, sqlite3.Error):
            code = getattr(seen, "sqlite_errorcode", None)
            return code is not None and code & 0xFF == SQLITE_FULL
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


def disk_full(exc: BaseException, what: str = "scan") -> DiskFullError:
    """The :class:`DiskFullError` to raise for ``exc``: ``the disk is full: scan not stored``."""
    return DiskFullError(f"the disk is full: {what} not stored ({exc}); free space, then try again")


def apply_pragmas(dbapi_connection: sqlite3.Connection) -> None:
    """Set the station's pragmas on a raw sqlite3 connection (also used by the fsync bench)."""
    cursor = dbapi_connection.cursor()
    try:
        for pragma in PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def make_engine(path: Path | str, *, echo: bool = False) -> Engine:
    """Create the engine for the SQLite file at ``path`` (created with its folder if absent)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}", echo=echo)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Stop pysqlite from issuing its own deferred BEGIN; ours is emitted in _on_begin.
        dbapi_connection.isolation_level = None
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def reader(engine: Engine) -> Engine:
    """A view of ``engine`` whose transactions begin DEFERRED: for read-only work."""
    return engine.execution_options(sqlite_begin="DEFERRED")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Session factory; objects stay usable after commit (the UI reads them afterwards)."""
    return sessionmaker(engine, expire_on_commit=False)
