"""Reads of the inspection session, on the DB-API cursor of the caller's transaction.

Plain SQL like the pack engine's journal: these run on every scan at the bench. The state
of an open inspection is read back whole after each transaction (a parcel holds a handful of
units, so this costs well under a millisecond) rather than patched in memory.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from station.returns.state import ExpectedLine, InspectionState, ItemView


@dataclass(frozen=True)
class ProductInfo:
    """What grading and the rules need to know of a product."""

    id: int
    sku: str
    name: str
    tracking: str
    category: str | None
    unit_value: float | None


@dataclass(frozen=True)
class RmaRow:
    """An RMA's identity, its order and status."""

    id: int
    number: str
    order_id: int | None
    order_number: str | None
    status: str


def _date(text: str | None) -> date | None:
    return None if not text else date.fromisoformat(str(text)[:10])


_PRODUCT = "SELECT id, sku, name, tracking, category, unit_value FROM products"
_ITEMS = (
    "SELECT ri.id, ri.sku, p.name, ri.verdict, ri.status, ri.serial, ri.lot, ri.expiry,"
    " ri.fraud, ri.fraud_reason, ri.customer_reason, ri.observed_reason, ri.grade,"
    " ri.disposition, ri.refund, ri.refund_pct, ri.rule,"
    " (SELECT count(*) FROM return_item_photos ph WHERE ph.item_id = ri.id),"
    " ri.product_id, ri.rma_item_id, ri.checklist, ri.hold_reason"
    " FROM return_items ri LEFT JOIN products p ON p.id = ri.product_id"
    " WHERE ri.inspection_id = ? ORDER BY ri.id"
)


class ReturnReads:
    """Lookups of the inspection session within the caller's transaction."""

    def __init__(self, cur: sqlite3.Cursor, station: str, now: datetime) -> None:
        self.cur = cur
        self.station = station
        self.now = now

    def product_by_keys(self, keys: tuple[str, ...]) -> ProductInfo | None:
        """The product owning the first of ``keys`` that is one of its barcodes."""
        for key in keys:
            row = self.cur.execute(
                f"{_PRODUCT} WHERE id = (SELECT product_id FROM product_barcodes WHERE code = ?)",
                (key,),
            ).fetchone()
            if row is not None:
                return ProductInfo(*row)
        return None

    def product(self, product_id: int) -> ProductInfo:
        """A product by id."""
        return ProductInfo(*self.cur.execute(f"{_PRODUCT} WHERE id = ?", (product_id,)).fetchone())

    def product_by_sku(self, sku: str) -> ProductInfo | None:
        """A product by SKU."""
        row = self.cur.execute(f"{_PRODUCT} WHERE sku = ?", (sku,)).fetchone()
        return None if row is None else ProductInfo(*row)

    def rma(self, rma_id: int) -> RmaRow:
        """An RMA by id."""
        row = self.cur.execute(
            "SELECT id, number, order_id, order_number, status FROM rmas WHERE id = ?", (rma_id,)
        ).fetchone()
        return RmaRow(*row)

    def order_id(self, number: str | None) -> int | None:
        """An order's id by number."""
        if not number:
            return None
        row = self.cur.execute("SELECT id FROM orders WHERE number = ?", (number,)).fetchone()
        return None if row is None else int(row[0])

    def open_inspection_id(self) -> int | None:
        """The inspection this station had open when it stopped, if any."""
        row = self.cur.execute(
            "SELECT id FROM inspections WHERE station = ? AND status = 'open'"
            " ORDER BY id DESC LIMIT 1",
            (self.station,),
        ).fetchone()
        return None if row is None else int(row[0])

    def inspection_of(self, rma_id: int) -> tuple[int, str] | None:
        """The open inspection of an RMA (id, station), on any station."""
        row = self.cur.execute(
            "SELECT id, station FROM inspections WHERE rma_id = ? AND status = 'open'"
            " ORDER BY id DESC LIMIT 1",
            (rma_id,),
        ).fetchone()
        return None if row is None else (int(row[0]), str(row[1]))

    def load(self, inspection_id: int) -> InspectionState:
        """Rebuild an inspection's state from the database."""
        rma_id, order_id, pending, number, order_number = self.cur.execute(
            "SELECT i.rma_id, i.order_id, i.pending, r.number, r.order_number FROM inspections i"
            " JOIN rmas r ON r.id = i.rma_id WHERE i.id = ?",
            (inspection_id,),
        ).fetchone()
        sale = None
        if order_id is not None:
            order_number, created = self.cur.execute(
                "SELECT number, created_at FROM orders WHERE id = ?", (order_id,)
            ).fetchone()
            sale = _date(created)
        expected = [
            ExpectedLine(int(i), p, sku, int(q), reason or "")
            for i, p, sku, q, reason in self.cur.execute(
                "SELECT id, product_id, sku, quantity, reason FROM rma_items WHERE rma_id = ?"
                " ORDER BY line_no",
                (rma_id,),
            ).fetchall()
        ]
        return InspectionState(
            inspection_id=inspection_id,
            rma_id=int(rma_id),
            rma_number=number,
            order_id=order_id,
            order_number=order_number,
            sale_date=sale,
            expected=expected,
            shipped=self._shipped(order_id),
            returned_before=self._returned_before(order_id, inspection_id),
            items=self.items(inspection_id),
            pending=json.loads(pending) if pending else None,
        )

    def items(self, inspection_id: int) -> list[ItemView]:
        """The units of an inspection, in the order they were scanned."""
        out = []
        for row in self.cur.execute(_ITEMS, (inspection_id,)).fetchall():
            values = list(row)
            values[7] = _date(values[7])
            values[8] = bool(values[8])
            stored = values[20]
            values[20] = json.loads(stored) if isinstance(stored, str) else stored
            out.append(ItemView(*values))
        return out

    def _shipped(self, order_id: int | None) -> dict[int, tuple[int, int]]:
        if order_id is None:
            return {}
        shipped: dict[int, tuple[int, int]] = {}
        for line_id, product_id, quantity in self.cur.execute(
            "SELECT id, product_id, quantity FROM order_lines WHERE order_id = ?"
            " UNION ALL SELECT l.id, k.component_id, l.quantity * k.quantity FROM order_lines l"
            " JOIN kit_components k ON k.kit_id = l.product_id WHERE l.order_id = ?",
            (order_id, order_id),
        ).fetchall():
            first_line, units = shipped.get(product_id, (line_id, 0))
            shipped[product_id] = (first_line, units + quantity)
        return shipped

    def _returned_before(self, order_id: int | None, inspection_id: int) -> dict[int, int]:
        if order_id is None:
            return {}
        rows = self.cur.execute(
            "SELECT ri.product_id, count(*) FROM return_items ri JOIN inspections i"
            " ON i.id = ri.inspection_id WHERE i.order_id = ? AND i.id != ?"
            " AND ri.status != 'undone' AND ri.verdict IN ('expected', 'not_in_return')"
            " GROUP BY ri.product_id",
            (order_id, inspection_id),
        ).fetchall()
        return {int(p): int(n) for p, n in rows if p is not None}

    # --- serial checks -------------------------------------------------------------------

    def shipped_serials(self, order_id: int, product_id: int) -> set[str]:
        """Serials of this product packed (accepted, not undone) on the order."""
        rows = self.cur.execute(
            "SELECT s.serial FROM scans s JOIN pack_sessions ps ON ps.id = s.session_id"
            " WHERE ps.order_id = ? AND s.product_id = ? AND s.verdict = 'accepted'"
            " AND s.undone = 0 AND s.serial IS NOT NULL",
            (order_id, product_id),
        ).fetchall()
        return {str(r[0]) for r in rows}

    def order_that_shipped(self, product_id: int, serial: str) -> str | None:
        """The order a serial of this product was packed into, if any."""
        row = self.cur.execute(
            "SELECT o.number FROM scans s JOIN pack_sessions ps ON ps.id = s.session_id"
            " JOIN orders o ON o.id = ps.order_id WHERE s.product_id = ? AND s.serial = ?"
            " AND s.verdict = 'accepted' AND s.undone = 0 LIMIT 1",
            (product_id, serial),
        ).fetchone()
        return None if row is None else str(row[0])

    def rma_that_returned(self, product_id: int, serial: str, inspection_id: int) -> str | None:
        """An RMA that already received this serial in another inspection, if any."""
        row = self.cur.execute(
            "SELECT r.number FROM return_items ri JOIN rmas r ON r.id = ri.rma_id"
            " WHERE ri.product_id = ? AND ri.serial = ? AND ri.status != 'undone'"
            " AND ri.inspection_id != ? LIMIT 1",
            (product_id, serial, inspection_id),
        ).fetchone()
        return None if row is None else str(row[0])
