"""The evidence record of an order: what was packed, proven and printed, by whom and when,
and what came back: each return's inspections, units, grades, dispositions, refunds, photos.

Read-only: everything comes from rows the engine wrote in the transactions that decided them
(scans, weight readings, photos, print jobs, exceptions), so the record shows what the station
knew at the time, not what anyone remembers. ``to_json`` has stable keys for the hub and for
disputes; ``to_text`` is for a person at the bench.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.dangerous_goods import hazmat_name
from station.db.models import (
    AuditEntry,
    BoxType,
    CarrierLabel,
    Inspection,
    Order,
    OrderLine,
    Package,
    PackException,
    PackInsert,
    PackSession,
    Photo,
    PrintJob,
    Product,
    ReturnItem,
    ReturnItemPhoto,
    Rma,
    Scan,
    User,
    WeightReading,
)


def _at(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite hands back naive datetimes that were written as UTC)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


@dataclass
class PackageRecord:
    """One package of the order and everything recorded about it."""

    no: int
    sscc: str | None
    box: str | None
    weight_g: float | None
    expected_weight_g: float | None
    weight_status: str
    opened_at: str | None
    closed_at: str | None
    scans: list[dict[str, object]] = field(default_factory=list)
    weights: list[dict[str, object]] = field(default_factory=list)
    photos: list[dict[str, object]] = field(default_factory=list)
    labels: list[dict[str, object]] = field(default_factory=list)
    # The carrier label bought through the hub: carrier, service, tracking number (or why
    # it still waits); None when the station buys no carrier labels for it.
    carrier: dict[str, object] | None = None


@dataclass
class Evidence:
    """The record of one order."""

    order: str
    status: str
    sessions: list[dict[str, object]]
    packages: list[PackageRecord]
    exceptions: list[dict[str, object]]
    users: list[dict[str, object]]
    labels: list[dict[str, object]]  # order-level documents (no package)
    returns: list[dict[str, object]] = field(default_factory=list)  # RMAs and inspections
    # Videos of the pack, open to complete (station.video): a photos row of kind "video".
    videos: list[dict[str, object]] = field(default_factory=list)
    # Dangerous goods in the order (SKU, UN number, name) and the inserts its packs called
    # for, added or missing (issue 18); instruction confirmations are among the scans.
    hazmat: list[dict[str, object]] = field(default_factory=list)
    inserts: list[dict[str, object]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """One JSON-ready object with stable keys."""
        return asdict(self)


class _Names:
    """User ids to names, remembering who appears in the record."""

    def __init__(self, s: Session) -> None:
        self._users = {u.id: u for u in s.scalars(select(User))}
        self.seen: dict[int, set[str]] = {}

    def __call__(self, user_id: int | None, did: str) -> str | None:
        if user_id is None or user_id not in self._users:
            return None
        self.seen.setdefault(user_id, set()).add(did)
        return self._users[user_id].name

    def listing(self) -> list[dict[str, object]]:
        return [
            {"name": self._users[i].name, "role": self._users[i].role.value, "did": sorted(d)}
            for i, d in sorted(self.seen.items())
        ]


def _labels(jobs: list[PrintJob], names: _Names) -> list[dict[str, object]]:
    """Print jobs grouped by what they print: the latest copy's status and how many copies."""
    by_key: dict[str, list[PrintJob]] = {}
    for job in sorted(jobs, key=lambda j: (j.job_key, j.copy)):
        by_key.setdefault(job.job_key, []).append(job)
    out: list[dict[str, object]] = []
    for copies in by_key.values():
        last = copies[-1]
        out.append(
            {
                "template": last.template,
                "status": last.status.value,
                "copies": len(copies),
                "printed": sum(1 for c in copies if c.status.value == "done"),
                "printer": last.printer,
                "last_error": last.last_error,
                "requested_by": names(last.requested_by, "printed"),
                "at": _at(copies[0].created_at),
            }
        )
    return out


