"""What the hub decides for each pushed event: accept, accept with a conflict, or reject.

Events are facts from the bench, so the hub keeps every well-formed one, including types it
does not know yet (a newer station); only a malformed event or one that contradicts the hub's
state is rejected. A rejection is final and per event: the station moves it to its dead-letter
list and carries on.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.orm import Session

from station.hub.channels.outbound import package_shipped
from station.hub.channels.webhooks_out import emit
from station.hub.feed import get_record, put_records
from station.hub.models import HubConflict, utcnow
from station.hub.tokens import StationRef
from station.sync.protocol import UNSENDABLE, UNSENDABLE_CODES, EventIn
from station.sync.records import RmaRecord

_TYPE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# The newest payload version the hub understands, per type it acts on.
KNOWN_VERSIONS = {
    "scan.recorded": 1,
    "pack.started": 1,
    "pack.completed": 1,
    "exception.recorded": 1,
    "rma.created": 1,
    # Stored as they come (hub_events keeps every station's audit trail); a newer version
    # than this is refused so its fields are never misread.
    "audit.recorded": 1,
}
# Types that can change the feed (their transaction must hold the feed lock first).
FEED_TYPES = frozenset({"pack.completed", "rma.created"})
MAX_TYPE_LEN = 64
MAX_BLOBS = 64
MAX_DEVICE_TIME = 64
MAX_SCHEMA_VERSION = 2**31 - 1  # the column is a 32-bit integer on PostgreSQL


@dataclass(frozen=True)
class Decision:
    """The hub's answer for one event."""

    status: str  # "acked" | "rejected"
    code: str | None = None
    message: str | None = None
    conflict: str | None = None


ACKED = Decision("acked")


def reject(code: str, message: str) -> Decision:
    """A final rejection with its reason."""
    return Decision("rejected", code, message)


class _PackCompleted(BaseModel):
    # No control characters: an order number is looked up, and PostgreSQL refuses a NUL.
    order: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f]+$")


def check_envelope(event: EventIn) -> Decision | None:
    """A rejection if the event is malformed, whatever its type; None if it is well formed."""
    if not _UUID.fullmatch(event.event_id):
        return reject("invalid_event", "event_id is not a UUID")
    if len(event.type) > MAX_TYPE_LEN or not _TYPE.fullmatch(event.type):
        return reject("invalid_event", f"event type {event.type[:MAX_TYPE_LEN]!r} is malformed")
    if not storable(event.payload) or not isinstance(event.payload, dict):
        return reject("invalid_event", "payload is not a JSON object")
    if event.device_time is not None and (
        len(event.device_time) > MAX_DEVICE_TIME or "\x00" in event.device_time
    ):
        return reject("invalid_event", "device_time is too long or holds a NUL")
    if len(event.blob_hashes) > MAX_BLOBS:
        return reject("invalid_event", f"more than {MAX_BLOBS} blobs")
    if not 1 <= event.schema_version <= MAX_SCHEMA_VERSION:
        return reject("invalid_event", f"schema version {event.schema_version}")
    known = KNOWN_VERSIONS.get(event.type)
    if known is not None and event.schema_version > known:
        return reject(
            "unsupported_version",
            f"{event.type} version {event.schema_version} is newer than this hub ({known})",
        )
    bad = [h for h in event.blob_hashes if not _SHA256.fullmatch(h)]
    if bad:
        return reject("invalid_event", "a blob hash is not a SHA-256 in lower-case hex")
    return None


def storable(payload: object) -> bool:
    """True if ``payload`` is strict JSON (no NaN or infinity, which PostgreSQL refuses)."""
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError):
        return False
    return True


def apply_event(session: Session, station: StationRef, event: EventIn) -> Decision:
    """The effect of a well-formed event on the hub's state, and the decision."""
    if event.type == UNSENDABLE:
        # The station could not send the event itself; it is rejected for the station's
        # reason, so both sides list it as a dead letter.
        code = event.payload.get("code") if isinstance(event.payload, dict) else None
        detail = event.payload.get("detail") if isinstance(event.payload, dict) else None
        return reject(
            code if code in UNSENDABLE_CODES else "unsendable",
            str(detail or "the station could not send this event")[:500],
        )
    if event.type == "pack.completed":
        try:
            payload = _PackCompleted.model_validate(event.payload)
        except ValidationError as exc:
            return reject("invalid_payload", f"pack.completed: {exc.errors()[0]['msg']}")
        return _pack_completed(session, station, event, payload.order)
    if event.type == "return.inspection_completed" and isinstance(event.payload, dict):
        # Told to the hub's webhook subscribers as it came: the station's own summary.
        emit(session, "return.inspected", {"station": station.name, **event.payload})
        return ACKED
    if event.type == "rma.created":
        try:
            rma = RmaRecord.model_validate(event.payload)
        except ValidationError as exc:
            return reject("invalid_payload", f"rma.created: {exc.errors()[0]['msg']}")
        # A bench created it for a parcel that came without one: every bench should know it.
        if get_record(session, "rma", rma.number) is None:
            put_records(session, "rma", [(rma.number, rma.model_dump())])
        return ACKED
    return ACKED


def _pack_completed(session: Session, station: StationRef, event: EventIn, number: str) -> Decision:
    # Locked: two stations completing the same order at once are decided one after the other.
    order = get_record(session, "order", number, for_update=True)
    if order is None:
        return ACKED  # an order the hub does not manage (imported at the station itself)
    status = order.get("status")
    if status in ("packed", "shipped"):
        first = order.get("packed_by")
        if first == station.name:
            return ACKED
        _conflict(session, "packed_twice", number, station, event, {"first": first})
        return reject(
            "already_packed", f"order {number} was already packed at {first or 'another station'}"
        )
    if status in ("cancelled", "on_hold"):
        # The box exists: the fact is kept, and a supervisor decides what happens to it.
        kind = f"packed_while_{status}"
        _conflict(session, kind, number, station, event, {"status": status})
        return Decision("acked", conflict=kind)
    order.update(status="packed", packed_by=station.name, packed_at=utcnow().isoformat())
    put_records(session, "order", [(number, order)])
    packed = event.payload if isinstance(event.payload, dict) else {}
    emit(
        session,
        "order.packed",
        {
            "order": number,
            "station": station.name,
            "packed_at": order["packed_at"],
            "packages": packed.get("packages"),
            "lines": packed.get("lines"),
        },
    )
    # A shop's order tells its shop; with tracking only once a number is known (the event's,
    # or one imported with the order). The hub's shipping service calls package_shipped too.
    payload = event.payload if isinstance(event.payload, dict) else {}
    tracking = payload.get("tracking_number") or order.get("tracking_number")
    if isinstance(tracking, str) and tracking:
        carrier = payload.get("carrier") or order.get("carrier")
        url = payload.get("tracking_url")
        package_shipped(
            session,
            number,
            1,
            str(carrier) if carrier else None,
            tracking[:64],
            str(url)[:500] if url else None,
        )
    return ACKED


def _conflict(
    session: Session,
    kind: str,
    number: str,
    station: StationRef,
    event: EventIn,
    detail: dict[str, object],
) -> None:
    session.add(
        HubConflict(
            kind=kind,
            order_number=number,
            station_id=station.id,
            event_id=event.event_id,
            detail={"station": station.name, "station_seq": event.station_seq, **detail},
        )
    )
