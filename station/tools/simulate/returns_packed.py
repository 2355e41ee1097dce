"""Packed orders for the returns simulation: found, or packed first through ``PackService``.

Packing goes through the real engine (as ``station bench scan`` does), so the serials, lots
and packages the inspector compares returns with are exactly what a pack bench writes.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from station.barcodes import Interpreter
from station.config import Settings
from station.db import Database
from station.packing.service import PackService
from station.tools.demo import seed_demo


@dataclass(frozen=True)
class ShippedUnit:
    """One unit packed on an order, with the barcode to scan it by."""

    product_id: int
    sku: str
    tracking: str
    barcode: str
    serial: str | None
    lot: str | None
    expiry: str | None  # ISO date


def packed_orders(cur: sqlite3.Cursor) -> list[int]:
    """Orders packed at least once and not yet returned through an RMA."""
    rows = cur.execute(
        "SELECT o.id FROM orders o WHERE o.status IN ('packed', 'shipped')"
        " AND EXISTS (SELECT 1 FROM pack_sessions ps WHERE ps.order_id = o.id"
        " AND ps.status = 'completed')"
        " AND NOT EXISTS (SELECT 1 FROM rmas r WHERE r.order_id = o.id) ORDER BY o.id"
    ).fetchall()
    return [int(r[0]) for r in rows]


def shipped_units(cur: sqlite3.Cursor, order_id: int) -> list[ShippedUnit]:
    """The units the last completed pack session of an order packed, one per unit."""
    rows = cur.execute(
        "SELECT s.product_id, p.sku, p.tracking, (SELECT b.raw FROM product_barcodes b"
        " WHERE b.product_id = p.id ORDER BY b.id LIMIT 1), s.serial, s.lot, s.expiry,"
        " s.quantity FROM scans s JOIN products p ON p.id = s.product_id"
        " WHERE s.session_id = (SELECT max(id) FROM pack_sessions WHERE order_id = ?"
        " AND status = 'completed') AND s.verdict = 'accepted' AND s.undone = 0 ORDER BY s.id",
        (order_id,),
    ).fetchall()
    units = []
    for pid, sku, tracking, barcode, serial, lot, expiry, quantity in rows:
        unit = ShippedUnit(int(pid), sku, tracking, barcode or sku, serial, lot, expiry)
        units.extend([unit] * int(quantity))
    return units


def _scans(cur: sqlite3.Cursor, order_id: int, expiry: str) -> list[str]:
    number = cur.execute("SELECT number FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
    scans = [number]
    for line_no, qty, tracking, pid, code in cur.execute(
        "SELECT l.line_no, l.quantity, p.tracking, p.id, (SELECT raw FROM product_barcodes b"
        " WHERE b.product_id = p.id ORDER BY b.id LIMIT 1) FROM order_lines l"
        " JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no",
        (order_id,),
    ).fetchall():
        for unit in range(qty):
            scans.append(code)
            if tracking == "serial":
                scans.append(f"SIM-{order_id}-{line_no}-{unit}-{pid}")
            elif tracking in ("lot", "lot_expiry"):
                scans.append(f"L{pid % 997:03d}")
                if tracking == "lot_expiry":
                    scans.append(expiry)
    scans.append("CMD-COMPLETE")
    return scans


def ensure_packed(
    db: Database,
    settings: Settings,
    wanted: int,
    rng: random.Random,
    say: Callable[[str], None] = lambda _: None,
) -> int:
    """Pack open orders (adding demo orders if there are too few) until ``wanted`` await
    a return; returns how many orders were packed here."""
    cur = sqlite3.connect(db.path).cursor()
    try:
        missing = wanted - len(packed_orders(cur))
        if missing <= 0:
            return 0
        open_ids = [int(r[0]) for r in cur.execute("SELECT id FROM orders WHERE status = 'open'")]
        if len(open_ids) < missing:
            # A few spare: some demo orders are on hold or cancelled. The demo's own seed:
            # the same catalog as `station demo-data`, new order numbers.
            extra = missing - len(open_ids) + max(5, missing // 10)
            say(f"adding {extra} demo orders to pack")
            seed_demo(db, orders=extra)
            return ensure_packed(db, settings, wanted, rng, say)
        rng.shuffle(open_ids)
        expiry = (datetime.now(UTC).date() + timedelta(days=400)).strftime("%y%m%d")
        packer = PackService(db, Interpreter(settings.barcodes), settings.packing, "sim-pack")
        packed = 0
        try:
            for order_id in open_ids[:missing]:
                outcome = None
                for code in _scans(cur, order_id, expiry):
                    outcome = packer.scan(code)
                packed += outcome is not None and outcome.verdict.value == "completed"
        finally:
            packer.close()
        say(f"packed {packed} orders through the pack engine")
        return packed
    finally:
        cur.connection.close()
