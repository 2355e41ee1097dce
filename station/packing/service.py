"""The pack verification engine: decides each scan and commits it before answering.

One ``PackService`` per station, used from one thread at a time (the UI's database worker or
the command line). Each call runs in one ``BEGIN IMMEDIATE`` transaction that writes the scan,
its verdict and an outbox event; the ``Outcome`` is returned only after COMMIT. The in-memory
state is rebuilt from the database whenever a transaction fails, so memory never runs ahead of
what is stored.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from station.barcodes import Command, Interpretation, Interpreter, ScanKind
from station.config import PackingSettings
from station.db import Database
from station.outbox import append_event
from station.packing.capture import capture_text, parse_expiry
from station.packing.journal import Journal, ProductRef, ScanRow, UserRef
from station.packing.state import LineState, PackState
from station.packing.verdicts import Outcome, Verdict

Clock = Callable[[], datetime]
Approver = Callable[[str], UserRef | None]

_NEEDS = {"serial": Verdict.NEEDS_SERIAL, "lot": Verdict.NEEDS_LOT, "expiry": Verdict.NEEDS_EXPIRY}
_ASK = {
    "serial": "scan the serial number",
    "lot": "scan the lot / batch number",
    "expiry": "scan the expiry date (YYMMDD)",
}


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


@dataclass
class _Draft:
    """The scan being decided: what the engine writes for it."""

    interp: Interpretation
    verdict: Verdict = Verdict.UNKNOWN_CODE
    message: str = ""
    product: ProductRef | None = None
    line_id: int | None = None
    quantity: int = 0
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    awaiting: str | None = None


class PackService:
    """Open orders, decide scans, undo, new package, exceptions, complete."""

    def __init__(
        self,
        db: Database,
        interpreter: Interpreter,
        settings: PackingSettings,
        station: str,
        *,
        clock: Clock = utc_now,
        approver: Approver | None = None,
    ) -> None:
        self._raw = db.engine.raw_connection()
        conn = self._raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        self._conn: sqlite3.Connection = conn
        self._interpreter = interpreter
        self._settings = settings
        self._station = station
        self._clock = clock
        # Resolves a badge code or PIN to a supervisor; PIN hashing lives in station.users.
        self._approver = approver
        self.state: PackState | None = None
        self.user: UserRef | None = None
        with self._tx() as j:
            sid = j.open_session_id()
            self.state = j.load_state(sid) if sid is not None else None

    def close(self) -> None:
        """Give the connection back to the pool."""
        self._raw.close()

    # --- transaction plumbing ------------------------------------------------------------

    @contextmanager
    def _tx(self) -> Iterator[Journal]:
        cur = self._conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield Journal(cur, self._station, self._clock())
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            self._reload()
            raise
        finally:
            cur.close()

    def _reload(self) -> None:
        """Forget memory and read this station's open session back (after a failed write)."""
        cur = self._conn.cursor()
        try:
            j = Journal(cur, self._station, self._clock())
            sid = j.open_session_id()
            self.state = j.load_state(sid) if sid is not None else None
        finally:
            cur.close()

    def _run(self, decide: Callable[[Journal], _Draft]) -> Outcome:
        """Decide and record in one transaction; answer only after COMMIT."""
        with self._tx() as j:
            outcome = self._record(j, decide(j))
        if outcome.verdict is Verdict.COMPLETED:
            self.state = None
        return outcome

    def _record(self, j: Journal, d: _Draft) -> Outcome:
        """Write the scan and its event; build the answer (returned after COMMIT)."""
        state = self.state
        i = d.interp
        scan_id = j.insert_scan(
            ScanRow(
                raw=i.raw,
                kind=i.kind.value,
                verdict=d.verdict.value,
                interpretation=i.to_json(),
                symbology=i.symbology,
                session_id=state.session_id if state else None,
                package_id=state.package_id if state else None,
                product_id=d.product.id if d.product else None,
                order_line_id=d.line_id,
                quantity=d.quantity,
                serial=d.serial,
                lot=d.lot,
                expiry=d.expiry,
            ),
            self.user.id if self.user else None,
        )
        append_event(
            j.cur,
            "scan.recorded",
            {
                "scan_id": scan_id,
                "station": self._station,
                "order": state.order_number if state else None,
                "package": state.package_no if state else None,
                "raw": i.raw,
                "symbology": i.symbology,
                "kind": i.kind.value,
                "verdict": d.verdict.value,
                "sku": d.product.sku if d.product else None,
                "quantity": d.quantity,
                "serial": d.serial,
                "lot": d.lot,
                "expiry": d.expiry.isoformat() if d.expiry else None,
                "user": self.user.name if self.user else None,
                "at": j.now.isoformat(),
            },
            j.now,
        )
        line = None
        if state is not None and d.line_id is not None:
            line = state.line_by_id(d.line_id).progress()
        return Outcome(
            verdict=d.verdict,
            message=d.message,
            scan_id=scan_id,
            order_number=state.order_number if state else None,
            line=line,
            lines=state.progress() if state else (),
            package_no=state.package_no if state else None,
            awaiting=d.awaiting,
            user=self.user.name if self.user else None,
        )

    # --- public API ----------------------------------------------------------------------

    def scan(self, raw: str) -> Outcome:
        """Decide one scan (or typed code) and commit it; the verdict is final when returned."""
        interp = self._interpreter.interpret(raw)
        return self._run(lambda j: self._decide(j, interp))

    def open_order(self, ref: str) -> Outcome:
        """Open an order typed by number or tote (recorded like a scan of it)."""
        interp = typed(ref, ScanKind.ORDER, value=ref.strip())
        return self._run(lambda j: self._open(j, _Draft(interp), ref.strip()))

    def undo(self) -> Outcome:
        """Take the last counted scan back out (or drop a pending capture / quantity)."""
        return self.run_command(Command.UNDO)

    def new_package(self) -> Outcome:
        """Close the current box and start the next."""
        return self.run_command(Command.NEW_BOX)

    def complete(self) -> Outcome:
        """Finish the order if every line is packed or short-shipped."""
        return self.run_command(Command.COMPLETE)

    def run_command(self, command: Command) -> Outcome:
        """Run a command as if its barcode had been scanned (a key or a button)."""
        interp = typed(f"<{command.value}>", ScanKind.COMMAND, command=command)
        return self._run(lambda j: self._command(j, _Draft(interp), command))

    def set_quantity(self, quantity: int, approver: str | None = None) -> Outcome:
        """Count the next item scan ``quantity`` times (a supervisor above the limit)."""
        interp = typed(f"<quantity {quantity}>", ScanKind.QUANTITY, quantity=quantity)
        return self._run(lambda j: self._quantity(j, _Draft(interp), quantity, approver))

    def short_ship(
        self, line_no: int, quantity: int, reason: str, approver: str, detail: str = ""
    ) -> Outcome:
        """Ship a line short, with a reason and a supervisor's badge or PIN."""
        return self._exception("short_ship", line_no, quantity, reason, approver, detail)

    def report_damage(
        self,
        line_no: int,
        reason: str,
        approver: str,
        quantity: int = 1,
        replaced: bool = True,
        detail: str = "",
    ) -> Outcome:
        """Record damaged units; when no replacement is packed the line ships short."""
        kind = "damaged" if replaced else "damaged_short"
        return self._exception(kind, line_no, quantity, reason, approver, detail)

    # --- decisions -----------------------------------------------------------------------

    def _decide(self, j: Journal, i: Interpretation) -> _Draft:
        d = _Draft(i)
        kind = i.kind
        if kind is ScanKind.EMPTY:
            return self._verdict(d, Verdict.EMPTY_SCAN, "empty scan: nothing was read")
        if kind is ScanKind.COMMAND and i.command is not None:
            return self._command(j, d, i.command)
        if kind is ScanKind.BADGE:
            return self._badge(j, d)
        if kind in (ScanKind.ORDER, ScanKind.TOTE):
            return self._open(j, d, i.value or i.data)
        if self.state is None:
            if kind is ScanKind.QUANTITY:
                return self._verdict(d, Verdict.NO_ORDER_OPEN, "scan an order before a quantity")
            return self._verdict(d, Verdict.NO_ORDER_OPEN, "no order open: scan an order first")
        pending = self.state.pending
        if pending and pending.get("capture") in _NEEDS:
            return self._capture(j, d, str(pending["capture"]))
        if kind is ScanKind.QUANTITY and i.quantity is not None:
            return self._quantity(j, d, i.quantity, None)
        if kind is ScanKind.BOX_TYPE:
            return self._box(j, d)
        if pending and pending.get("capture") == "supervisor":
            return self._verdict(
                d, Verdict.NEEDS_SUPERVISOR, "a supervisor must scan their badge (or undo)"
            )
        return self._item(j, d)

    @staticmethod
    def _verdict(d: _Draft, verdict: Verdict, message: str) -> _Draft:
        d.verdict = verdict
        d.message = message
        return d

    def _open(self, j: Journal, d: _Draft, ref: str) -> _Draft:
        order = j.order_by_ref(ref)
        if order is None:
            return self._verdict(d, Verdict.UNKNOWN_ORDER, f"no order or tote {ref!r} here")
        if order.status in ("on_hold", "cancelled", "packed", "shipped"):
            label = order.status.replace("_", " ")
            return self._verdict(
                d, Verdict.NOT_PACKABLE, f"order {order.number} is {label}: do not pack it"
            )
        if self.state is not None:
            if self.state.order_id == order.id:
                return self._verdict(d, Verdict.ORDER_RESUMED, f"order {order.number} is open")
            j.set_session_status(self.state.session_id, "parked")
        live = j.live_session(order.id)
        user_id = self.user.id if self.user else None
        if live is not None:
            j.set_session_status(live[0], "open")
            self.state = j.load_state(live[0])
            verdict, verb = Verdict.ORDER_RESUMED, "resumed"
        else:
            sid, _ = j.new_session(order.id, user_id)
            self.state = j.load_state(sid)
            verdict, verb = Verdict.ORDER_OPENED, "opened"
            append_event(
                j.cur,
                "pack.started",
                {"session_id": sid, "order": order.number, "station": self._station},
                j.now,
            )
        units = sum(line.remaining for line in self.state.lines)
        return self._verdict(d, verdict, f"order {order.number} {verb}: {units} to pack")

    def _product(self, j: Journal, i: Interpretation) -> ProductRef | None:
        return j.product_by_keys(i.lookup_keys)

    def _item(self, j: Journal, d: _Draft) -> _Draft:
        state = self.state
        assert state is not None
        i = d.interp
        product = self._product(j, i)
        if product is None:
            if i.kind is ScanKind.SSCC:
                return self._verdict(d, Verdict.UNKNOWN_CODE, "that is a package label (SSCC)")
            why = f" ({i.error})" if i.error else ""
            return self._verdict(d, Verdict.UNKNOWN_CODE, f"unknown code {i.data!r}{why}")
        d.product = product
        qty = state.quantity or 1
        if not state.in_order(product.id):
            return self._verdict(
                d,
                Verdict.WRONG_ITEM,
                f"wrong item: {product.sku} {product.name} is not in this order",
            )
        match = state.match(product.id, qty)
        if match is None:
            return self._verdict(
                d, Verdict.OVER_SCAN, f"too many: no more {product.sku} needed in this order"
            )
        if qty > 1 and product.tracking == "serial":
            return self._verdict(
                d, Verdict.NOT_ALLOWED, f"{product.sku} needs a serial per unit: scan each unit"
            )
        d.line_id = match.line.line_id
        d.serial, d.lot, d.expiry = i.serial, i.lot, i.expiry
        return self._capture_or_accept(j, d, qty)

    def _missing(self, tracking: str, d: _Draft) -> str | None:
        if tracking == "serial" and not d.serial:
            return "serial"
        if tracking in ("lot", "lot_expiry") and not d.lot:
            return "lot"
        if tracking == "lot_expiry" and d.expiry is None:
            return "expiry"
        return None

    def _capture_or_accept(self, j: Journal, d: _Draft, qty: int) -> _Draft:
        state = self.state
        assert state is not None and d.product is not None and d.line_id is not None
        missing = self._missing(d.product.tracking, d)
        if missing is None:
            return self._accept(j, d, qty)
        state.pending = {
            "capture": missing,
            "product_id": d.product.id,
            "line_id": d.line_id,
            "quantity": qty,
            "serial": d.serial,
            "lot": d.lot,
            "expiry": d.expiry.isoformat() if d.expiry else None,
        }
        j.save_pending(state)
        d.awaiting = missing
        d.line_id = None  # not counted yet
        return self._verdict(d, _NEEDS[missing], f"{d.product.sku}: {_ASK[missing]}")

    def _accept(self, j: Journal, d: _Draft, qty: int) -> _Draft:
        state = self.state
        assert state is not None and d.product is not None and d.line_id is not None
        product = d.product
        had_pending = state.pending is not None or state.quantity is not None
        state.pending = None
        if d.serial:
            elsewhere = j.serial_packed(product.id, d.serial)
            if elsewhere is not None:
                d.line_id = None
                if had_pending:
                    j.save_pending(state)
                return self._verdict(
                    d,
                    Verdict.DUPLICATE_SERIAL,
                    f"serial {d.serial} of {product.sku} was already packed (order {elsewhere})",
                )
        if d.expiry is not None:
            limit = j.now.date() + timedelta(days=self._settings.min_days_to_expiry)
            if d.expiry < limit:
                d.line_id = None
                if had_pending:
                    j.save_pending(state)
                return self._verdict(
                    d,
                    Verdict.EXPIRED_LOT,
                    f"lot {d.lot or '?'} of {product.sku} expires {d.expiry.isoformat()}:"
                    " take another unit",
                )
        line = state.line_by_id(d.line_id)
        line.add(product.id, qty)
        state.package_items += qty
        state.quantity = None
        if had_pending:
            j.save_pending(state)
        d.quantity = qty
        done = line.progress()
        tail = f" ({done.partial})" if done.partial else ""
        return self._verdict(
            d, Verdict.ACCEPTED, f"{qty} × {product.sku} {done.packed}/{done.expected}{tail}"
        )

    def _capture(self, j: Journal, d: _Draft, what: str) -> _Draft:
        state = self.state
        assert state is not None and state.pending is not None
        pending = state.pending
        i = d.interp
        d.product = product = self._product_by_id(j, int(str(pending["product_id"])))
        d.awaiting = what
        given: str | date | None = {"serial": i.serial, "lot": i.lot, "expiry": i.expiry}[what]
        if given is None:
            if i.kind not in (ScanKind.PRODUCT, ScanKind.OTHER, ScanKind.SSCC):
                return self._verdict(d, _NEEDS[what], f"not a {what}: {_ASK[what]}")
            if self._product(j, i) is not None:
                # The packer scanned a product barcode again: it carries no serial/lot.
                return self._verdict(
                    d, _NEEDS[what], f"that is a product barcode, not the {what}: {_ASK[what]}"
                )
            given = parse_expiry(i.data) if what == "expiry" else capture_text(i.data)
            if given is None:
                return self._verdict(d, _NEEDS[what], f"not a valid {what}: {_ASK[what]}")
        d.awaiting = None
        # The capture scan may carry more than was asked (a GS1 label with lot and expiry).
        d.serial = _opt(pending.get("serial")) or i.serial
        d.lot = _opt(pending.get("lot")) or i.lot
        stored_expiry = _opt(pending.get("expiry"))
        d.expiry = parse_expiry(stored_expiry) if stored_expiry else i.expiry
        if isinstance(given, date):
            d.expiry = given
        elif what == "serial":
            d.serial = given
        else:
            d.lot = given
        qty = int(str(pending["quantity"]))
        match = state.match(product.id, qty)
        if match is None:  # cannot happen: nothing else is counted while a capture waits
            state.pending = None
            j.save_pending(state)
            return self._verdict(d, Verdict.OVER_SCAN, f"no more {product.sku} needed")
        d.line_id = match.line.line_id
        return self._capture_or_accept(j, d, qty)

    def _product_by_id(self, j: Journal, product_id: int) -> ProductRef:
        row = j.cur.execute(
            "SELECT id, sku, name, tracking FROM products WHERE id = ?", (product_id,)
        ).fetchone()
        return ProductRef(int(row[0]), row[1], row[2], row[3])

    def _command(self, j: Journal, d: _Draft, command: Command) -> _Draft:
        state = self.state
        if command is Command.CONFIRM:
            return self._verdict(d, Verdict.CONFIRMED, "acknowledged")
        if state is None:
            return self._verdict(d, Verdict.NO_ORDER_OPEN, "no order open")
        if command is Command.CANCEL:
            if state.pending is None and state.quantity is None:
                return self._verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to cancel")
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return self._verdict(d, Verdict.CAPTURE_CANCELLED, "cancelled")
        if command is Command.UNDO:
            return self._undo(j, d)
        if command is Command.NEW_BOX:
            if state.package_items == 0:
                return self._verdict(
                    d, Verdict.PACKAGE_EMPTY, f"package {state.package_no} is still empty"
                )
            j.close_package(state.package_id)
            state.package_no += 1
            state.package_id = j.new_package(state.session_id, state.order_id, state.package_no)
            state.package_items = 0
            return self._verdict(d, Verdict.PACKAGE_OPENED, f"package {state.package_no} opened")
        return self._complete(j, d)

    def _undo(self, j: Journal, d: _Draft) -> _Draft:
        state = self.state
        assert state is not None
        if state.pending is not None or state.quantity is not None:
            what = str((state.pending or {}).get("capture", "quantity"))
            state.pending, state.quantity = None, None
            j.save_pending(state)
            return self._verdict(d, Verdict.CAPTURE_CANCELLED, f"{what} capture cancelled")
        last = j.last_accepted(state.session_id)
        if last is None:
            return self._verdict(d, Verdict.NOTHING_TO_UNDO, "nothing to undo")
        scan_id, package_id, qty, sku = last
        if package_id != state.package_id:
            return self._verdict(
                d, Verdict.NOTHING_TO_UNDO, "the last item is in a closed package: nothing to undo"
            )
        j.mark_undone(scan_id)
        self.state = j.load_state(state.session_id)
        return self._verdict(d, Verdict.UNDONE, f"removed {qty} × {sku}: take it out of the box")

    def _complete(self, j: Journal, d: _Draft) -> _Draft:
        state = self.state
        assert state is not None
        if state.pending is not None:
            return self._verdict(
                d, Verdict.NOT_COMPLETE, "finish the serial/lot capture (or undo) first"
            )
        if not state.complete:
            missing = ", ".join(
                f"{line.remaining} × {line.sku}" for line in state.lines if line.remaining
            )
            return self._verdict(d, Verdict.NOT_COMPLETE, f"not complete: still {missing}")
        j.close_package(state.package_id)
        j.set_session_status(state.session_id, "completed")
        j.set_order_status(state.order_id, "packed")
        append_event(
            j.cur,
            "pack.completed",
            {
                "session_id": state.session_id,
                "order": state.order_number,
                "station": self._station,
                "packages": state.package_no,
                "lines": [
                    {"line_no": ln.line_no, "sku": ln.sku, "packed": ln.packed, "short": ln.short}
                    for ln in state.lines
                ],
                "user": self.user.name if self.user else None,
            },
            j.now,
        )
        return self._verdict(d, Verdict.COMPLETED, f"order {state.order_number} packed")

    def _quantity(self, j: Journal, d: _Draft, qty: int, approver: str | None) -> _Draft:
        state = self.state
        if state is None:
            return self._verdict(d, Verdict.NO_ORDER_OPEN, "scan an order before a quantity")
        if qty < 1:
            return self._verdict(d, Verdict.NOT_ALLOWED, "quantity must be at least 1")
        limit = self._settings.max_quantity_without_supervisor
        if qty > limit:
            boss = self._resolve_approver(j, approver)
            if boss is None:
                state.pending = {"capture": "supervisor", "quantity": qty}
                j.save_pending(state)
                d.awaiting = "supervisor"
                return self._verdict(
                    d, Verdict.NEEDS_SUPERVISOR, f"quantity {qty} > {limit}: supervisor badge"
                )
            self._approve_quantity(j, qty, boss)
        state.quantity = qty
        state.pending = None
        j.save_pending(state)
        return self._verdict(d, Verdict.QUANTITY_SET, f"next item counts {qty} ×")

    def _approve_quantity(self, j: Journal, qty: int, boss: UserRef) -> None:
        assert self.state is not None
        j.insert_exception(
            self.state,
            "quantity_override",
            "multi_unit",
            None,
            qty,
            None,
            self.user.id if self.user else None,
            boss.id,
        )
        j.audit(
            boss.id, "approve.quantity", "pack_session", str(self.state.session_id), {"qty": qty}
        )

    def _resolve_approver(self, j: Journal, credential: str | None) -> UserRef | None:
        """A supervisor or admin other than the packer, by badge or (slower) PIN."""
        if not credential:
            return None
        boss = j.user_by_badge(credential)
        if boss is None and self._approver is not None:
            boss = self._approver(credential)
        if boss is None or boss.role not in ("supervisor", "admin"):
            return None
        if self.user is not None and boss.id == self.user.id:
            return None  # nobody approves their own exception
        return boss

    def _badge(self, j: Journal, d: _Draft) -> _Draft:
        badge = d.interp.value or d.interp.data
        user = j.user_by_badge(badge)
        if user is None:
            return self._verdict(d, Verdict.UNKNOWN_CODE, f"unknown badge {badge!r}")
        state = self.state
        pending = state.pending if state else None
        if state is not None and pending and pending.get("capture") == "supervisor":
            boss = self._resolve_approver(j, badge)
            if boss is None:
                return self._verdict(
                    d, Verdict.NOT_ALLOWED, f"{user.name} cannot approve this (supervisor needed)"
                )
            qty = int(str(pending["quantity"]))
            self._approve_quantity(j, qty, boss)
            state.quantity, state.pending = qty, None
            j.save_pending(state)
            return self._verdict(d, Verdict.QUANTITY_SET, f"{boss.name} approved {qty} ×")
        self.user = user
        j.audit(user.id, "user.login", "user", str(user.id), {"via": "badge"})
        return self._verdict(d, Verdict.USER_CHANGED, f"{user.name} ({user.role}) at the bench")

    def _box(self, j: Journal, d: _Draft) -> _Draft:
        state = self.state
        assert state is not None
        code = d.interp.value or d.interp.data
        box = j.box_by_code(code)
        if box is None:
            return self._verdict(d, Verdict.UNKNOWN_CODE, f"unknown box type {code!r}")
        j.set_box(state.package_id, box[0])
        return self._verdict(d, Verdict.BOX_SELECTED, f"package {state.package_no}: {box[1]}")

    def _exception(
        self, kind: str, line_no: int, qty: int, reason: str, approver: str, detail: str
    ) -> Outcome:
        """Record an approved exception; refusals are answered without writing anything."""
        state = self.state
        with self._tx() as j:
            refusal = self._check_exception(j, kind, line_no, qty, reason, approver)
            if isinstance(refusal, Outcome):
                return refusal
            assert state is not None
            line, boss = refusal
            requester = self.user.id if self.user else None
            ships_short = kind in ("short_ship", "damaged_short")
            if kind != "short_ship":
                j.insert_exception(
                    state, "damaged", reason, line.line_id, qty, detail or None, requester, boss.id
                )
            if ships_short:
                j.insert_exception(
                    state,
                    "short_ship",
                    reason,
                    line.line_id,
                    qty,
                    detail or None,
                    requester,
                    boss.id,
                )
            j.audit(
                boss.id,
                f"approve.{kind}",
                "order",
                state.order_number,
                {"line_no": line_no, "quantity": qty, "reason": reason, "requested_by": requester},
            )
            append_event(
                j.cur,
                "exception.recorded",
                {
                    "order": state.order_number,
                    "kind": kind,
                    "line_no": line_no,
                    "sku": line.sku,
                    "quantity": qty,
                    "reason": reason,
                    "detail": detail,
                    "approved_by": boss.name,
                    "requested_by": self.user.name if self.user else None,
                    "station": self._station,
                },
                j.now,
            )
            if ships_short:
                line.short += qty
        label = kind.replace("_", " ")
        return Outcome(
            verdict=Verdict.EXCEPTION_RECORDED,
            message=f"{label}: {qty} × {line.sku} ({reason}), approved by {boss.name}",
            order_number=state.order_number,
            line=line.progress(),
            lines=state.progress(),
            package_no=state.package_no,
            user=self.user.name if self.user else None,
        )

    def _check_exception(
        self, j: Journal, kind: str, line_no: int, qty: int, reason: str, approver: str
    ) -> Outcome | tuple[LineState, UserRef]:
        state = self.state
        line = next((ln for ln in state.lines if ln.line_no == line_no), None) if state else None
        reasons = (
            self._settings.short_ship_reasons
            if kind == "short_ship"
            else self._settings.damage_reasons
        )
        problem: tuple[Verdict, str] | None = None
        boss = None
        if state is None or line is None:
            problem = (Verdict.NOT_ALLOWED, f"no line {line_no} in an open order")
        elif reason not in reasons:
            problem = (
                Verdict.NOT_ALLOWED,
                f"unknown reason {reason!r}: one of {', '.join(reasons)}",
            )
        elif qty < 1 or (kind != "damaged" and qty > line.remaining):
            problem = (Verdict.NOT_ALLOWED, f"quantity {qty} is not possible on line {line_no}")
        else:
            boss = self._resolve_approver(j, approver)
            if boss is None:
                problem = (
                    Verdict.NEEDS_SUPERVISOR,
                    "a supervisor other than the packer must approve by badge or PIN",
                )
        if problem is not None or line is None or boss is None:
            verdict, message = problem or (Verdict.NOT_ALLOWED, "not allowed")
            return Outcome(
                verdict=verdict,
                message=message,
                order_number=state.order_number if state else None,
                lines=state.progress() if state else (),
                awaiting="supervisor" if verdict is Verdict.NEEDS_SUPERVISOR else None,
            )
        return line, boss


def _opt(value: object) -> str | None:
    """A stored optional text value."""
    return None if value is None or value == "" else str(value)


def typed(
    raw: str,
    kind: ScanKind,
    *,
    value: str | None = None,
    command: Command | None = None,
    quantity: int | None = None,
) -> Interpretation:
    """The interpretation of something typed or pressed rather than scanned."""
    return Interpretation(
        raw=raw,
        data=raw,
        kind=kind,
        symbology=None,
        gtin=None,
        lookup_keys=(),
        sscc=None,
        serial=None,
        lot=None,
        expiry=None,
        net_weight_g=None,
        ai={},
        value=value if value is not None else (command.value if command else None),
        command=command,
        quantity=quantity,
        error=None,
    )
