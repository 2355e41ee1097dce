"""What a station committed against what the hub holds for it: lost and duplicated events.

Counted, never assumed: every event in the station's outbox is looked for on the hub by its
id, and every row the hub holds for the station is matched back to one of the station's.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select

from station.db import Database
from station.db.engine import reader
from station.db.models import OutboxEvent
from station.hub.db import HubDatabase
from station.hub.models import HubEvent, HubStation


@dataclass(frozen=True)
class Audit:
    """One station's events against the hub's.

    ``lost``: committed at the station, absent from the hub. ``duplicated``: rows beyond the
    first for one event, plus rows of events the station never committed. ``out_of_order``:
    the hub stored them in another order than the station's.
    """

    committed: int
    held: int
    lost: int
    duplicated: int
    out_of_order: bool


def audit_station(hub: HubDatabase, name: str, station: Database) -> Audit:
    """Compare the outbox of ``station`` with what the hub stored for station ``name``."""
    with reader(station.engine).connect() as conn:
        mine = list(
            conn.execute(select(OutboxEvent.event_id).order_by(OutboxEvent.station_seq)).scalars()
        )
        conn.rollback()
    with hub.read() as session:
        held = list(
            session.scalars(
                select(HubEvent.event_id)
                .join(HubStation, HubStation.id == HubEvent.station_id)
                .where(HubStation.name == name)
                .order_by(HubEvent.id)
            )
        )
    counts = Counter(held)
    committed = set(mine)
    extra = sum(n for event_id, n in counts.items() if event_id not in committed)
    again = sum(n - 1 for event_id, n in counts.items() if event_id in committed)
    return Audit(
        committed=len(mine),
        held=len(held),
        lost=sum(1 for event_id in mine if event_id not in counts),
        duplicated=extra + again,
        out_of_order=[e for e in held if e in committed] != [e for e in mine if e in counts],
    )
