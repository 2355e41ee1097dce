"""Database care: check, back up and restore the station's SQLite file (``station db ...``).

``check_database`` reads the file without migrating or writing it: SQLite's
``integrity_check`` and ``foreign_key_check``, the outbox sequence (every ``station_seq`` from 1
to the counter, none missing), the schema revision against this version's head, and the writes
that belong together (:func:`half_written`): what the pack engine writes in one transaction
must be found together, or a crash, a full disk or a hand edit broke it.

``backup_database`` copies a running station's database with SQLite's backup API (through
``station.db.migrate.backup_sqlite``, the copy taken before migrations) to a temporary name,
checks the copy's integrity and renames it: a backup that exists is whole. ``restore_database``
puts such a copy back: it refuses a file that is not a sound station database of a known
revision, and a database another process has open (unless forced); it keeps the current
database as a ``.before-restore`` copy, copies the backup in with the backup API (the WAL and
its index stay consistent, which replacing the file would not) and migrates it up if older.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory

from station.db import open_database
from station.db.migrate import MIGRATIONS, backup_sqlite, current_revision
from station.outbox import SEQ_COUNTER

SQLITE_MAGIC = b"SQLite format 3\x00"


class CareError(RuntimeError):
    """A backup or restore was refused or failed; the message says why and what to do."""


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head_revision() -> str | None:
    """The newest schema revision this version of the station ships."""
    return _script().get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this version of the station can migrate from."""
    return {rev.revision for rev in _script().walk_revisions()}


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection (``mode=ro``: a check never writes, never creates the file)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    con.execute("PRAGMA busy_timeout=5000")
    return con


def revision_of(con: sqlite3.Connection) -> str | None:
    """The schema revision recorded in an open database (None: not a station database)."""
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def integrity(con: sqlite3.Connection) -> str:
    """``ok``, or SQLite's description of each problem, one per line."""
    try:
        rows = con.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as exc:
        return f"cannot check: {exc}"
    return "\n".join(str(r[0]) for r in rows)


def foreign_key_problems(con: sqlite3.Connection) -> list[dict[str, object]]:
    """Rows whose foreign key points at nothing (``PRAGMA foreign_key_check``)."""
    return [
        {"table": t, "rowid": rowid, "parent": parent, "fkid": fkid}
        for t, rowid, parent, fkid in con.execute("PRAGMA foreign_key_check").fetchall()
    ]


def outbox_missing(con: sqlite3.Connection) -> tuple[list[tuple[int, int]], int, int]:
    """Missing ``station_seq`` ranges ``(first, last)`` from 1 to the counter; counter; events.

    The counter is taken in the same transaction as each event, so every value up to it must
    be in the outbox: a hole in the middle, at the start or at the end is a lost event.
    """
    row = con.execute("SELECT value FROM counters WHERE name = ?", (SEQ_COUNTER,)).fetchone()
    counter = int(row[0]) if row else 0
    count, top = con.execute(
        "SELECT count(*), coalesce(max(station_seq), 0) FROM outbox"
    ).fetchone()
    gaps = [
        (int(a) + 1, int(b) - 1)
        for a, b in con.execute(
            "SELECT station_seq, next FROM (SELECT station_seq, LEAD(station_seq)"
            " OVER (ORDER BY station_seq) AS next FROM outbox) WHERE next != station_seq + 1"
        )
    ]
    first = con.execute("SELECT min(station_seq) FROM outbox").fetchone()[0]
    if first is not None and first > 1:
        gaps.insert(0, (1, int(first) - 1))
    if first is None and counter > 0:
        gaps.append((1, counter))
    elif counter > int(top):
        gaps.append((int(top) + 1, counter))
    return gaps, counter, int(count)


def _ids(con: sqlite3.Connection, sql: str, *args: object) -> list[int]:
    return [int(r[0]) for r in con.execute(sql, args)]