def gather(s: Session, number: str, photo_dir: Path) -> Evidence | None:
    """The evidence record of order ``number`` (None if there is no such order)."""
    order = s.scalar(select(Order).where(Order.number == number))
    if order is None:
        return None
    names = _Names(s)
    sessions = list(
        s.scalars(select(PackSession).where(PackSession.order_id == order.id).order_by("id"))
    )
    packages = list(
        s.scalars(
            select(Package).where(Package.order_id == order.id).order_by("session_id", "seq_no")
        )
    )
    boxes = {b.id: b.code for b in s.scalars(select(BoxType))}
    lines = {ln.id: ln for ln in s.scalars(select(OrderLine).where(OrderLine.order_id == order.id))}
    scans_of: dict[int, list[Scan]] = {p.id: [] for p in packages}
    for sc in s.scalars(select(Scan).where(Scan.package_id.in_(list(scans_of))).order_by("id")):
        scans_of[sc.package_id or 0].append(sc)
    # Only the SKUs this order can mention: the whole catalog made a record on a station with
    # 50,000 products cost ~60 ms (returns bench).
    wanted = {ln.product_id for ln in lines.values()} | {
        sc.product_id for group in scans_of.values() for sc in group if sc.product_id
    }
    skus = {
        pid: sku
        for pid, sku in s.execute(select(Product.id, Product.sku).where(Product.id.in_(wanted)))
    }
    jobs = list(s.scalars(select(PrintJob).where(PrintJob.order_id == order.id)))
    record: list[PackageRecord] = []
    for p in packages:
        pkg = PackageRecord(
            no=p.seq_no,
            sscc=p.sscc,
            box=boxes.get(p.box_type_id) if p.box_type_id else None,
            weight_g=p.weight_g,
            expected_weight_g=p.expected_weight_g,
            weight_status=p.weight_status,
            opened_at=_at(p.created_at),
            closed_at=_at(p.closed_at),
        )
        for sc in scans_of[p.id]:
            pkg.scans.append(
                {
                    "at": _at(sc.created_at),
                    "user": names(sc.user_id, "scanned"),
                    "raw": sc.raw,
                    "verdict": sc.verdict,
                    "sku": skus.get(sc.product_id) if sc.product_id else None,
                    "quantity": sc.quantity,
                    "serial": sc.serial,
                    "lot": sc.lot,
                    "undone": sc.undone,
                }
            )
        for w in s.scalars(
            select(WeightReading).where(WeightReading.package_id == p.id).order_by("id")
        ):
            pkg.weights.append(
                {
                    "at": _at(w.created_at),
                    "user": names(w.user_id, "weighed"),
                    "weight_g": w.weight_g,
                    "scale_state": w.scale_state,
                    "expected_g": w.expected_g,
                    "tolerance_g": w.tolerance_g,
                    "decision": w.decision,
                    "reason": w.reason,
                    "approved_by": names(w.approved_by, "approved"),
                }
            )
        for ph in s.scalars(select(Photo).where(Photo.package_id == p.id).order_by("id")):
            pkg.photos.append(_photo(ph, names, photo_dir))
        pkg.labels = _labels([j for j in jobs if j.package_id == p.id], names)
        bought = s.scalar(select(CarrierLabel).where(CarrierLabel.package_id == p.id))
        if bought is not None:
            pkg.carrier = {
                "status": bought.status,
                "carrier": bought.carrier,
                "service": bought.service,
                "tracking_number": bought.tracking_number,
                "price": bought.price,
                "currency": bought.currency,
                "billed_weight_g": bought.billed_weight_g,
                "at": _at(bought.updated_at),
                "override_by": names(bought.override_by, "overrode the label rule"),
                "last_error": bought.last_error,
                # Box k of N, the multi-piece master, and the packer's choice of rate (None:
                # the rule's): migration 0011.
                "package_no": bought.package_no,
                "package_count": bought.package_count,
                "master_tracking_number": bought.master_tracking_number,
                "chosen_by": names(bought.chosen_by, "chose the rate"),
                "chosen_account": bought.chosen_account,
            }
        record.append(pkg)
    exceptions: list[dict[str, object]] = [
        {
            "at": _at(e.created_at),
            "kind": e.kind,
            "reason": e.reason_code,
            "line_no": lines[e.order_line_id].line_no if e.order_line_id in lines else None,
            "sku": skus.get(lines[e.order_line_id].product_id)
            if e.order_line_id in lines
            else None,
            "quantity": e.quantity,
            "detail": e.detail,
            "requested_by": names(e.requested_by, "requested"),
            "approved_by": names(e.approved_by, "approved"),
        }
        for e in s.scalars(
            select(PackException).where(PackException.order_id == order.id).order_by("id")
        )
    ]
    packing: list[dict[str, object]] = [
        {
            "station": ps.station,
            "user": names(ps.user_id, "packed"),
            "status": ps.status.value,
            "started_at": _at(ps.started_at),
            "ended_at": _at(ps.ended_at),
        }
        for ps in sessions
    ]
    order_labels = _labels([j for j in jobs if j.package_id is None], names)
    returns = _returns(s, order, names, photo_dir)
    videos = [
        _photo(v, names, photo_dir, "recorded on video")
        for v in s.scalars(
            select(Photo)
            .where(Photo.order_id == order.id, Photo.kind == "video")
            .order_by(Photo.id)
        )
    ]
    hazmat: list[dict[str, object]] = [
        {"sku": sku, "un": un, "name": hazmat_name(un or "")}
        for sku, un in s.execute(
            select(Product.sku, Product.hazmat)
            .where(Product.id.in_(wanted), Product.hazmat.is_not(None))
            .order_by(Product.sku)
        )
    ]
    inserts: list[dict[str, object]] = [
        {
            "code": pi.code,
            "status": pi.status,
            "at": _at(pi.at),
            "user": names(pi.user_id, f"insert {pi.status}"),
        }
        for pi in s.scalars(
            select(PackInsert)
            .where(PackInsert.session_id.in_([ps.id for ps in sessions]))
            .order_by(PackInsert.id)
        )
    ]
    return Evidence(
        order=order.number,
        status=order.status.value,
        sessions=packing,
        packages=record,
        exceptions=exceptions,
        users=names.listing(),  # last: everyone named above
        labels=order_labels,
        returns=returns,
        videos=videos,
        hazmat=hazmat,
        inserts=inserts,
    )


