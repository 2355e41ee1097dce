"""The hub's database: an engine for any SQLAlchemy URL, sessions, and its own migrations.

SQLite is the embedded default; there every write transaction begins with ``BEGIN IMMEDIATE``
(as at the station) so that two pushes never deadlock on a lock upgrade, and reads use a
DEFERRED view. PostgreSQL is used as it comes (READ COMMITTED); the code that needs an order
between transactions takes row locks (see ``station.hub.feed``).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from station.config import default_data_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "hub_alembic_version"
# The advisory lock hubs take around their migrations: any fixed 64-bit number that nothing
# else on the server uses (the first eight bytes of "pack-hub" read as an integer).
MIGRATION_LOCK_KEY = int.from_bytes(b"pack-hub", "big") & 0x7FFF_FFFF_FFFF_FFFF
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def default_hub_url() -> str:
    """The embedded hub: a SQLite file in the user data folder."""
    return f"sqlite:///{default_data_dir() / 'hub.sqlite'}"


def default_blob_dir(db_url: str) -> Path:
    """Beside a SQLite hub's file; in the user data folder for a server database."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database:
        return Path(url.database).parent / "hub-blobs"
    return default_data_dir() / "hub-blobs"


def make_hub_engine(db_url: str) -> Engine:
    """An engine for ``db_url``; SQLite gets the durable pragmas and BEGIN IMMEDIATE."""
    url = make_url(db_url)
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if not url.database or url.database == ":memory:":
        raise ValueError("the hub needs a SQLite file, not an in-memory database")
    Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # our BEGIN, not pysqlite's
        cursor = dbapi_connection.cursor()
        try:
            for pragma in SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        # A write that need not be durable on its own (HubDatabase.write(durable=False)) commits
        # without the fsync; the next durable commit makes its WAL frames durable with it.
        sync = options.get("sqlite_synchronous", "FULL")
        info = conn.connection.info
        if info.get("synchronous", "FULL") != sync:
            conn.exec_driver_sql(f"PRAGMA synchronous={sync}")
            info["synchronous"] = sync
        conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'IMMEDIATE')}")

    return engine


@dataclass
class HubDatabase:
    """The hub's engine and its session factories (writes, and reads that take no lock)."""

    url: str
    engine: Engine
    _writes: sessionmaker[Session]
    _reads: sessionmaker[Session]
    # SQLite has one writer. Others wait in its busy handler, which sleeps in steps of up to
    # 100 ms while the lock may already be free: 20 stations pushing at once saw a p99 of
    # 1.2 s. This process's writers queue on a lock instead and start the moment it is free.
    # Re-entrant: a write opened inside another (before that one's first statement, as a
    # test does) must still run, as it did without the lock.
    _one_writer: threading.RLock | None = None

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite hub."""
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """A write transaction: committed when the block ends, rolled back on error.

        ``durable=False``: the commit does not wait for the disk (SQLite ``synchronous=NORMAL``,
        PostgreSQL ``synchronous_commit=off``); a power cut may lose it, never corrupt it, and
        the next durable commit carries it to the disk too. For rows whose loss only delays
        (the shipping service's claim of a buy).
        """
        with self._one_writer or nullcontext(), self._writes() as session, session.begin():
            if not durable:
                if self.is_sqlite:
                    session.connection(execution_options={"sqlite_synchronous": "NORMAL"})
                else:
                    session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (DEFERRED on SQLite, so it never waits for a writer)."""
        with self._reads() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


def open_hub_database(db_url: str, *, migrate: bool = True) -> HubDatabase:
    """Open (and by default migrate) the hub database at ``db_url``."""
    engine = make_hub_engine(db_url)
    if migrate:
        upgrade_hub(engine)
    reads = engine.execution_options(sqlite_begin="DEFERRED")
    return HubDatabase(
        url=db_url,
        engine=engine,
        _writes=sessionmaker(engine, expire_on_commit=False),
        _reads=sessionmaker(reads, expire_on_commit=False),
        _one_writer=threading.RLock() if engine.dialect.name == "sqlite" else None,
    )


def upgrade_hub(engine: Engine) -> None:
    """Bring the hub's schema to the newest revision (its own Alembic scripts).

    On PostgreSQL several hubs may start at once on one database: each holds a session-level
    advisory lock while it migrates, so the second waits, then finds the schema at head and
    does nothing (without it both created the first tables and one died on a unique
    violation in ``pg_type``). SQLite needs none: its migration is one ``BEGIN IMMEDIATE``
    transaction, and a second writer waits for it.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    with _migration_lock(engine):
        command.upgrade(cfg, "head")


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if engine.dialect.name != "postgresql":
        yield
        return
    # Its own connection, outside Alembic's transaction: a session-level lock outlives the
    # commits Alembic makes and is released when this connection closes, even after a crash
    # of this process (the server ends the session).
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
            conn.commit()
