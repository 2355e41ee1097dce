"""What a check reads from a station database file: revision, integrity, keys, outbox gaps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.script import ScriptDirectory

from station.db.migrate import MIGRATIONS
from station.outbox import SEQ_COUNTER

SQLITE_MAGIC = b"SQLite format 3\x00"


class CareError(RuntimeError):
    """A check, backup or restore was refused or failed; the message says why and what to do."""


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head_revision() -> str | None:
    """The newest schema revision this version of the station ships."""
    return _script().get_current_head()


def known_revisions() -> set[str]:
    """Every schema revision this version of the station can migrate from."""
    return {rev.revision for rev in _script().walk_revisions()}


def connect_readonly(path: Path) -> sqlite3.Connection:
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
