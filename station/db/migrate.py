"""Alembic migrations applied at start, after a backup taken with SQLite's backup API."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class MigrationError(RuntimeError):
    """A migration failed; the station must not open on a half-migrated database."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration pointing at our migrations and at ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    """The newest revision shipped with this version of the station."""
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def backup_sqlite(source: Path, target: Path) -> Path:
    """Copy a live SQLite database consistently (the backup API, never a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def upgrade(engine: Engine, db_path: Path | None) -> Path | None:
    """Bring the database to the newest revision; return the backup taken, if any.

    A database that already holds data is backed up next to itself before any migration runs.
    """
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return None
    backup: Path | None = None
    if current is not None and db_path is not None and db_path.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = backup_sqlite(db_path, db_path.with_name(f"{db_path.name}.{current}.{stamp}.bak"))
    try:
        command.upgrade(alembic_config(engine), "head")
    except Exception as exc:
        hint = f"; the backup is {backup}" if backup else ""
        raise MigrationError(f"database migration {current} -> {head} failed: {exc}{hint}") from exc
    return backup
