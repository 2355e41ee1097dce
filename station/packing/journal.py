"""SQL of the pack engine, on the DB-API cursor of the engine's one connection.

The scan path runs these statements for every scan (about one a second per packer, and the
benchmark's thousands), so they are plain parameterised SQL that sqlite3 keeps prepared, not ORM
round trips. The tables are those of ``station.db.models``; times are written in the text form
SQLAlchemy reads back (UTC).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from station.audit import append_audit
from station.outbox import sql_time
from station.packing.state import LineState, PackState
from station.user_ref import UserRef
from station.users import badge_holder

# Exceptions after which a line ships short: a short-ship, or a damaged unit not replaced.
SHORT_KINDS = ("short_ship", "damaged_short")


@dataclass(frozen=True)
class ProductRef:
    """The little the engine needs to know of a product."""

    id: int
    sku: str
    name: str
    tracking: str


@dataclass(frozen=True)
class OrderRef:
    """An order's identity and status."""

    id: int
    number: str
    status: str


@dataclass(frozen=True)
class ScanRow:
    """One row of the ``scans`` table as the engine writes it."""

    raw: str
    kind: str
    verdict: str
    interpretation: dict[str, object]
    symbology: str | None = None
    session_id: int | None = None
    package_id: int | None = None
    product_id: int | None = None
    order_line_id: int | None = None
    quantity: int = 0
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None


