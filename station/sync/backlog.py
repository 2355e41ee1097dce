"""The outbox as the UI and the CLI see it: events waiting, and the dead-letter list."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from station.db import Database
from station.db.engine import reader
from station.db.models import OutboxEvent, OutboxStatus


def pending_count(db: Database) -> int:
    """Events still to push."""
    return _count(db, OutboxStatus.PENDING)


def dead_letter_count(db: Database) -> int:
    """Events the hub rejected (the dead-letter list)."""
    return _count(db, OutboxStatus.REJECTED)


@dataclass(frozen=True)
class DeadLetter:
    """An event the hub rejected: what a supervisor reads to decide what to do."""

    station_seq: int
    type: str
    code: str | None
    message: str | None
    order: str | None


def dead_letters(db: Database, limit: int = 50) -> list[DeadLetter]:
    """The newest rejected events first."""
    query = (
        select(OutboxEvent)
        .where(OutboxEvent.status == OutboxStatus.REJECTED)
        .order_by(OutboxEvent.station_seq.desc())
        .limit(limit)
    )
    with db.sessions(bind=reader(db.engine)) as session:
        letters = [
            DeadLetter(
                r.station_seq,
                r.type,
                r.rejected_code,
                r.last_error,
                str(r.payload["order"])
                if isinstance(r.payload, dict) and r.payload.get("order")
                else None,
            )
            for r in session.scalars(query)
        ]
        session.rollback()
    return letters


def _count(db: Database, status: OutboxStatus) -> int:
    with reader(db.engine).connect() as conn:
        n = conn.execute(select(func.count()).where(OutboxEvent.status == status)).scalar_one()
        conn.rollback()
    return int(n)
