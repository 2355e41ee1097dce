"""The outbox: events for the hub, written in the caller's transaction.

Plain SQL on the DB-API cursor of the caller's open transaction, because it runs on the scan
path and must cost microseconds; the table is defined by ``station.db.models.OutboxEvent``.
``station_seq`` comes from the ``counters`` row under the write lock that ``BEGIN IMMEDIATE``
already holds, so it has no gap even when a transaction rolls back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime

from station.ids import uuid7

SEQ_COUNTER = "station_seq"
SCHEMA_VERSION = 1

_NEXT_SEQ = "UPDATE counters SET value = value + 1 WHERE name = ? RETURNING value"
_INSERT = (
    "INSERT INTO outbox (event_id, station_seq, type, schema_version, payload, blob_hashes,"
    " status, attempts, device_time) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)"
)


def sql_time(moment: datetime) -> str:
    """A UTC time in the text form SQLAlchemy's SQLite DateTime reads back."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def next_seq(cur: sqlite3.Cursor, name: str = SEQ_COUNTER) -> int:
    """Take the next value of a counter (creating it at 1)."""
    row = cur.execute(_NEXT_SEQ, (name,)).fetchone()
    if row is None:
        cur.execute("INSERT INTO counters (name, value) VALUES (?, 1)", (name,))
        return 1
    return int(row[0])


def append_event(
    cur: sqlite3.Cursor,
    event_type: str,
    payload: dict[str, object],
    now: datetime,
    blob_hashes: Sequence[str] = (),
) -> int:
    """Append an event in the current transaction; returns its ``station_seq``."""
    seq = next_seq(cur)
    cur.execute(
        _INSERT,
        (
            str(uuid7()),
            seq,
            event_type,
            SCHEMA_VERSION,
            json.dumps(payload, separators=(",", ":"), default=str),
            json.dumps(list(blob_hashes)),
            sql_time(now),
        ),
    )
    return seq


def outbox_gaps(cur: sqlite3.Cursor) -> list[tuple[int, int]]:
    """Ranges ``(after, before)`` of missing ``station_seq`` values (should be empty)."""
    rows = cur.execute(
        "SELECT station_seq, next FROM (SELECT station_seq,"
        " LEAD(station_seq) OVER (ORDER BY station_seq) AS next FROM outbox)"
        " WHERE next IS NOT NULL AND next != station_seq + 1"
    ).fetchall()
    return [(int(a), int(b)) for a, b in rows]
