"""Return authorisations: upserted from the hub's change feed, or created at the bench.

The hub side (``station/sync``) calls :func:`upsert_rmas` with the ``data`` of each ``rma``
change of a pull page. A record is::

    {"number": "RMA-2041", "order_number": "SO-100017", "return_label": "1Z999...",
     "tracking_number": "JD0146...", "status": "open", "note": "...",
     "items": [{"sku": "ELE-0042", "quantity": 1, "reason": "defective", "note": "..."}]}

and a tombstone is ``{"number": "RMA-2041", "deleted": true}``. Once a bench has begun
receiving an RMA, the bench owns its lines: a later pull updates the labels, never the lines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import Order, Product, Rma, RmaItem, RmaSource, RmaStatus, utcnow
from station.outbox import append_event, next_seq, sql_time
from station.returns.reads import ReturnReads


@dataclass
class UpsertReport:
    """What a batch of pulled RMA records did."""

    created: int = 0
    updated: int = 0
    cancelled: int = 0
    kept: int = 0  # being received here: lines left as the bench has them
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def _lines(record: Mapping[str, Any]) -> list[tuple[str, int, str, str | None]]:
    items = record.get("items", [])
    if not isinstance(items, list):
        raise ValueError("items must be a list")
    out = []
    for item in items:
        if not isinstance(item, Mapping) or not str(item.get("sku", "")).strip():
            raise ValueError("each item needs a sku")
        quantity = item.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
            raise ValueError(f"item {item['sku']}: quantity must be a whole number above 0")
        note = item.get("note")
        out.append((str(item["sku"]), quantity, str(item.get("reason") or ""), note))
    return out


def upsert_rmas(session: Session, records: Iterable[Mapping[str, Any]]) -> UpsertReport:
    """Insert or update RMAs from pulled records, in the caller's session (not committed).

    A record that cannot be applied is reported in ``rejected`` and skipped, so one bad
    record never stops a pull.
    """
    report = UpsertReport()
    for record in records:
        number = str(record.get("number") or "").strip()
        if not number:
            report.rejected.append(("", "a record without a number"))
            continue
        rma = session.scalar(select(Rma).where(Rma.number == number))
        busy = rma is not None and rma.status in (RmaStatus.RECEIVING, RmaStatus.RECEIVED)
        if record.get("deleted") or record.get("status") == RmaStatus.CANCELLED:
            if rma is not None and not busy and rma.status != RmaStatus.CANCELLED:
                rma.status, rma.updated_at = RmaStatus.CANCELLED, utcnow()
                report.cancelled += 1
            continue
        try:
            lines = _lines(record)
        except ValueError as exc:
            report.rejected.append((number, str(exc)))
            continue
        if rma is None:
            rma = Rma(number=number, source=RmaSource.HUB, status=RmaStatus.OPEN)
            session.add(rma)
            report.created += 1
        elif busy:
            report.kept += 1
        else:
            report.updated += 1
        for key in ("return_label", "tracking_number", "note"):
            if key in record:
                setattr(rma, key, record[key] or None)
        rma.order_number = record.get("order_number") or rma.order_number
        rma.order_id = session.scalar(select(Order.id).where(Order.number == rma.order_number))
        rma.updated_at = utcnow()
        if busy:
            continue
        rma.items.clear()
        session.flush()  # the old lines go before new ones reuse their line numbers
        for n, (sku, quantity, reason, note) in enumerate(lines, start=1):
            product_id = session.scalar(select(Product.id).where(Product.sku == sku))
            rma.items.append(
                RmaItem(
                    line_no=n,
                    product_id=product_id,
                    sku=sku,
                    quantity=quantity,
                    reason=reason,
                    note=note,
                )
            )
    session.flush()
    return report


@dataclass(frozen=True)
class RmaLine:
    """A line of an RMA created at the bench."""

    sku: str
    quantity: int = 1
    reason: str = ""


def create_rma(
    j: ReturnReads,
    order_id: int,
    lines: Iterable[RmaLine],
    user_id: int | None,
    note: str | None = None,
    tracking_number: str | None = None,
) -> tuple[int, str]:
    """An RMA for a parcel that came without one, with its ``rma.created`` event.

    Runs in the caller's transaction; the number is ``RMA-<STATION>-<n>``, unique per
    station, so two benches never collide before the hub has heard of either.
    """
    cur: sqlite3.Cursor = j.cur
    order_number = cur.execute("SELECT number FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
    number = f"RMA-{j.station.upper()}-{next_seq(cur, f'rma:{j.station}'):05d}"
    now = sql_time(j.now)
    rma_id = cur.execute(
        "INSERT INTO rmas (number, order_id, order_number, tracking_number, source, status,"
        " note, created_by, station, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, 'bench', 'open', ?, ?, ?, ?, ?) RETURNING id",
        (number, order_id, order_number, tracking_number, note, user_id, j.station, now, now),
    ).fetchone()[0]
    items: list[dict[str, object]] = []
    for n, line in enumerate(lines, start=1):
        product = j.product_by_sku(line.sku)
        if line.quantity < 1:
            raise ValueError(f"{line.sku}: quantity must be at least 1")
        cur.execute(
            "INSERT INTO rma_items (rma_id, line_no, product_id, sku, quantity, reason)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (rma_id, n, product.id if product else None, line.sku, line.quantity, line.reason),
        )
        items.append({"sku": line.sku, "quantity": line.quantity, "reason": line.reason})
    record: dict[str, object] = {
        "number": number,
        "order_number": order_number,
        "tracking_number": tracking_number,
        "status": "open",
        "note": note,
        "items": items,
        "station": j.station,
        "at": j.now.isoformat(),
    }
    append_event(cur, "rma.created", record, j.now)
    return int(rma_id), number
