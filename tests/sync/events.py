"""Helpers of the sync tests: outbox rows as protocol events, extra events in the outbox."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from sqlalchemy import select

from station.db import Database
from station.db.models import OutboxEvent
from station.outbox import append_event
from station.sync.protocol import EventIn
from tests.station.packfixtures import FIXED_NOW


def outbox_events(db: Database, first: int = 1, last: int | None = None) -> list[EventIn]:
    """The station's outbox from ``first`` as the client would push it."""
    query = select(OutboxEvent).where(OutboxEvent.station_seq >= first)
    if last is not None:
        query = query.where(OutboxEvent.station_seq <= last)
    with db.session() as s:
        events = [
            EventIn(
                event_id=r.event_id,
                station_seq=r.station_seq,
                type=r.type,
                schema_version=r.schema_version,
                payload=r.payload,
                blob_hashes=list(r.blob_hashes),
                device_time=r.device_time.isoformat() if r.device_time else None,
            )
            for r in s.scalars(query.order_by(OutboxEvent.station_seq))
        ]
        s.rollback()
    return events


def add_event(
    db: Database, event_type: str, payload: dict[str, object], blobs: Sequence[str] = ()
) -> int:
    """Append one event the way the engine does (its own transaction); returns its seq."""
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        seq = append_event(cur, event_type, payload, FIXED_NOW, blobs)
        cur.execute("COMMIT")
        return seq
    finally:
        raw.close()
