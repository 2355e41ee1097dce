"""``POST /v1/sync/push``: consecutive events of one station, each stored exactly once.

The station row is locked for the whole batch, so one station's pushes are decided one after
the other whatever the number of hub processes. An event at or below the station's last stored
sequence gets its stored result again (the reply to an earlier push may have been lost), but
only if it is the same event with the same content: a replay with changed content is refused
(409 ``replay_changed``) and recorded as a conflict, since the first version has had its
effect and silently keeping it would hide a tampered or broken station. The next ones are
decided and stored, and the station's sequence advanced, in one transaction. A batch that
starts beyond the next expected sequence is refused with that sequence.

An event the database refuses to store (PostgreSQL: a NUL in a text) would fail its whole
batch on every retry and block the station's queue for good; the batch is then decided again
one event at a time, each in a savepoint, and only that event is rejected as ``unstorable``.
"""

from __future__ import annotations

from datetime import datetime
from itertools import pairwise

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from station.hub.db import HubDatabase
from station.hub.eventrows import (
    changed_fields,
    content_digest,
    event_row,
    is_data_problem,
    result_of,
    stored_event_id,
)
from station.hub.feed import lock_feed
from station.hub.models import HubBlob, HubConflict, HubEvent, HubStation, utcnow
from station.hub.rules import FEED_TYPES, Decision, apply_event, check_envelope, reject
from station.hub.tokens import StationRef
from station.sync.protocol import EventIn, EventResult, PushRequest, PushResponse


