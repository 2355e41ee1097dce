"""The append-only audit log, written on the DB-API cursor of the caller's transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from station.outbox import sql_time

_INSERT = (
    "INSERT INTO audit_log (at, user_id, station, action, entity, entity_id, detail)"
    " VALUES (?,?,?,?,?,?,?)"
)


def append_audit(
    cur: sqlite3.Cursor,
    now: datetime,
    station: str,
    user_id: int | None,
    action: str,
    entity: str,
    entity_id: str,
    detail: dict[str, object],
) -> None:
    """Append one entry (who did what to which record) in the current transaction."""
    cur.execute(
        _INSERT,
        (sql_time(now), user_id, station, action, entity, entity_id, json.dumps(detail)),
    )
