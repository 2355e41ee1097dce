"""The station's local database: open (check, back up, migrate) and hand out sessions."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from station.db.checkpoint import Checkpointer
from station.db.engine import make_engine, make_sessionmaker
from station.db.migrate import MigrationError, upgrade

__all__ = ["Database", "DatabaseError", "MigrationError", "open_database"]


class DatabaseError(RuntimeError):
    """The database file is damaged or cannot be opened."""


@dataclass
class Database:
    """An open station database: its file, engine and session factory."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    checkpointer: Checkpointer
    backup: Path | None = None

    def session(self) -> Session:
        """A new ORM session (the caller commits or closes it)."""
        return self.sessions()

    def close(self) -> None:
        """Stop the checkpoints and release every pooled connection."""
        self.checkpointer.stop()
        self.engine.dispose()


def open_database(path: Path, *, migrate: bool = True) -> Database:
    """Open the SQLite file at ``path``: quick_check, backup if a migration is due, migrate."""
    engine = make_engine(path)
    try:
        with engine.connect() as conn:
            result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            conn.rollback()
    except Exception as exc:
        engine.dispose()
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    if result != "ok":
        engine.dispose()
        raise DatabaseError(f"database {path} failed its integrity check: {result}")
    backup = None
    if migrate:
        try:
            backup = upgrade(engine, path)
        except MigrationError:
            engine.dispose()
            raise
    return Database(
        path=path,
        engine=engine,
        sessions=make_sessionmaker(engine),
        checkpointer=Checkpointer(path).start(),
        backup=backup,
    )


def table_counts(db: Database, *tables: str) -> dict[str, int]:
    """Row counts of the named tables (for tests and the CLI)."""
    with db.engine.connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }
