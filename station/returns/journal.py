"""Writes of the inspection session, in the caller's ``BEGIN IMMEDIATE`` transaction.

Each public action of the service runs these together with its outbox event in one
transaction, so a unit is never received, graded, restocked or tagged without its event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from station.audit import append_audit
from station.outbox import sql_time
from station.returns.disposition import Recommendation
from station.returns.reads import ReturnReads


@dataclass(frozen=True)
class ScanRow:
    """One row of ``return_scans``."""

    raw: str
    kind: str
    verdict: str
    interpretation: dict[str, object]
    symbology: str | None = None
    inspection_id: int | None = None
    product_id: int | None = None
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None


@dataclass(frozen=True)
class NewItem:
    """A unit received into an inspection."""

    inspection_id: int
    rma_id: int
    scan_id: int
    verdict: str
    product_id: int | None = None
    sku: str | None = None
    order_line_id: int | None = None
    rma_item_id: int | None = None
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    fraud: bool = False
    fraud_reason: str | None = None
    customer_reason: str | None = None


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


class ReturnJournal(ReturnReads):
    """Reads and writes of the inspection session within the caller's transaction."""

    def insert_scan(self, scan: ScanRow, user_id: int | None) -> int:
        """Record a scan at the returns bench; returns its id."""
        row = self.cur.execute(
            "INSERT INTO return_scans (inspection_id, user_id, station, raw, symbology, kind,"
            " interpretation, verdict, product_id, serial, lot, expiry, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (
                scan.inspection_id,
                user_id,
                self.station,
                scan.raw,
                scan.symbology,
                scan.kind,
                json.dumps(scan.interpretation, separators=(",", ":"), default=str),
                scan.verdict,
                scan.product_id,
                scan.serial,
                scan.lot,
                _iso(scan.expiry),
                sql_time(self.now),
            ),
        ).fetchone()
        return int(row[0])

    def insert_item(self, item: NewItem) -> int:
        """Receive a unit; returns its id."""
        row = self.cur.execute(
            "INSERT INTO return_items (inspection_id, rma_id, scan_id, product_id, sku,"
            " order_line_id, rma_item_id, verdict, serial, lot, expiry, fraud, fraud_reason,"
            " customer_reason, status, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,'received',?) RETURNING id",
            (
                item.inspection_id,
                item.rma_id,
                item.scan_id,
                item.product_id,
                item.sku,
                item.order_line_id,
                item.rma_item_id,
                item.verdict,
                item.serial,
                item.lot,
                _iso(item.expiry),
                int(item.fraud),
                item.fraud_reason,
                item.customer_reason,
                sql_time(self.now),
            ),
        ).fetchone()
        return int(row[0])

    def new_inspection(self, rma_id: int, order_id: int | None, user_id: int | None) -> int:
        """Open an inspection of an RMA at this station; the RMA becomes ``receiving``."""
        row = self.cur.execute(
            "INSERT INTO inspections (rma_id, order_id, user_id, station, status, started_at)"
            " VALUES (?, ?, ?, ?, 'open', ?) RETURNING id",
            (rma_id, order_id, user_id, self.station, sql_time(self.now)),
        ).fetchone()
        self.cur.execute(
            "UPDATE rmas SET status = 'receiving', order_id = coalesce(order_id, ?),"
            " updated_at = ? WHERE id = ?",
            (order_id, sql_time(self.now), rma_id),
        )
        return int(row[0])

    def set_pending(self, inspection_id: int, pending: dict[str, object] | None) -> None:
        """Persist what the next scan must supply, in the scan's transaction."""
        self.cur.execute(
            "UPDATE inspections SET pending = ? WHERE id = ?",
            (json.dumps(pending) if pending else None, inspection_id),
        )

    def complete(self, inspection_id: int, rma_id: int) -> None:
        """Close the inspection; the RMA is received."""
        now = sql_time(self.now)
        self.cur.execute(
            "UPDATE inspections SET status = 'completed', ended_at = ?, pending = NULL"
            " WHERE id = ?",
            (now, inspection_id),
        )
        self.cur.execute(
            "UPDATE rmas SET status = 'received', updated_at = ? WHERE id = ?", (now, rma_id)
        )

    def assess(
        self,
        item_id: int,
        checklist: dict[str, object],
        grade: str,
        observed_reason: str | None,
        notes: str | None,
        rec: Recommendation,
    ) -> None:
        """Record a unit's checklist, grade and the rules' recommendation (clears overrides)."""
        self.cur.execute(
            "UPDATE return_items SET checklist = ?, grade = ?, observed_reason = ?, notes = ?,"
            " disposition = ?, rule = ?, refund = ?, refund_pct = ?, recommended = NULL,"
            " override_reason = NULL, override_by = NULL, status = 'assessed' WHERE id = ?",
            (
                json.dumps(checklist),
                grade,
                observed_reason,
                notes,
                rec.disposition,
                rec.rule,
                rec.refund,
                rec.refund_pct,
                item_id,
            ),
        )

    def override(
        self,
        item_id: int,
        rec: Recommendation,
        recommended: Recommendation,
        user_id: int | None,
        *,
        keep_recommended: bool = False,
    ) -> None:
        """Replace the recommendation by the inspector's, keeping the rules' beside it."""
        self.cur.execute(
            "UPDATE return_items SET disposition = ?, rule = 'override', refund = ?,"
            " refund_pct = ?, recommended = CASE WHEN ? THEN recommended ELSE ? END,"
            " override_reason = ?, override_by = ? WHERE id = ?",
            (
                rec.disposition,
                rec.refund,
                rec.refund_pct,
                keep_recommended,
                json.dumps(recommended.to_json()),
                rec.why,
                user_id,
                item_id,
            ),
        )

    def set_item_status(self, item_id: int, status: str) -> None:
        """Dispose of a unit (final) or take it back."""
        decided = sql_time(self.now) if status == "disposed" else None
        self.cur.execute(
            "UPDATE return_items SET status = ?, decided_at = ? WHERE id = ?",
            (status, decided, item_id),
        )

    def hold(self, item_id: int, reason: str) -> None:
        """Set an arrived unit aside with its reason: neither disposed of nor taken back."""
        self.cur.execute(
            "UPDATE return_items SET status = 'held', hold_reason = ? WHERE id = ?",
            (reason, item_id),
        )

    def link_photo(self, item_id: int, photo_id: int) -> None:
        """Attach a stored photo to a unit."""
        self.cur.execute(
            "INSERT OR IGNORE INTO return_item_photos (item_id, photo_id) VALUES (?, ?)",
            (item_id, photo_id),
        )

    def add_stock(self, product_id: int, delta: int) -> int:
        """Change the local stock count of a product; returns the new count."""
        row = self.cur.execute(
            "INSERT INTO stock (product_id, on_hand, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (product_id) DO UPDATE SET on_hand = on_hand + excluded.on_hand,"
            " updated_at = excluded.updated_at RETURNING on_hand",
            (product_id, delta, sql_time(self.now)),
        ).fetchone()
        return int(row[0])

    def audit(
        self,
        user_id: int | None,
        action: str,
        entity: str,
        entity_id: str,
        detail: dict[str, object],
    ) -> None:
        """Append to the audit log."""
        append_audit(self.cur, self.now, self.station, user_id, action, entity, entity_id, detail)
