"""The invariant of the fault tests, read from both databases.

Once faults heal, the hub holds exactly the station's committed events, each once, in station
order, and agrees with the station on which it rejected. At any moment, faults or not, what
the hub holds is a prefix of the station's outbox: never an event twice, never a hole, never
an event the station does not have, stored in the station's order.
"""

from __future__ import annotations

from sqlalchemy import select

from station.db import Database
from station.db.models import OutboxEvent, OutboxStatus
from station.hub.db import HubDatabase
from station.hub.models import HubEvent, HubStation

Row = tuple[int, str, str]  # station_seq, event_id, status


def station_log(db: Database) -> list[Row]:
    """The station's outbox in seq order, with statuses as the hub names them."""
    with db.session() as s:
        rows = s.execute(
            select(OutboxEvent.station_seq, OutboxEvent.event_id, OutboxEvent.status).order_by(
                OutboxEvent.station_seq
            )
        ).all()
        s.rollback()
    return [(int(q), str(e), OutboxStatus(st).value) for q, e, st in rows]


def hub_log(hub: HubDatabase, station: str) -> list[Row]:
    """What the hub stored for ``station``, in the order it stored it (its row ids)."""
    with hub.read() as s:
        rows = s.execute(
            select(HubEvent.station_seq, HubEvent.event_id, HubEvent.status)
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(HubStation.name == station)
            .order_by(HubEvent.id)
        ).all()
    return [(int(q), str(e), str(st)) for q, e, st in rows]


def assert_prefix(hub: HubDatabase, db: Database, station: str) -> list[Row]:
    """The hub holds the station's events 1..n, each once, in order; returns them."""
    held = hub_log(hub, station)
    mine = station_log(db)
    assert [q for q, _, _ in held] == list(range(1, len(held) + 1)), "a gap or a duplicate"
    assert [(q, e) for q, e, _ in held] == [(q, e) for q, e, _ in mine[: len(held)]]
    # The station never records an answer the hub did not give.
    recorded = [(q, e, st) for q, e, st in mine if st != "pending"]
    assert set(recorded) <= set(held), "the station recorded what the hub does not hold"
    return held


def assert_converged(hub: HubDatabase, db: Database, station: str) -> None:
    """Nothing pending, and the hub holds every event once with the station's status."""
    held = assert_prefix(hub, db, station)
    mine = station_log(db)
    assert [st for _, _, st in mine if st == "pending"] == []
    assert held == mine
    acked = [e for _, e, st in held if st == "acked"]
    assert len(acked) == len(set(acked))