class PushRefused(Exception):  # noqa: N818 - an answer of the protocol
    """The batch as a whole cannot be taken; ``status`` is the HTTP status to answer."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        expected_seq: int | None = None,
        missing: list[str] | None = None,
        record: dict[str, object] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.expected_seq = expected_seq
        self.missing = missing
        # Kept at the hub although the batch is refused (its transaction is rolled back).
        self.record = record


def ownership_problem(station: StationRef, request: PushRequest) -> str | None:
    """Why this batch is not the token's station's to push (answered 403), or None."""
    if request.station != station.name:
        return f"this token belongs to station {station.name!r}, not {request.station!r}"
    for event in request.events:
        payload = event.payload
        if isinstance(payload, dict) and payload.get("station", station.name) != station.name:
            return f"event {event.station_seq} was recorded by another station"
    return None


def ingest(hub: HubDatabase, station: StationRef, request: PushRequest) -> PushResponse:
    """Store and decide a batch; the results follow the order of the request."""
    events = request.events
    for before, after in pairwise(events):
        if after.station_seq != before.station_seq + 1:
            raise PushRefused(
                422, "not_consecutive", f"seq {after.station_seq} follows {before.station_seq}"
            )
    try:
        try:
            return _ingest(hub, station, request, careful=False)
        except PushRefused:
            raise
        except Exception as exc:
            if not is_data_problem(exc):
                raise
        return _ingest(hub, station, request, careful=True)
    except PushRefused as refused:
        if refused.record is not None:
            _record_conflict(hub, station, refused.record)
        raise


def _record_conflict(hub: HubDatabase, station: StationRef, record: dict[str, object]) -> None:
    with hub.write() as session:
        session.add(
            HubConflict(
                kind=str(record["kind"]),
                station_id=station.id,
                event_id=str(record["event_id"]),
                detail={"station": station.name, **record},
            )
        )


def _ingest(
    hub: HubDatabase, station: StationRef, request: PushRequest, *, careful: bool
) -> PushResponse:
    events = request.events
    with hub.write() as session:
        row = session.execute(
            select(HubStation).where(HubStation.id == station.id).with_for_update()
        ).scalar_one()
        row.last_seen_at = utcnow()
        expected = row.last_seq + 1
        if events and events[0].station_seq > expected:
            raise PushRefused(
                409,
                "gap",
                f"the hub expects seq {expected}, the batch starts at {events[0].station_seq}",
                expected_seq=expected,
            )
        old = [e for e in events if e.station_seq < expected]
        new = [e for e in events if e.station_seq >= expected]
        results = _stored_results(session, station, old)
        if new:
            lost = set(request.lost_blobs)
            results.extend(_decide_new(session, station, new, lost, careful=careful))
            row.last_seq = new[-1].station_seq
        return PushResponse(results=results, next_seq=row.last_seq + 1)


def _stored_results(
    session: Session, station: StationRef, events: list[EventIn]
) -> list[EventResult]:
    if not events:
        return []
    rows = {
        r.station_seq: r
        for r in session.scalars(
            select(HubEvent).where(
                HubEvent.station_id == station.id,
                HubEvent.station_seq.between(events[0].station_seq, events[-1].station_seq),
            )
        )
    }
    results = []
    for event in events:
        stored = rows.get(event.station_seq)
        if stored is None or stored.event_id != stored_event_id(event):
            # Not a replay: this station's numbering restarted (a new database?). Taking it
            # would answer for the wrong event, so a person has to look.
            raise PushRefused(
                409,
                "seq_mismatch",
                f"seq {event.station_seq} is stored for another event; was the station reset?",
            )
        changed = replay_changes(stored, event)
        if changed:
            raise PushRefused(
                409,
                "replay_changed",
                f"seq {event.station_seq} (event {stored.event_id}) was stored with another "
                f"{', '.join(changed)}; a replay must be identical",
                record={
                    "kind": "replay_changed",
                    "event_id": stored.event_id,
                    "station_seq": event.station_seq,
                    "changed": changed,
                },
            )
        results.append(result_of(event, _decision_of(stored)))
    return results


def _decide_new(
    session: Session, station: StationRef, events: list[EventIn], lost: set[str], *, careful: bool
) -> list[EventResult]:
    envelope = {e.station_seq: check_envelope(e) for e in events}
    wanted = {h for e in events if envelope[e.station_seq] is None for h in e.blob_hashes}
    present = (
        set(session.scalars(select(HubBlob.sha256).where(HubBlob.sha256.in_(sorted(wanted)))))
        if wanted
        else set()
    )
    missing = sorted(wanted - present - lost)
    if missing:
        raise PushRefused(
            409, "missing_blobs", f"{len(missing)} blob(s) must be uploaded first", missing=missing
        )
    if any(e.type in FEED_TYPES for e in events):
        lock_feed(session)
    ids = [stored_event_id(e) for e in events]
    known = set(session.scalars(select(HubEvent.event_id).where(HubEvent.event_id.in_(ids))))
    results = []
    rows = []
    now = utcnow()
    for event, event_id in zip(events, ids, strict=True):
        decision = envelope[event.station_seq]
        checked = decision is None
        if decision is None and event_id in known:
            decision = reject("duplicate_event", "an event with this id was stored already")
        known.add(event_id)
        if careful:
            decision = _decide_alone(session, station, event, decision, now)
        else:
            if decision is None:
                decision = apply_event(session, station, event)
            rows.append(event_row(station.id, event, decision, now, checked=checked))
        results.append(result_of(event, decision))
    if rows:
        # One executemany in station order (ids ascending): ORM objects cost ~1 s per 10,000.
        session.execute(insert(HubEvent), rows)
    return results


def _decide_alone(
    session: Session, station: StationRef, event: EventIn, decision: Decision | None, now: datetime
) -> Decision:
    """Decide and store one event in a savepoint; what the database refuses is rejected."""
    decided = decision
    try:
        with session.begin_nested():
            decided = decision or apply_event(session, station, event)
            session.execute(insert(HubEvent), [event_row(station.id, event, decided, now)])
            session.flush()
    except Exception as exc:
        if not is_data_problem(exc):
            raise
        # A rejection keeps its own reason (the station's dead letter names the real fault);
        # only what the rules accepted and the database then refused is "unstorable". The
        # console's indexes on payload fields made PostgreSQL refuse a NUL in a rejected one.
        if decided is None or decided.status != "rejected":
            decided = reject("unstorable", "the hub's database cannot store this event")
        session.execute(insert(HubEvent), [event_row(station.id, event, decided, now, bare=True)])
    return decided


def replay_changes(stored: HubEvent, event: EventIn) -> list[str]:
    """What a replay of ``stored`` changed (empty: the same event, answered as stored).

    Decided by the content digest taken when it was stored; the fields are compared only to
    name what changed (or, for an event stored before digests, to decide).
    """
    if stored.content_sha256 is not None:
        if stored.content_sha256 == content_digest(event):
            return []
        return changed_fields(stored, event) or ["content"]
    return changed_fields(stored, event)


def _decision_of(stored: HubEvent) -> Decision:
    return Decision(stored.status, stored.code, stored.message, stored.conflict)
