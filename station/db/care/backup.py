"""``station db backup`` and ``station db restore``.

``backup_database`` copies a running station's database with SQLite's backup API (through
``station.db.migrate.backup_sqlite``, the copy taken before migrations) to a temporary name,
checks the copy's integrity and renames it: a backup that exists is whole. ``restore_database``
puts such a copy back: it refuses a file that is not a sound station database of a known
revision, and a database another process has open (unless forced); it keeps the current
database as a ``.before-restore`` copy, copies the backup in with the backup API (the WAL and
its index stay consistent, which replacing the file would not) and migrates it up if older.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from station.db import open_database
from station.db.care.probes import (
    SQLITE_MAGIC,
    CareError,
    connect_readonly,
    integrity,
    known_revisions,
    outbox_missing,
    revision_of,
)
from station.db.migrate import backup_sqlite, current_revision


@dataclass(frozen=True)
class BackupResult:
    """A verified copy: where, its revision, outbox sequence and size."""

    path: str
    schema: str | None
    outbox_seq: int
    size_bytes: int

    def to_json(self) -> dict[str, object]:
        """As JSON (the last line of ``station db backup --json``)."""
        return {
            "backup": self.path,
            "integrity": "ok",
            "schema": self.schema,
            "outbox_seq": self.outbox_seq,
            "size_bytes": self.size_bytes,
        }


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _inspect(path: Path, what: str) -> tuple[str | None, int]:
    """Revision and outbox counter of a station database that must be sound; else CareError."""
    try:
        with path.open("rb") as f:
            magic = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise CareError(f"{what} {path}: {exc.strerror or exc}") from exc
    if magic != SQLITE_MAGIC:
        raise CareError(f"{what} {path} is not an SQLite database")
    try:
        con = connect_readonly(path)
    except sqlite3.Error as exc:
        raise CareError(f"{what} {path}: {exc}") from exc
    try:
        verdict = integrity(con)
        if verdict != "ok":
            raise CareError(f"{what} {path} failed its integrity check: {verdict}")
        revision = revision_of(con)
        if revision is None:
            raise CareError(f"{what} {path} is not a station database (no schema revision)")
        _, seq, _ = outbox_missing(con)
        return revision, seq
    except sqlite3.Error as exc:
        raise CareError(f"{what} {path}: {exc}") from exc
    finally:
        con.close()


def backup_database(db_path: Path, target: Path) -> BackupResult:
    """Copy the (possibly running) database to ``target`` and verify the copy.

    The copy is written under a temporary name and renamed once its integrity check passed,
    so ``target`` is either a whole, checked database or absent. An existing ``target`` is
    never overwritten.
    """
    if not db_path.is_file():
        raise CareError(f"no database at {db_path}")
    if target.exists():
        raise CareError(f"{target} exists: choose another name (a backup never overwrites)")
    tmp = target.with_name(f".{target.name}.{_stamp()}.tmp")
    try:
        backup_sqlite(db_path, tmp)
        # One self-contained file (the copy inherits WAL mode, whose -wal and -shm files
        # would sit beside it under the temporary name).
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            con.execute("PRAGMA journal_mode=DELETE")
        finally:
            con.close()
        revision, seq = _inspect(tmp, "the copy")
        tmp.replace(target)
    except sqlite3.Error as exc:
        raise CareError(f"backup of {db_path} to {target} failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return BackupResult(str(target), revision, seq, target.stat().st_size)


def in_use(db_path: Path) -> bool:
    """True if another connection has the database open (the station app, ``station pack``).

    Exclusive locking mode makes SQLite take the WAL's lock for itself, which it cannot while
    any other connection, even an idle one, holds the file open.
    """
    if not db_path.exists():
        return False
    con = sqlite3.connect(db_path, isolation_level=None, timeout=0.2)
    try:
        con.execute("PRAGMA locking_mode=EXCLUSIVE")
        con.execute("BEGIN EXCLUSIVE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: from which file, the copy kept, revisions and sequences."""

    restored_from: str
    kept: str | None  # the database that was replaced, copied aside
    schema_before: str | None  # the backup's revision
    schema: str | None  # after migrating
    outbox_seq: int  # the restored database's outbox sequence
    replaced_outbox_seq: int | None  # the replaced database's, when there was one

    def to_json(self) -> dict[str, object]:
        """As JSON (the last line of ``station db restore --json``)."""
        return {
            "restored_from": self.restored_from,
            "kept": self.kept,
            "schema_before": self.schema_before,
            "schema": self.schema,
            "outbox_seq": self.outbox_seq,
            "replaced_outbox_seq": self.replaced_outbox_seq,
        }


def restore_database(db_path: Path, source: Path, *, force: bool = False) -> RestoreResult:
    """Put backup ``source`` in place of the database at ``db_path`` (see the module docstring).

    Refused (``CareError``, nothing changed) when ``source`` is not a sound station database
    of a revision this station knows, or when another process has the database open and
    ``force`` is not given. The replaced database is kept beside it as
    ``NAME.STAMP.before-restore`` (a backup-API copy, verified like a backup).
    """
    if source.resolve() == db_path.resolve():
        raise CareError(f"{source} is the database itself")
    revision, seq = _inspect(source, "backup")
    if revision not in known_revisions():
        raise CareError(
            f"backup {source} has schema revision {revision}, unknown to this station"
            " (written by a newer version?): not restored"
        )
    if not force and in_use(db_path):
        raise CareError(
            f"{db_path} is open in another process (the station app, station pack, a sync):"
            " stop it first, or --force"
        )
    kept, replaced_seq = None, None
    if db_path.exists():
        stamp, n = _stamp(), 1
        aside = db_path.with_name(f"{db_path.name}.{stamp}.before-restore")
        while aside.exists():  # two restores within a second keep both copies
            n += 1
            aside = db_path.with_name(f"{db_path.name}.{stamp}-{n}.before-restore")
        kept_copy = backup_database(db_path, aside)
        kept, replaced_seq = kept_copy.path, kept_copy.outbox_seq
    # Into the live file with the backup API: the write lock is held while pages are copied
    # and the WAL is reset consistently, so no connection ever sees half of each.
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(db_path, timeout=5.0)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise CareError(f"restore of {source} into {db_path} failed: {exc}; kept: {kept}") from exc
    finally:
        src.close()
    db = open_database(db_path)  # quick_check, then migrations from an older revision
    try:
        now = current_revision(db.engine)
    finally:
        db.close()
    return RestoreResult(str(source), kept, revision, now, seq, replaced_seq)
