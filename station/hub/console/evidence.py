"""The evidence of one order as the hub holds it: found by any number a caller may give.

Everything comes from what stations pushed (``hub_events``: scans with their verdicts,
weights against the expected weight, photos, confirmed labels, exceptions, returns) and
from the order and RMA records of the change feed. Nothing is read from station users: no
PIN or badge hash can reach a page. The customer's address is read from the one order
asked for; a search answers with order numbers and states only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.hub.console.jsontext import JsonText
from station.hub.models import HubEvent, HubRecord, HubStation

MAX_QUERY = 200
MAX_MATCHES = 50
# Event types that make up the record of a pack, in the order they are shown.
PACK_TYPES = (
    "pack.started",
    "scan.recorded",
    "weight.recorded",
    "photo.taken",
    "label.confirmed",
    "exception.recorded",
    "pack.completed",
    "video.recorded",
)
RETURN_TYPES = ("return.scan", "return.inspection_completed", "photo.taken")


@dataclass(frozen=True)
class Match:
    """An order a search found, and how."""

    order: str
    status: str
    found_by: str


@dataclass
class PackageEvidence:
    """One package of the order: its scans, weights, photos and labels."""

    no: int
    box: str | None = None
    scans: list[dict[str, Any]] = field(default_factory=list)
    weights: list[dict[str, Any]] = field(default_factory=list)
    photos: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReturnEvidence:
    """An RMA of the order, with its inspection (grades) and unit photos."""

    number: str
    status: str
    items: list[dict[str, Any]]
    inspections: list[dict[str, Any]] = field(default_factory=list)
    scans: list[dict[str, Any]] = field(default_factory=list)
    photos: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OrderEvidence:
    """The record of one order: what it asked for, what was packed, proven and returned."""

    order: str
    status: str
    customer: dict[str, Any] | None
    carrier: str | None
    tracking_number: str | None
    lines: list[dict[str, Any]]
    packed_by: str | None
    packed_at: str | None
    packages: list[PackageEvidence]
    exceptions: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    returns: list[ReturnEvidence]
    people: list[str]
    # Pack videos (``video.recorded``): one spans all the order's packages.
    videos: list[dict[str, Any]] = field(default_factory=list)

    def photo_hashes(self) -> set[str]:
        """Every photo of this record (the only blobs its viewer may fetch through it)."""
        hashes = {str(p["sha256"]) for pkg in self.packages for p in pkg.photos}
        return hashes | {str(p["sha256"]) for r in self.returns for p in r.photos}

    def video_of(self, sha256: str) -> dict[str, Any] | None:
        """The pack video ``sha256`` of this record (the only videos its viewer may fetch)."""
        return next((v for v in self.videos if v.get("sha256") == sha256), None)


def search(session: Session, query: str) -> list[Match]:
    """Orders whose number, tracking number, RMA, customer name or e-mail is ``query``.

    Exact matches (names and e-mails without regard to case): a console search looks up one
    customer's parcel, it does not browse customers.
    """
    q = query.strip()[:MAX_QUERY]
    if not q:
        return []
    found: dict[str, Match] = {}

    def add(order: str | None, status: str | None, how: str) -> None:
        if order and order not in found and len(found) < MAX_MATCHES:
            found[order] = Match(order, status or "unknown", how)

    orders = HubRecord.entity == "order"
    live = HubRecord.deleted.is_(False)
    row = session.execute(
        select(HubRecord.key, JsonText(HubRecord.data, "status")).where(
            orders, live, HubRecord.key == q
        )
    ).first()
    if row is not None:
        add(row[0], row[1], "order number")
    for key, status in session.execute(
        select(HubRecord.key, JsonText(HubRecord.data, "status"))
        .where(orders, live, JsonText(HubRecord.data, "tracking_number") == q)
        .limit(MAX_MATCHES)
    ):
        add(key, status, "tracking number")
    # One query per way of finding (never OR-ed): each is served by its own index.
    rma_ways = (HubRecord.key == q, JsonText(HubRecord.data, "tracking_number") == q)
    for way in rma_ways:
        for number in session.scalars(
            select(JsonText(HubRecord.data, "order_number"))
            .where(HubRecord.entity == "rma", live, way)
            .limit(MAX_MATCHES)
        ):
            add(number, _order_status(session, number), "RMA")
    lowered = q.lower()
    for path in (("ship_to", "customer_name"), ("ship_to", "email")):
        for key, status in session.execute(
            select(HubRecord.key, JsonText(HubRecord.data, "status"))
            .where(orders, live, func.lower(JsonText(HubRecord.data, *path)) == lowered)
            .limit(MAX_MATCHES)
        ):
            add(key, status, "customer")
    if not found:
        # An order the hub does not manage, known only from what a station pushed about it.
        event = session.scalar(
            select(HubEvent.id)
            .where(HubEvent.status == "acked", JsonText(HubEvent.payload, "order") == q)
            .limit(1)
        )
        if event is not None:
            add(q, "packed at a station", "order number")
    return list(found.values())


def _order_status(session: Session, number: str | None) -> str | None:
    if number is None:
        return None
    return session.scalar(
        select(JsonText(HubRecord.data, "status")).where(
            HubRecord.entity == "order", HubRecord.key == number
        )
    )


def _events(session: Session, key: str, value: str, types: tuple[str, ...]) -> list[Any]:
    return list(
        session.execute(
            select(HubEvent.type, HubEvent.payload, HubEvent.received_at, HubStation.name)
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(
                HubEvent.status == "acked",
                HubEvent.type.in_(types),
                JsonText(HubEvent.payload, key) == value,
            )
            .order_by(HubEvent.id)
        )
    )


def order_evidence(session: Session, number: str) -> OrderEvidence | None:
    """The record of order ``number``, or None if the hub knows nothing of it."""
    record = session.scalar(
        select(HubRecord.data).where(
            HubRecord.entity == "order", HubRecord.key == number, HubRecord.deleted.is_(False)
        )
    )
    events = _events(session, "order", number, PACK_TYPES)
    rmas = [
        d
        for d in session.scalars(
            select(HubRecord.data).where(
                HubRecord.entity == "rma",
                HubRecord.deleted.is_(False),
                JsonText(HubRecord.data, "order_number") == number,
            )
        )
        if d is not None
    ]
    if record is None and not events and not rmas:
        return None
    data: dict[str, Any] = record or {}
    packages: dict[int, PackageEvidence] = {}
    exceptions: list[dict[str, Any]] = []
    videos: list[dict[str, Any]] = []
    timeline: list[dict[str, Any]] = []
    people: set[str] = set()

    def package(payload: dict[str, Any]) -> PackageEvidence:
        no = payload.get("package")
        no = no if isinstance(no, int) else 1
        return packages.setdefault(no, PackageEvidence(no))

    for kind, payload, received, station in events:
        p: dict[str, Any] = payload if isinstance(payload, dict) else {}
        for who in (p.get("user"), p.get("approved_by"), p.get("requested_by")):
            if isinstance(who, str) and who:
                people.add(who)
        at = p.get("at") or received.isoformat()
        timeline.append({"at": at, "type": kind, "station": station, "user": p.get("user")})
        entry = {**p, "station": station, "at": at}
        if kind == "scan.recorded":
            package(p).scans.append(entry)
        elif kind == "weight.recorded":
            package(p).weights.append(entry)
        elif kind == "photo.taken":
            package(p).photos.append(entry)
        elif kind == "label.confirmed":
            package(p).labels.append(entry)
        elif kind == "exception.recorded":
            exceptions.append(entry)
        elif kind == "video.recorded" and isinstance(p.get("sha256"), str):
            videos.append(entry)
    returns = [_return_evidence(session, r) for r in rmas]
    ship_to = data.get("ship_to")
    return OrderEvidence(
        order=number,
        status=str(data.get("status") or "packed at a station"),
        customer=ship_to if isinstance(ship_to, dict) else None,
        carrier=data.get("carrier"),
        tracking_number=data.get("tracking_number"),
        lines=list(data.get("lines") or []),
        packed_by=data.get("packed_by"),
        packed_at=data.get("packed_at"),
        packages=[packages[n] for n in sorted(packages)],
        exceptions=exceptions,
        timeline=timeline,
        returns=returns,
        people=sorted(people),
        videos=videos,
    )


def _return_evidence(session: Session, rma: dict[str, Any]) -> ReturnEvidence:
    number = str(rma.get("number"))
    found = ReturnEvidence(number, str(rma.get("status") or "open"), list(rma.get("items") or []))
    for kind, payload, received, station in _events(session, "rma", number, RETURN_TYPES):
        p: dict[str, Any] = payload if isinstance(payload, dict) else {}
        entry = {**p, "station": station, "at": p.get("at") or received.isoformat()}
        if kind == "return.inspection_completed":
            found.inspections.append(entry)
        elif kind == "return.scan":
            found.scans.append(entry)
        else:
            found.photos.append(entry)
    return found
