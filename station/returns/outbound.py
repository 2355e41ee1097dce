"""What was shipped, for the inspection screen to show beside what came back.

The record itself is ``station.evidence`` (scans, weights, photos and labels of each package,
as the pack engine wrote them); this module picks out what an inspector compares a returned
unit with: the serials and lots packed per SKU, the weight of each box, the photos.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.evidence import Evidence, gather


@dataclass(frozen=True)
class ShippedPackage:
    """A box as it left."""

    no: int
    box: str | None
    sscc: str | None
    weight_g: float | None
    expected_weight_g: float | None
    weight_status: str
    units: int
    photos: tuple[str, ...]  # absolute paths of the photos still on disk


@dataclass(frozen=True)
class Shipped:
    """The outbound side of a return: packer, boxes, units, serials and lots, photos."""

    order: str
    status: str
    packed_by: str | None
    packed_at: str | None
    packages: tuple[ShippedPackage, ...] = ()
    serials: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sku -> serials
    lots: dict[str, tuple[str, ...]] = field(default_factory=dict)  # sku -> lots
    units: dict[str, int] = field(default_factory=dict)  # sku -> units packed
    evidence: Evidence | None = None  # the full record, for the screen's detail view

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (without the full record)."""
        out = asdict(self)
        out.pop("evidence")
        return out


def summarise(record: Evidence) -> Shipped:
    """The inspector's view of an order's evidence record."""
    serials: dict[str, list[str]] = {}
    lots: dict[str, list[str]] = {}
    units: dict[str, int] = {}
    packages = []
    for package in record.packages:
        count = 0
        for scan in package.scans:
            sku = scan.get("sku")
            if scan.get("verdict") != "accepted" or scan.get("undone") or not sku:
                continue
            quantity = int(str(scan.get("quantity") or 0))
            count += quantity
            units[str(sku)] = units.get(str(sku), 0) + quantity
            if scan.get("serial"):
                serials.setdefault(str(sku), []).append(str(scan["serial"]))
            if scan.get("lot") and scan["lot"] not in lots.get(str(sku), []):
                lots.setdefault(str(sku), []).append(str(scan["lot"]))
        photos = tuple(str(p["path"]) for p in package.photos if p.get("present"))
        packages.append(
            ShippedPackage(
                package.no,
                package.box,
                package.sscc,
                package.weight_g,
                package.expected_weight_g,
                package.weight_status,
                count,
                photos,
            )
        )
    done = [s for s in record.sessions if s.get("status") == "completed"]
    last = done[-1] if done else (record.sessions[-1] if record.sessions else {})
    return Shipped(
        order=record.order,
        status=record.status,
        packed_by=_text(last.get("user")),
        packed_at=_text(last.get("ended_at")),
        packages=tuple(packages),
        serials={k: tuple(v) for k, v in serials.items()},
        lots={k: tuple(v) for k, v in lots.items()},
        units=units,
        evidence=record,
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def shipped(db: Database, order_number: str, photo_dir: Path) -> Shipped | None:
    """What was shipped on an order, read in a deferred (read-only) transaction."""
    with Session(reader(db.engine)) as session:
        record = gather(session, order_number, photo_dir)
        return None if record is None else summarise(record)
