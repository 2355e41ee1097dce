"""The messages between a station and its hub (JSON over HTTP), shared by both sides.

Paths, limits and bodies live here so the hub's routes and the station's client cannot drift
apart. Event envelopes are deliberately lenient (``payload`` is any JSON value): a malformed
event must become a per-event rejection in a 200 answer, never a 422 for the whole batch,
because a batch refused as a whole would block the station's queue forever.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

API = "/v1"
ENROLL = f"{API}/enroll"
PUSH = f"{API}/sync/push"
PULL = f"{API}/sync/pull"
BLOBS_MISSING = f"{API}/blobs/missing"
BLOB = API + "/blobs/{sha256}"
# A product picture of the catalog, downloaded in chunks (issue 18, point 2).
CATALOG_IMAGE = API + "/catalog/images/{sha256}"
IMAGE_CHUNK_BYTES = 256 * 1024

# Entities of the change feed, in the order a station applies a page (products before the
# orders that reference them).
ENTITIES = ("product", "user", "order", "rma")

EventStatus = Literal["acked", "rejected"]

# Sent in place of an event the station cannot send at all (larger than the hub takes, or not
# encodable as JSON), under the same id and seq: the hub stores it as a rejection with the
# station's reason, so the seq is spent and the queue goes on (the hub refuses a gap).
UNSENDABLE = "station.unsendable"
UNSENDABLE_CODES = frozenset({"too_large", "unencodable"})


class EnrollRequest(BaseModel):
    """A station exchanging its one-time code for a token."""

    code: str = Field(max_length=64)
    station: str = Field(min_length=1, max_length=64)


class EnrollResponse(BaseModel):
    """The station's token: shown once, stored hashed on the hub."""

    station: str
    token: str


class EventIn(BaseModel):
    """One outbox event as the station sends it (sizes are checked per event by the hub)."""

    event_id: str
    station_seq: int = Field(ge=1)
    type: str
    schema_version: int = 1
    payload: Any = None
    blob_hashes: list[str] = Field(default_factory=list)
    device_time: str | None = None


class PushRequest(BaseModel):
    """Consecutive events of one station, oldest first."""

    station: str = Field(max_length=64)
    events: list[EventIn]
    # Blobs the station can no longer provide (a photo file gone or damaged): the events
    # naming them are accepted without them rather than blocking the queue.
    lost_blobs: list[str] = Field(default_factory=list)


class EventResult(BaseModel):
    """What the hub decided for one event; the same answer every time it is asked."""

    station_seq: int
    event_id: str
    status: EventStatus
    code: str | None = None
    message: str | None = None
    # Accepted, but the hub recorded a conflict for a supervisor (e.g. packed after a cancel).
    conflict: str | None = None


class PushResponse(BaseModel):
    """Results in the order of the request, and the next sequence number the hub expects."""

    results: list[EventResult]
    next_seq: int


class Health(BaseModel):
    """``GET /v1/health``: always 200 while the hub serves; ``degraded`` names its causes."""

    status: Literal["ok", "degraded"]
    time: str
    problems: list[str] = Field(default_factory=list)


# A station's report of itself rides on every pull as this header (JSON, ASCII): no round
# trip of its own, and a station that cannot send it still pulls.
REPORT_HEADER = "X-Station-Report"
MAX_REPORT_BYTES = 4096


class DeviceReport(BaseModel):
    """One device of a station as its status bar shows it."""

    device: str = Field(max_length=64)
    state: str = Field(max_length=16)
    reason: str = Field(default="", max_length=200)


class StationReport(BaseModel):
    """What a station says of itself with each pull: its devices, its queue, its last failure."""

    devices: list[DeviceReport] = Field(default_factory=list, max_length=16)
    pending: int = Field(default=0, ge=0)
    dead_letters: int = Field(default=0, ge=0)
    last_error: str | None = Field(default=None, max_length=300)


class ErrorBody(BaseModel):
    """The body of every 4xx/5xx answer the hub gives on purpose."""

    error: str
    message: str
    expected_seq: int | None = None
    missing: list[str] | None = None
    offset: int | None = None


class MissingBlobsRequest(BaseModel):
    """Hashes a station is about to reference."""

    hashes: list[str]


class MissingBlob(BaseModel):
    """A blob the hub lacks and how much of it an earlier upload already left there."""

    sha256: str
    offset: int = 0


class MissingBlobsResponse(BaseModel):
    """The subset of the asked hashes the hub does not hold complete."""

    missing: list[MissingBlob]


class BlobProgress(BaseModel):
    """State of one blob after a chunk was received."""

    sha256: str
    offset: int
    complete: bool


class ImageChunk(BaseModel):
    """Part of a catalog picture from ``offset`` (base64), with the whole picture's size."""

    sha256: str
    media_type: str
    size: int
    offset: int
    data: str


class Change(BaseModel):
    """One record of the change feed: the whole current record, or a tombstone."""

    seq: int
    entity: str
    key: str
    deleted: bool = False
    data: dict[str, Any] | None = None


class PullResponse(BaseModel):
    """An ordered page of changes and the opaque cursor to continue from."""

    changes: list[Change]
    cursor: str
    more: bool
