"""The append-only audit log, written in the caller's transaction and sent to the hub.

Every entry (who did what to which record: overrides, approvals, exceptions, settings,
imports, sign-ins, purges) is one ``audit_log`` row and one ``audit.recorded`` outbox event,
written together in the caller's transaction, so the hub gets every entry exactly once and the
station cannot keep one the hub never hears of. The table refuses UPDATE and DELETE (triggers
of migration 0006): an entry, once written, stays as it was.

Two doors, one writer: :func:`append_audit` on the DB-API cursor (the pack and returns
engines' hot path), :func:`record_audit` on an ORM session (importers, print queue, sign-in).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from station.outbox import append_event, sql_time

AUDIT_EVENT = "audit.recorded"

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
    entity: str | None,
    entity_id: str | None,
    detail: dict[str, object],
) -> int:
    """Append one entry and its outbox event in the current transaction; returns its id."""
    cur.execute(
        _INSERT,
        (sql_time(now), user_id, station, action, entity, entity_id, json.dumps(detail)),
    )
    audit_id = int(cur.lastrowid or 0)
    # User ids are local to the station: the hub gets the name too, so it can say who.
    name = None
    if user_id is not None:
        row = cur.execute("SELECT name, role FROM users WHERE id = ?", (user_id,)).fetchone()
        name = None if row is None else {"name": row[0], "role": row[1]}
    append_event(
        cur,
        AUDIT_EVENT,
        {
            "audit_id": audit_id,
            "station": station,
            "at": now.isoformat(),
            "user_id": user_id,
            "user": name["name"] if name else None,
            "role": name["role"] if name else None,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "detail": detail,
        },
        now,
    )
    return audit_id


def record_audit(
    session: Session,
    station: str,
    user_id: int | None,
    action: str,
    entity: str | None = None,
    entity_id: str | None = None,
    detail: dict[str, object] | None = None,
    now: datetime | None = None,
) -> int:
    """:func:`append_audit` inside an ORM session's transaction (committed with it)."""
    dbapi = session.connection().connection.driver_connection
    assert isinstance(dbapi, sqlite3.Connection)
    cur = dbapi.cursor()
    try:
        return append_audit(
            cur,
            now or datetime.now(UTC),
            station,
            user_id,
            action,
            entity,
            entity_id,
            detail or {},
        )
    finally:
        cur.close()
