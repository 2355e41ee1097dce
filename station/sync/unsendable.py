"""Events the station cannot send as they are, and the stub that goes in their place.

An event larger than the hub takes, or whose payload cannot be encoded as JSON (a lone
surrogate from a damaged string), can never go. Dropping it here would leave a hole the hub
refuses (``gap``), so a small stub goes under the same id and seq instead; the hub stores it
as a rejection with the station's reason and the queue goes on.
"""

from __future__ import annotations

import json

from station.sync.protocol import UNSENDABLE, EventIn


def _safe(text: str) -> str:
    # The stub must be encodable even when the event's own type is not.
    return text[:64].encode("utf-8", errors="replace").decode("utf-8")


def stub(event: EventIn, station: str, code: str, detail: str) -> EventIn:
    """What is sent for ``event``: its id and seq, the reason, no payload."""
    return EventIn(
        event_id=event.event_id,
        station_seq=event.station_seq,
        type=UNSENDABLE,
        schema_version=1,
        payload={"station": station, "code": code, "type": _safe(event.type), "detail": detail},
    )


def too_large(event: EventIn, station: str) -> EventIn:
    """The stub of an event the hub refused as too large even alone."""
    size = len(json.dumps(event.payload, default=str))
    return stub(event, station, "too_large", f"{_safe(event.type)} of {size} bytes: too large")


def unencodable(events: list[EventIn], station: str) -> dict[int, EventIn]:
    """Stubs, by seq, of the events whose JSON cannot be written (UTF-8 cannot hold them)."""
    stubs = {}
    for event in events:
        try:
            event.model_dump_json().encode("utf-8")
        except (ValueError, UnicodeError):  # PydanticSerializationError is a ValueError
            stubs[event.station_seq] = stub(
                event, station, "unencodable", f"{_safe(event.type)}: not encodable as JSON"
            )
    return stubs