def _listed(ids: list[int], most: int = 10) -> str:
    shown = ", ".join(str(i) for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def _paired(con: sqlite3.Connection, table: str, event: str, key: str) -> list[str]:
    """Rows of ``table`` without their ``event`` (found by payload ``key``), and the reverse."""
    events = (
        f"SELECT json_extract(payload, '$.{key}') AS v FROM outbox"
        f" WHERE type = '{event}' AND json_valid(payload)"
    )
    problems = []
    rows = _ids(con, f"SELECT id FROM {table} WHERE id NOT IN (SELECT v FROM ({events}))")
    if rows:
        problems.append(f"{table} without their {event} event: {_listed(rows)}")
    orphans = _ids(
        con,
        f"SELECT e.v FROM ({events}) e WHERE e.v IS NOT NULL"
        f" AND e.v NOT IN (SELECT id FROM {table}) ORDER BY e.v",
    )
    if orphans:
        problems.append(f"{event} events whose {table} row is missing: {_listed(orphans)}")
    return problems


# Closed packages with something counted in them (an empty last box ships nothing).
_CLOSED_WITH_ITEMS = (
    "SELECT p.id FROM packages p WHERE p.status = 'closed' AND EXISTS (SELECT 1 FROM scans s"
    " WHERE s.package_id = p.id AND s.verdict = 'accepted' AND s.undone = 0)"
)


def half_written(
    con: sqlite3.Connection,
    *,
    require_weight: bool = False,
    require_photo: bool = False,
    photo_dir: Path | None = None,
    verify_photos: bool = False,
) -> list[str]:
    """What the pack engine writes together but is not found together; [] when whole.

    Always: every scan, weight reading and photo row has its outbox event and every such
    event its row; every session its ``pack.started`` event, a completed one its
    ``pack.completed`` event, all its packages closed and its order packed; a session has one
    package more than the ``package_opened`` scans (new box) it recorded; a package's weight
    status (pass, fail, override) has a reading with that decision. ``require_weight`` and
    ``require_photo`` (the bench's rules when the packages were closed) add: every closed
    package with items was weighed (pass or override) and photographed. ``photo_dir``: each
    photo not purged is on disk at its size (and ``verify_photos``: its SHA-256).
    """
    problems = _paired(con, "scans", "scan.recorded", "scan_id")
    problems += _paired(con, "weight_readings", "weight.recorded", "reading_id")
    problems += _paired(con, "photos", "photo.taken", "photo_id")
    started = _ids(
        con,
        "SELECT id FROM pack_sessions WHERE id NOT IN (SELECT json_extract(payload,"
        " '$.session_id') FROM outbox WHERE type = 'pack.started' AND json_valid(payload))",
    )
    if started:
        problems.append(f"pack sessions without their pack.started event: {_listed(started)}")
    completed = _ids(
        con,
        "SELECT id FROM pack_sessions WHERE status = 'completed' AND id NOT IN (SELECT"
        " json_extract(payload, '$.session_id') FROM outbox WHERE type = 'pack.completed'"
        " AND json_valid(payload))",
    )
    if completed:
        problems.append(f"completed sessions without pack.completed event: {_listed(completed)}")
    open_boxes = _ids(
        con,
        "SELECT p.id FROM packages p JOIN pack_sessions s ON s.id = p.session_id"
        " WHERE s.status = 'completed' AND p.status != 'closed'",
    )
    if open_boxes:
        problems.append(f"packages still open in completed sessions: {_listed(open_boxes)}")
    unpacked = _ids(
        con,
        "SELECT s.id FROM pack_sessions s JOIN orders o ON o.id = s.order_id"
        " WHERE s.status = 'completed' AND o.status NOT IN ('packed', 'shipped')",
    )
    if unpacked:
        problems.append(f"completed sessions whose order is not packed: {_listed(unpacked)}")
    boxes = _ids(
        con,
        "SELECT s.id FROM pack_sessions s WHERE (SELECT count(*) FROM packages p"
        " WHERE p.session_id = s.id) != 1 + (SELECT count(*) FROM scans c"
        " WHERE c.session_id = s.id AND c.verdict = 'package_opened')",
    )
    if boxes:
        problems.append(
            f"sessions whose packages do not match their new-box scans: {_listed(boxes)}"
        )
    unread = _ids(
        con,
        "SELECT p.id FROM packages p WHERE p.weight_status IN ('pass', 'fail', 'override')"
        " AND NOT EXISTS (SELECT 1 FROM weight_readings w WHERE w.package_id = p.id"
        " AND w.decision = p.weight_status)",
    )
    if unread:
        problems.append(f"packages with a weight status but no such reading: {_listed(unread)}")
    if require_weight:
        unweighed = _ids(
            con, _CLOSED_WITH_ITEMS + " AND p.weight_status NOT IN ('pass', 'override')"
        )
        if unweighed:
            problems.append(f"closed packages not weighed: {_listed(unweighed)}")
    if require_photo:
        unseen = _ids(
            con,
            _CLOSED_WITH_ITEMS + " AND NOT EXISTS (SELECT 1 FROM photos f WHERE"
            " f.package_id = p.id AND f.kind IN ('completion', 'package'))",
        )
        if unseen:
            problems.append(f"closed packages without a photo: {_listed(unseen)}")
    if photo_dir is not None:
        problems += _photo_files(con, photo_dir, verify_photos)
    return problems


def _photo_files(con: sqlite3.Connection, folder: Path, verify: bool) -> list[str]:
    """Photos (not purged) whose file is missing, of another size or (``verify``) altered."""
    bad = []
    for pid, sha, path, size in con.execute(
        "SELECT id, sha256, path, size_bytes FROM photos WHERE purged_at IS NULL ORDER BY id"
    ):
        target = folder / str(path)
        try:
            data = target.read_bytes() if verify else None
            actual = len(data) if data is not None else target.stat().st_size
        except OSError:
            bad.append(int(pid))
            continue
        if actual != size or (data is not None and hashlib.sha256(data).hexdigest() != sha):
            bad.append(int(pid))
    return [f"photos missing or altered in {folder}: {_listed(bad)}"] if bad else []


@dataclass(frozen=True)
class CheckReport:
    """What ``station db check`` found; ``ok`` when there is nothing to repair."""

    path: str
    integrity: str
    foreign_keys: list[dict[str, object]] = field(default_factory=list)
    outbox_gaps: list[tuple[int, int]] = field(default_factory=list)
    outbox_seq: int = 0
    outbox_events: int = 0
    schema: str | None = None
    head: str | None = None
    half_written: list[str] = field(default_factory=list)

    @property
    def schema_ok(self) -> bool:
        """The file is at this station's head revision (an older one is migrated at start)."""
        return self.schema is not None and self.schema == self.head

    @property
    def ok(self) -> bool:
        """Sound: integrity ok, no dangling keys, no outbox gap, nothing half-written, and a
        schema revision this station knows (older revisions are migrated at start)."""
        return (
            self.integrity == "ok"
            and not self.foreign_keys
            and not self.outbox_gaps
            and not self.half_written
            and self.schema is not None
            and self.schema in known_revisions()
        )

    def to_json(self) -> dict[str, object]:
        """The report as JSON (the last line of ``station db check --json``)."""
        return {
            "ok": self.ok,
            "path": self.path,
            "integrity": self.integrity,
            "foreign_key_check": self.foreign_keys,
            "outbox_gaps": len(self.outbox_gaps),
            "outbox_missing": [list(g) for g in self.outbox_gaps],
            "outbox_seq": self.outbox_seq,
            "outbox_events": self.outbox_events,
            "schema": self.schema,
            "head": self.head,
            "schema_is_head": self.schema_ok,
            "half_written": self.half_written,
        }

    def __str__(self) -> str:
        lines = [f"database {self.path}", f"integrity: {self.integrity}"]
        lines.append(f"foreign keys: {len(self.foreign_keys) or 'ok'}")
        for fk in self.foreign_keys[:10]:
            lines.append(f"  {fk['table']} row {fk['rowid']} points at nothing in {fk['parent']}")
        gaps = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in self.outbox_gaps)
        lines.append(
            f"outbox: {self.outbox_events} events, seq {self.outbox_seq}, missing: {gaps or 'none'}"
        )
        state = "head" if self.schema_ok else f"head is {self.head}"
        lines.append(f"schema: {self.schema or 'not a station database'} ({state})")
        lines += [f"half-written: {p}" for p in self.half_written]
        lines.append("ok" if self.ok else "NOT OK")
        return "\n".join(lines)