class Journal:
    """Reads and writes of the pack engine within the caller's transaction."""

    def __init__(self, cur: sqlite3.Cursor, station: str, now: datetime) -> None:
        self.cur = cur
        self.station = station
        self.now = now

    # --- lookups -------------------------------------------------------------------------

    def product_by_keys(self, keys: tuple[str, ...]) -> ProductRef | None:
        """The product owning the first of ``keys`` that is one of its barcodes."""
        if not keys:
            return None
        marks = ",".join("?" * len(keys))
        rows = self.cur.execute(
            "SELECT b.code, p.id, p.sku, p.name, p.tracking FROM product_barcodes b"
            f" JOIN products p ON p.id = b.product_id WHERE b.code IN ({marks})",
            keys,
        ).fetchall()
        if not rows:
            return None
        by_code = {row[0]: row for row in rows}
        for key in keys:
            if key in by_code:
                _, pid, sku, name, tracking = by_code[key]
                return ProductRef(pid, sku, name, tracking)
        return None

    def order_by_ref(self, ref: str) -> OrderRef | None:
        """An order by its number, or the active order in a tote."""
        row = self.cur.execute(
            "SELECT id, number, status FROM orders WHERE number = ?", (ref,)
        ).fetchone()
        if row is None:
            row = self.cur.execute(
                "SELECT id, number, status FROM orders WHERE tote = ?"
                " ORDER BY status IN ('open', 'in_progress') DESC, id DESC LIMIT 1",
                (ref,),
            ).fetchone()
        return None if row is None else OrderRef(int(row[0]), row[1], row[2])

    def is_order_number(self, code: str) -> bool:
        """Whether ``code`` is exactly the number of an order at this station."""
        row = self.cur.execute("SELECT 1 FROM orders WHERE number = ?", (code,)).fetchone()
        return row is not None

    def user_by_badge(self, badge: str) -> UserRef | None:
        """An active user by badge code."""
        row = badge_holder(self.cur, badge)  # a slow hash per candidate: see station.users
        return None if row is None else UserRef(*row)

    def box_by_code(self, code: str) -> tuple[int, str] | None:
        """A box type's id and name by its barcode."""
        row = self.cur.execute("SELECT id, name FROM box_types WHERE code = ?", (code,)).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def serial_packed(self, product_id: int, serial: str) -> str | None:
        """The order a serial of this product was already packed into, if any."""
        row = self.cur.execute(
            "SELECT coalesce(o.number, '?') FROM scans s"
            " LEFT JOIN pack_sessions ps ON ps.id = s.session_id"
            " LEFT JOIN orders o ON o.id = ps.order_id"
            " WHERE s.product_id = ? AND s.serial = ? AND s.verdict = 'accepted'"
            " AND s.undone = 0 LIMIT 1",
            (product_id, serial),
        ).fetchone()
        return None if row is None else str(row[0])

    def live_session(self, order_id: int) -> tuple[int, str] | None:
        """This station's open or parked session of an order."""
        row = self.cur.execute(
            "SELECT id, status FROM pack_sessions WHERE order_id = ? AND station = ?"
            " AND status IN ('open', 'parked') ORDER BY id DESC LIMIT 1",
            (order_id, self.station),
        ).fetchone()
        return None if row is None else (int(row[0]), row[1])

    def open_session_id(self) -> int | None:
        """The session this station had open when it stopped, if any."""
        row = self.cur.execute(
            "SELECT id FROM pack_sessions WHERE station = ? AND status = 'open'"
            " ORDER BY id DESC LIMIT 1",
            (self.station,),
        ).fetchone()
        return None if row is None else int(row[0])

    def load_state(self, session_id: int) -> PackState:
        """Rebuild a session's state from the database (resume, undo, after a failure)."""
        order_id, pending_json = self.cur.execute(
            "SELECT order_id, pending FROM pack_sessions WHERE id = ?", (session_id,)
        ).fetchone()
        number = self.cur.execute("SELECT number FROM orders WHERE id = ?", (order_id,)).fetchone()
        lines = [
            LineState(
                line_id=lid,
                line_no=no,
                product_id=pid,
                sku=sku,
                name=name,
                expected=qty,
                tracking=tracking,
                is_kit=bool(is_kit),
                barcode=barcode or "",
            )
            for lid, no, pid, qty, sku, name, tracking, is_kit, barcode in self.cur.execute(
                "SELECT l.id, l.line_no, l.product_id, l.quantity, p.sku, p.name, p.tracking,"
                " p.is_kit, (SELECT b.raw FROM product_barcodes b WHERE b.product_id = p.id"
                " ORDER BY b.id LIMIT 1) FROM order_lines l JOIN products p"
                " ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no",
                (order_id,),
            ).fetchall()
        ]
        for line in lines:
            if line.is_kit:
                for c, q, sku, name in self.cur.execute(
                    "SELECT k.component_id, k.quantity, p.sku, p.name FROM kit_components k"
                    " JOIN products p ON p.id = k.component_id WHERE k.kit_id = ? ORDER BY k.id",
                    (line.product_id,),
                ).fetchall():
                    line.components[int(c)] = int(q)
                    line.component_names[int(c)] = (str(sku), str(name))
        by_id = {line.line_id: line for line in lines}
        for line_id, qty in self.cur.execute(
            "SELECT order_line_id, quantity FROM exceptions WHERE session_id = ?"
            f" AND kind IN ({', '.join('?' for _ in SHORT_KINDS)}) AND approved_by IS NOT NULL",
            (session_id, *SHORT_KINDS),
        ).fetchall():
            by_id[line_id].short += qty
        package_id, package_no = self.cur.execute(
            "SELECT id, seq_no FROM packages WHERE session_id = ? ORDER BY seq_no DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        state = PackState(
            session_id=session_id,
            order_id=order_id,
            order_number=number[0],
            lines=lines,
            package_id=package_id,
            package_no=package_no,
        )
        for line_id, product_id, qty, pkg in self.cur.execute(
            "SELECT order_line_id, product_id, quantity, package_id FROM scans"
            " WHERE session_id = ? AND verdict = 'accepted' AND undone = 0 ORDER BY id",
            (session_id,),
        ).fetchall():
            by_id[line_id].add(product_id, qty)
            if pkg == package_id:
                state.package_items += qty
        pending = json.loads(pending_json) if pending_json else None
        if pending:
            state.quantity = pending.pop("quantity_next", None)
            state.pending = pending or None
        return state

    # --- writes --------------------------------------------------------------------------

    def insert_scan(self, scan: ScanRow, user_id: int | None) -> int:
        """Record a scan; returns its id."""
        row = self.cur.execute(
            "INSERT INTO scans (session_id, package_id, user_id, station, raw, symbology, kind,"
            " interpretation, verdict, product_id, order_line_id, quantity, serial, lot,"
            " expiry, undone, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?)"
            " RETURNING id",
            (
                scan.session_id,
                scan.package_id,
                user_id,
                self.station,
                scan.raw,
                scan.symbology,
                scan.kind,
                json.dumps(scan.interpretation, separators=(",", ":"), default=str),
                scan.verdict,
                scan.product_id,
                scan.order_line_id,
                scan.quantity,
                scan.serial,
                scan.lot,
                scan.expiry.isoformat() if scan.expiry else None,
                sql_time(self.now),
            ),
        ).fetchone()
        return int(row[0])

    def save_pending(self, state: PackState) -> None:
        """Persist what the next scan must supply, in the scan's transaction."""
        pending: dict[str, object] = dict(state.pending or {})
        if state.quantity is not None:
            pending["quantity_next"] = state.quantity
        self.cur.execute(
            "UPDATE pack_sessions SET pending = ? WHERE id = ?",
            (json.dumps(pending) if pending else None, state.session_id),
        )

    def new_session(self, order_id: int, user_id: int | None) -> tuple[int, int]:
        """Start a session with its first package; returns (session id, package id)."""
        now = sql_time(self.now)
        sid = self.cur.execute(
            "INSERT INTO pack_sessions (order_id, user_id, station, status, started_at)"
            " VALUES (?, ?, ?, 'open', ?) RETURNING id",
            (order_id, user_id, self.station, now),
        ).fetchone()[0]
        self.cur.execute(
            "UPDATE orders SET status = 'in_progress', updated_at = ? WHERE id = ?",
            (now, order_id),
        )
        return int(sid), self.new_package(int(sid), order_id, 1)

    def new_package(self, session_id: int, order_id: int, seq_no: int) -> int:
        """Open package number ``seq_no`` of a session."""
        row = self.cur.execute(
            "INSERT INTO packages (session_id, order_id, seq_no, status, created_at)"
            " VALUES (?, ?, ?, 'open', ?) RETURNING id",
            (session_id, order_id, seq_no, sql_time(self.now)),
        ).fetchone()
        return int(row[0])

    def close_package(self, package_id: int) -> None:
        """Close a package (no more items go in)."""
        self.cur.execute(
            "UPDATE packages SET status = 'closed', closed_at = ? WHERE id = ?",
            (sql_time(self.now), package_id),
        )

    def set_session_status(self, session_id: int, status: str) -> None:
        """Open, park or complete a session."""
        ended = sql_time(self.now) if status == "completed" else None
        self.cur.execute(
            "UPDATE pack_sessions SET status = ?, ended_at = ? WHERE id = ?",
            (status, ended, session_id),
        )

    def set_order_status(self, order_id: int, status: str) -> None:
        """Change an order's status."""
        self.cur.execute(
            "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
            (status, sql_time(self.now), order_id),
        )

    def set_box(self, package_id: int, box_id: int) -> None:
        """Record the box type used for a package."""
        self.cur.execute("UPDATE packages SET box_type_id = ? WHERE id = ?", (box_id, package_id))

    def last_accepted(self, session_id: int) -> tuple[int, int, int, str] | None:
        """(scan id, package id, quantity, sku) of the session's last counted scan."""
        row = self.cur.execute(
            "SELECT s.id, s.package_id, s.quantity, p.sku FROM scans s"
            " JOIN products p ON p.id = s.product_id WHERE s.session_id = ?"
            " AND s.verdict = 'accepted' AND s.undone = 0 ORDER BY s.id DESC LIMIT 1",
            (session_id,),
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), int(row[2]), row[3])

    def mark_undone(self, scan_id: int) -> None:
        """Take a counted scan back out of the box."""
        self.cur.execute("UPDATE scans SET undone = 1 WHERE id = ?", (scan_id,))

    def insert_exception(
        self,
        state: PackState,
        kind: str,
        reason: str,
        line_id: int | None,
        quantity: int,
        detail: str | None,
        requested_by: int | None,
        approved_by: int | None,
    ) -> int:
        """Record an exception (short-ship, damage, quantity override)."""
        row = self.cur.execute(
            "INSERT INTO exceptions (session_id, order_id, order_line_id, kind, reason_code,"
            " quantity, detail, requested_by, approved_by, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id",
            (
                state.session_id,
                state.order_id,
                line_id,
                kind,
                reason,
                quantity,
                detail,
                requested_by,
                approved_by,
                sql_time(self.now),
            ),
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
