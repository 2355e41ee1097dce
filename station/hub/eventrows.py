"""An event as the hub stores it: a row every database takes, whatever the station sent.

A rejected event is stored too (its ``station_seq`` is spent, and a supervisor reads why), so
even a malformed one must fit: PostgreSQL refuses a NUL character in any text and a number out
of its column's range, where SQLite takes both. Texts are cut to their columns and NULs
replaced (in the payload too); a payload the database cannot hold is replaced by a marker.
The same cleaning is applied to the ``event_id`` a replay is compared with, so a replay still
matches.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DataError, StatementError

from station.hub.rules import MAX_SCHEMA_VERSION, Decision, storable
from station.sync.protocol import EventIn, EventResult

UNSTORABLE_PAYLOAD = {"unstorable": True}
_REPLAY = Decision("acked", None, None, None)  # only to build a row for comparison


def clean_text(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with no NUL (PostgreSQL refuses it in text)."""
    return text.replace("\x00", "\ufffd")[:limit]


def without_nul(value: Any) -> Any:
    """``value`` (parsed JSON) with every NUL in its strings and keys replaced.

    PostgreSQL reads a JSON ``\\u0000`` as text nowhere: the console's indexes on payload
    fields read the payload as text, so an event with a NUL anywhere in it could not be stored.
    """
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if isinstance(value, dict):
        return {str(k).replace("\x00", "\ufffd"): without_nul(v) for k, v in value.items()}
    return value


def stored_event_id(event: EventIn) -> str:
    """The id as stored: a malformed id must still be answered on replay."""
    return clean_text(event.event_id, 64)


def event_row(
    station_id: int,
    event: EventIn,
    decision: Decision,
    now: datetime,
    *,
    checked: bool = False,
    bare: bool = False,
) -> dict[str, Any]:
    """The ``hub_events`` row of ``event`` with its decision, for one bulk INSERT.

    ``checked``: the envelope passed (so the payload is known to be storable); ``bare``
    keeps only what always fits.
    """
    keep_payload = not bare and (checked or storable(event.payload))
    # Out of range only in a rejected event (see check_envelope): kept as 0, "not known".
    version = event.schema_version if 0 <= event.schema_version <= MAX_SCHEMA_VERSION else 0
    return {
        "station_id": station_id,
        "station_seq": event.station_seq,
        "event_id": stored_event_id(event),
        "type": clean_text(event.type, 200),
        "schema_version": 0 if bare else version,
        "payload": without_nul(event.payload) if keep_payload else UNSTORABLE_PAYLOAD,
        "blob_hashes": [] if bare else list(event.blob_hashes[:64]),
        "device_time": None if bare else clean_text(event.device_time or "", 64) or None,
        "content_sha256": content_digest(event),
        "received_at": now,
        "status": decision.status,
        "code": decision.code,
        "message": decision.message,
        "conflict": decision.conflict,
    }


def content_digest(event: EventIn) -> str:
    """SHA-256 of what an event says (type, version, payload, photos, device time), as sent.

    Canonical JSON (keys sorted; ASCII, so a lone surrogate is escaped, never an error;
    NaN and infinities as JSON's extensions): the same event gives the same digest on every
    push, whatever the database made of its values.
    """
    content = [
        event.type,
        event.schema_version,
        event.payload,
        event.blob_hashes,
        event.device_time,
    ]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def changed_fields(stored: Any, event: EventIn) -> list[str]:
    """Which fields of ``event`` differ from the ``hub_events`` row ``stored`` of its seq.

    Compared as stored (texts cleaned and cut, as event_row does), so an honest replay of a
    malformed event still matches. Where the database could not hold the payload, the row
    keeps a marker instead (and, stored bare, no version, hashes or device time): then only
    the type can be compared.
    """
    row = event_row(stored.station_id, event, _REPLAY, stored.received_at)
    if stored.payload == UNSTORABLE_PAYLOAD:
        return ["type"] if row["type"] != stored.type else []
    changed = [
        name
        for name in ("type", "schema_version", "blob_hashes", "device_time")
        if row[name] != getattr(stored, name)
    ]
    if _canonical(row["payload"]) != _canonical(stored.payload):
        changed.append("payload")
    return changed


def _canonical(value: object) -> str:
    # One text per JSON value whatever the key order the database kept.
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def result_of(event: EventIn, decision: Decision) -> EventResult:
    """The answer the station gets for ``event`` (the same on every replay)."""
    # Built from values the hub holds, not from input: validating 10,000 of them costs 0.1 s.
    return EventResult.model_construct(
        station_seq=event.station_seq,
        event_id=event.event_id,
        status="acked" if decision.status == "acked" else "rejected",
        code=decision.code,
        message=decision.message,
        conflict=decision.conflict,
    )


def is_data_problem(exc: BaseException) -> bool:
    """True if the database refused a value (deterministic: retrying cannot help), as
    opposed to a lost connection, a deadlock or a full disk."""
    if isinstance(exc, DataError):
        return True
    # Values the driver cannot even send (an int beyond 64 bits, a lone surrogate).
    return type(exc) is StatementError and isinstance(
        exc.orig, ValueError | OverflowError | UnicodeError
    )