def check_database(
    path: Path,
    *,
    require_weight: bool = False,
    require_photo: bool = False,
    photo_dir: Path | None = None,
    verify_photos: bool = False,
) -> CheckReport:
    """Check the database at ``path`` without changing it (see the module docstring)."""
    if not path.is_file():
        raise CareError(f"no database at {path}")
    try:
        con = _connect_ro(path)
    except sqlite3.Error as exc:
        raise CareError(f"cannot open {path}: {exc}") from exc
    try:
        verdict = integrity(con)
        schema = revision_of(con)
        if verdict != "ok" or schema is None:
            # Further queries on a damaged file or a foreign one would only fail less clearly.
            return CheckReport(str(path), verdict, schema=schema, head=head_revision())
        gaps, seq, events = outbox_missing(con)
        return CheckReport(
            path=str(path),
            integrity=verdict,
            foreign_keys=foreign_key_problems(con),
            outbox_gaps=gaps,
            outbox_seq=seq,
            outbox_events=events,
            schema=schema,
            head=head_revision(),
            half_written=half_written(
                con,
                require_weight=require_weight,
                require_photo=require_photo,
                photo_dir=photo_dir,
                verify_photos=verify_photos,
            ),
        )
    except sqlite3.Error as exc:
        return CheckReport(str(path), f"cannot check: {exc}", head=head_revision())
    finally:
        con.close()


# --- backup and restore ------------------------------------------------------------------------


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
        con = _connect_ro(path)
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
