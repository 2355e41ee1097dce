"""The network as the hub sees it: stations, orders per state, dead letters and conflicts.

The push protocol carries no outbox count, so a station's backlog is estimated from what
it does carry: each event's ``device_time`` (the station's clock when it was recorded)
against the hub's ``received_at``. Over a station's recent events the smallest difference
is its clock skew plus the network's delay (an event sent at once); the newest event's
difference less that skew is how far behind the station's queue is (its backlog's age).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.hub import order_counts
from station.hub.console.models import DeadLetterResolution
from station.hub.console.reports import report_of
from station.hub.feed import lock_feed
from station.hub.models import HubConflict, HubEvent, HubStation, utcnow
from station.hub.rules import apply_event, check_envelope
from station.hub.sites import default_site
from station.hub.tokens import StationRef
from station.sync.protocol import EventIn

RECENT = 50
# Rejections that deciding again cannot change: the event itself is at fault.
NOT_REPLAYABLE = frozenset({"duplicate_event", "invalid_event", "unstorable", "unsendable"})
LISTED = 100


@dataclass(frozen=True)
class StationRow:
    """One station on the network page."""

    name: str
    last_contact: datetime | None
    events: int
    clock_skew_s: float | None
    backlog_s: float | None
    last_error: str | None
    # From the station's own report (sent with its pulls): its devices and its queue.
    devices: list[dict[str, str]] = field(default_factory=list)
    pending: int | None = None
    reported_at: datetime | None = None


@dataclass(frozen=True)
class DeadLetter:
    """A rejected event nobody has resolved yet."""

    id: int
    station: str
    seq: int
    type: str
    code: str | None
    message: str | None
    received_at: datetime


@dataclass(frozen=True)
class Conflict:
    """Something the hub could not reconcile alone, open until a supervisor resolves it."""

    id: int
    kind: str
    order: str | None
    station: str | None
    created_at: datetime


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _device_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def stations(session: Session) -> list[StationRow]:
    """Every station, by name, with its last contact, skew, backlog age, devices and last error."""
    rows = []
    errors = _last_rejections(session)
    for station in session.scalars(select(HubStation).order_by(HubStation.name)):
        recent = session.execute(
            select(HubEvent.device_time, HubEvent.received_at)
            .where(HubEvent.station_id == station.id)
            .order_by(HubEvent.station_seq.desc())
            .limit(RECENT)
        ).all()
        lags = [
            (_aware(received) - sent).total_seconds()
            for text, received in recent
            if (sent := _device_time(text)) is not None
        ]
        skew = min(lags) if lags else None
        backlog = lags[0] - skew if lags and skew is not None else None
        error = errors.get(station.id)
        report = report_of(session, station.id) or {}
        reported_at = report.get("reported_at")
        seen = _aware(station.last_seen_at) if station.last_seen_at else None
        # The station's own failure (a device, a push) is newer news than a rejection.
        last_error = report.get("last_error") or (f"{error[0]}: {error[1]}" if error else None)
        contacts = [t for t in (seen, reported_at) if t is not None]
        rows.append(
            StationRow(
                name=station.name,
                last_contact=max(contacts) if contacts else None,
                events=int(station.last_seq),
                clock_skew_s=-skew if skew is not None else None,
                backlog_s=backlog,
                last_error=last_error,
                devices=list(report.get("devices") or []),
                pending=report.get("pending"),
                reported_at=reported_at,
            )
        )
    return rows


def _last_rejections(session: Session) -> dict[int, tuple[str | None, str | None]]:
    """(code, message) of each station's newest rejected event.

    From the rejected events alone (the status index): asked per station, SQLite walked that
    station's every event backwards looking for one (0.4 s at 140,000 events).
    """
    newest = (
        select(func.max(HubEvent.id))
        .where(HubEvent.status == "rejected")
        .group_by(HubEvent.station_id)
    )
    return {
        int(station_id): (code, message)
        for station_id, code, message in session.execute(
            select(HubEvent.station_id, HubEvent.code, HubEvent.message).where(
                HubEvent.id.in_(newest)
            )
        )
    }


def orders_by_site(session: Session) -> dict[str, dict[str, int]]:
    """How many live orders each site has in each state (open, packed, shipped, ...)."""
    # From the counts every order write keeps (station.hub.order_counts): a few rows, however
    # many orders; counting the orders' JSON took 344 ms at 100,000 (docs/console.md, Speed).
    default = default_site(session)
    found: dict[str, dict[str, int]] = {}
    for (site, state), n in sorted(order_counts.counts(session).items()):
        # An order without a site and one naming the default site are at the same site.
        states = found.setdefault(site or default, {})
        states[state or "unknown"] = states.get(state or "unknown", 0) + n
    return dict(sorted(found.items()))


def dead_letters(session: Session) -> list[DeadLetter]:
    """Rejected events not yet resolved, newest first."""
    resolved = select(DeadLetterResolution.event_id)
    return [
        DeadLetter(e.id, name, int(e.station_seq), e.type, e.code, e.message, e.received_at)
        for e, name in session.execute(
            select(HubEvent, HubStation.name)
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(HubEvent.status == "rejected", HubEvent.id.not_in(resolved))
            .order_by(HubEvent.id.desc())
            .limit(LISTED)
        )
    ]


def open_conflicts(session: Session) -> list[Conflict]:
    """Conflicts not yet resolved, newest first."""
    return [
        Conflict(c.id, c.kind, c.order_number, (c.detail or {}).get("station"), c.created_at)
        for c in session.scalars(
            select(HubConflict)
            .where(HubConflict.resolved_at.is_(None))
            .order_by(HubConflict.id.desc())
            .limit(LISTED)
        )
    ]


def resolve_dead_letter(session: Session, event_id: int, user: str, note: str | None) -> bool:
    """Close a dead letter as handled by ``user``; False if there is no such open one."""
    event = session.get(HubEvent, event_id)
    if event is None or event.status != "rejected":
        return False
    if session.get(DeadLetterResolution, event_id) is not None:
        return False
    session.add(DeadLetterResolution(event_id=event_id, resolved_by=user, note=note))
    return True


def replay_dead_letter(session: Session, event_id: int, user: str) -> str | None:
    """Decide a rejected event again (the hub's state may have changed since, e.g. an order
    imported after it was packed); accepted, it becomes acked and its dead letter resolved.

    Returns None when accepted, else why it is still refused. An event the station itself
    could not send is never accepted: there is nothing to decide.
    """
    event = session.get(HubEvent, event_id)
    if event is None or event.status != "rejected":
        return "no such dead letter"
    station = session.get(HubStation, event.station_id)
    if station is None:
        return "its station is gone"
    if event.code in NOT_REPLAYABLE:
        return f"a {event.code} event cannot be decided again"
    stored = EventIn(
        event_id=event.event_id,
        station_seq=int(event.station_seq),
        type=event.type,
        schema_version=event.schema_version,
        payload=event.payload,
        blob_hashes=list(event.blob_hashes),
        device_time=event.device_time,
    )
    malformed = check_envelope(stored)
    if malformed is not None:
        return f"{malformed.code}: {malformed.message}"
    lock_feed(session)
    # In a savepoint: a refusal again must leave nothing behind (a second conflict row).
    savepoint = session.begin_nested()
    again = apply_event(session, StationRef(station.id, station.name), stored)
    if again.status != "acked":
        savepoint.rollback()
        return f"{again.code}: {again.message}"
    savepoint.commit()
    event.status, event.code, event.message = "acked", None, None
    event.conflict = again.conflict
    session.add(
        DeadLetterResolution(
            event_id=event_id, resolved_by=user, note="replayed", resolved_at=utcnow()
        )
    )
    return None


def resolve_conflict(session: Session, conflict_id: int) -> bool:
    """Mark a conflict resolved; False if there is no such open one."""
    conflict = session.get(HubConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        return False
    conflict.resolved_at = utcnow()
    return True