def _photo(
    ph: Photo, names: _Names, photo_dir: Path, did: str = "photographed"
) -> dict[str, object]:
    return {
        "at": _at(ph.created_at),
        "user": names(ph.user_id, did),
        "kind": ph.kind,
        "sha256": ph.sha256,
        "path": str(photo_dir / ph.path),
        "size_bytes": ph.size_bytes,
        "present": ph.purged_at is None and (photo_dir / ph.path).is_file(),
        "purged_at": _at(ph.purged_at),
    }


def _override_approver(s: Session, item_id: int, names: _Names) -> str | None:
    """The supervisor who approved the unit's last override (the audit log holds it)."""
    user_id = s.scalar(
        select(AuditEntry.user_id)
        .where(
            AuditEntry.action == "approve.disposition_override",
            AuditEntry.entity == "return_item",
            AuditEntry.entity_id == str(item_id),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return names(user_id, "approved")


def _returns(s: Session, order: Order, names: _Names, photo_dir: Path) -> list[dict[str, object]]:
    """Each RMA of the order with its inspections and their units: the grade and checklist,
    the reasons, the disposition and refund (and an override with who approved it), photos."""
    out: list[dict[str, object]] = []
    for rma in s.scalars(
        select(Rma)
        .where((Rma.order_id == order.id) | (Rma.order_number == order.number))
        .order_by("id")
    ):
        inspections: list[dict[str, object]] = []
        for ins in s.scalars(select(Inspection).where(Inspection.rma_id == rma.id).order_by("id")):
            units: list[dict[str, object]] = []
            for item in s.scalars(
                select(ReturnItem).where(ReturnItem.inspection_id == ins.id).order_by("id")
            ):
                photos = s.scalars(
                    select(Photo)
                    .join(ReturnItemPhoto, ReturnItemPhoto.photo_id == Photo.id)
                    .where(ReturnItemPhoto.item_id == item.id)
                    .order_by(Photo.id)
                )
                units.append(
                    {
                        "sku": item.sku,
                        "verdict": item.verdict,
                        "serial": item.serial,
                        "lot": item.lot,
                        "fraud": item.fraud,
                        "fraud_reason": item.fraud_reason,
                        "customer_reason": item.customer_reason,
                        "observed_reason": item.observed_reason,
                        "checklist": item.checklist,
                        "grade": item.grade,
                        "notes": item.notes,
                        "disposition": item.disposition,
                        "rule": item.rule,
                        "refund": item.refund,
                        "refund_pct": item.refund_pct,
                        "recommended": item.recommended,
                        "override_reason": item.override_reason,
                        "override_by": names(item.override_by, "overrode"),
                        "override_approved_by": _override_approver(s, item.id, names),
                        "status": item.status.value,
                        "received_at": _at(item.created_at),
                        "decided_at": _at(item.decided_at),
                        "photos": [_photo(ph, names, photo_dir) for ph in photos],
                    }
                )
            inspections.append(
                {
                    "station": ins.station,
                    "user": names(ins.user_id, "inspected"),
                    "status": ins.status.value,
                    "started_at": _at(ins.started_at),
                    "ended_at": _at(ins.ended_at),
                    "units": units,
                }
            )
        out.append(
            {
                "rma": rma.number,
                "source": rma.source.value,
                "status": rma.status.value,
                # No note: it may name or reach the customer, and the privacy purge clears it.
                "created_by": names(rma.created_by, "created an RMA"),
                "created_at": _at(rma.created_at),
                "announced": [
                    {"sku": i.sku, "quantity": i.quantity, "reason": i.reason} for i in rma.items
                ],
                "inspections": inspections,
            }
        )
    return out
