"""What the hub holds: events per station and type, stations, rejections, open conflicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.hub.models import HubConflict, HubEvent, HubStation, HubToken

LISTED = 50


def hub_stats(session: Session) -> dict[str, Any]:
    """The ``station hub stats --json`` object (``events`` counts accepted events only)."""
    acked = HubEvent.status == "acked"
    by_station = {
        name: int(n)
        for name, n in session.execute(
            select(HubStation.name, func.count(HubEvent.id))
            .join(HubEvent, HubEvent.station_id == HubStation.id)
            .where(acked)
            .group_by(HubStation.name)
            .order_by(HubStation.name)
        )
    }
    by_type = {
        kind: int(n)
        for kind, n in session.execute(
            select(HubEvent.type, func.count())
            .where(acked)
            .group_by(HubEvent.type)
            .order_by(HubEvent.type)
        )
    }
    live = (
        select(func.count())
        .where(HubToken.station_id == HubStation.id, HubToken.revoked_at.is_(None))
        .scalar_subquery()
    )
    stations = [
        {
            "name": name,
            "last_seq": int(last_seq),
            "last_seen": seen.isoformat() if seen else None,
            "enrolled": bool(tokens),
        }
        for name, last_seq, seen, tokens in session.execute(
            select(HubStation.name, HubStation.last_seq, HubStation.last_seen_at, live).order_by(
                HubStation.name
            )
        )
    ]
    rejections = [
        {"station": name, "seq": int(seq), "type": kind, "code": code, "message": message}
        for name, seq, kind, code, message in session.execute(
            select(
                HubStation.name,
                HubEvent.station_seq,
                HubEvent.type,
                HubEvent.code,
                HubEvent.message,
            )
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(HubEvent.status == "rejected")
            .order_by(HubEvent.id.desc())
            .limit(LISTED)
        )
    ]
    conflicts = [
        {
            "kind": c.kind,
            "order": c.order_number,
            "station": (c.detail or {}).get("station"),
            "at": c.created_at.isoformat(),
        }
        for c in session.scalars(
            select(HubConflict)
            .where(HubConflict.resolved_at.is_(None))
            .order_by(HubConflict.id.desc())
            .limit(LISTED)
        )
    ]
    rejected = session.scalar(select(func.count()).where(HubEvent.status == "rejected")) or 0
    open_conflicts = (
        session.scalar(select(func.count()).where(HubConflict.resolved_at.is_(None))) or 0
    )
    return {
        "events": sum(by_type.values()),
        "by_station": by_station,
        "by_type": by_type,
        "stations": sum(1 for s in stations if s["enrolled"]),
        "station_details": stations,
        "rejected": int(rejected),
        "rejections": rejections,
        "conflicts": int(open_conflicts),
        "open_conflicts": conflicts,
    }
