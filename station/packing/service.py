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
from datetime import UTC, datetime

from drivers.scale.model import ScaleReading
from station.barcodes import Command, Interpretation, Interpreter, ScanKind
from station.barcodes.typed import as_order, typed
from station.config import PackingSettings
from station.db import Database
from station.db.begin import begin_immediate
from station.db.engine import disk_full, is_disk_full
from station.outbox import append_event
from station.packing.batch import BatchRules
from station.packing.boxes import BoxSuggestion
from station.packing.commands import CommandRules
from station.packing.completion import LabelScanRules
from station.packing.hazmat import HazmatRules
from station.packing.inserts import InsertRules
from station.packing.instructions import InstructionRules
from station.packing.items import NEEDS, ItemRules
from station.packing.journal import Journal, ScanRow
from station.packing.lock import OrderLocks
from station.packing.proof import ProofOptions, ProofRules
from station.packing.rules import Draft, PackContext, find_product, verdict
from station.packing.state import PackState
from station.packing.supervision import SupervisorRules
from station.packing.verdicts import Outcome, Verdict
from station.packing.weight import Expectation
from station.permissions import Action, require
from station.user_ref import Approver, UserRef

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class _Joined:
    """The transaction of :meth:`PackService.one_commit`: begun by its first decision."""

    def __init__(self) -> None:
        self.cur: sqlite3.Cursor | None = None

    def journal(self, conn: sqlite3.Connection, station: str, now: datetime) -> Journal:
        if self.cur is None:
            self.cur = conn.cursor()
            begin_immediate(self.cur)
        return Journal(self.cur, station, now)


class PackService:
    """Open orders, decide scans, undo, new package, exceptions, complete.

    The rules are objects by subject, composed here (``items``, ``commands``, ``supervision``,
    ``proof``: weight, photos, boxes; ``labels``: label scan-back; ``instructions``,
    ``inserts`` and ``hazmat``: what the packer reads and adds), sharing one
    ``PackContext`` (the open session, the user); this class holds the connection, the
    transaction plumbing, the public API and the dispatch. ``proof`` says how packages are
    proven (default: no weight required, no photos, so a bench without a scale or camera
    packs as before).
    """

    def __init__(
        self,
        db: Database,
        interpreter: Interpreter,
        settings: PackingSettings,
        station: str,
        *,
        clock: Clock = utc_now,
        approver: Approver | None = None,
        proof: ProofOptions | None = None,
        locks: OrderLocks | None = None,
    ) -> None:
        self._raw = db.engine.raw_connection()
        conn = self._raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        self._conn: sqlite3.Connection = conn
        self._interpreter = interpreter
        self._station = station
        self._clock = clock
        self._ctx = ctx = PackContext(settings, station, approver)
        self._joined: _Joined | None = None  # inside one_commit(): decisions share its COMMIT
        self.supervision = SupervisorRules(ctx, self._tx)
        self.proof = ProofRules(
            ctx,
            proof or ProofOptions(),
            tx=self._tx,
            approve=self.supervision.resolve_approver,
            conn=conn,
            clock=clock,
        )
        self.items = ItemRules(ctx, self.proof)
        if locks is not None:  # the hub's order lock: orders other benches hold
            self.commands = CommandRules(ctx, self.proof, locks.holder)
            self.batch = BatchRules(ctx, self.commands.open, self.items.item, locks.elsewhere)
        else:
            self.commands = CommandRules(ctx, self.proof)
            self.batch = BatchRules(ctx, self.commands.open, self.items.item)
        self.labels = LabelScanRules(ctx)
        # What the packer reads and adds (issue 18): instructions, inserts, hazmat.
        self.instructions = InstructionRules(ctx)
        self.inserts = InsertRules(ctx)
        self.hazmat = HazmatRules()
        with self._tx() as j:
            sid = j.open_session_id()
            self.state = j.load_state(sid) if sid is not None else None

    @property
    def state(self) -> PackState | None:
        """The open session (None: no order open)."""
        return self._ctx.state

    @state.setter
    def state(self, state: PackState | None) -> None:
        self._ctx.state = state

    @property
    def user(self) -> UserRef | None:
        """Who is packing (a badge scanned here, or set by the sign-in)."""
        return self._ctx.user

    @user.setter
    def user(self, user: UserRef | None) -> None:
        self._ctx.user = user

    def close(self) -> None:
        """Give the connection back to the pool."""
        self._raw.close()

    # --- the proof of the package (``proof``) ----------------------------------------------

    def observe_weight(self, reading: ScaleReading) -> None:
        """Tell the engine what the scale shows now (memory only: no decision, no write)."""
        self.proof.observe_weight(reading)

    def record_weight(self, reading: ScaleReading) -> Outcome:
        """Weigh the open package: only a stable reading is a weight; record the decision."""
        return self.proof.record_weight(reading)

    def override_weight(self, approver: str, reason: str) -> Outcome:
        """A supervisor (not the packer) accepts the open package's weight, with a reason."""
        return self.proof.override_weight(approver, reason)

    def take_photo(self, kind: str = "package") -> Outcome:
        """Photograph the open package now (an exception, damage, or before completion)."""
        return self.proof.take_photo(kind)

    def suggest_box(self) -> BoxSuggestion | None:
        """The smallest box the open package's items fit into (None when no order is open)."""
        return self.proof.suggest_box()

    def expected_weight(self) -> Expectation | None:
        """What the open package should weigh now (for the screen), or None."""
        return self.proof.expected_weight()

    # --- transaction plumbing ------------------------------------------------------------

    @contextmanager
    def _tx(self, *, switching: bool = False) -> Iterator[Journal]:
        # Enforced here, not only by the screens a role sees: whoever is signed in must be
        # allowed to pack before anything is written. A badge scan that switches the user
        # (``switching``) is let through: it is a sign-in, and the next call is checked.
        if self.user is not None and not switching:
            require(self.user, Action.PACK)
        if self._joined is not None:
            yield self._joined.journal(self._conn, self._station, self._clock())
            return
        cur = self._conn.cursor()
        begin_immediate(cur)  # the verdict waits on it: taken as soon as it is free
        try:
            yield Journal(cur, self._station, self._clock())
            cur.execute("COMMIT")
        except BaseException as exc:
            # SQLite may have rolled back already (a full disk can do that).
            if self._conn.in_transaction:
                cur.execute("ROLLBACK")
            self._reload()
            if is_disk_full(exc):
                raise disk_full(exc) from exc
            raise
        finally:
            cur.close()

    @contextmanager
    def one_commit(self) -> Iterator[None]:
        """Every decision made inside shares one transaction, committed once at the end (a
        durable commit is most of a decision's time). Each is answered by its caller only
        after this block: no outcome of it exists before the COMMIT. On an error nothing of
        the block is kept and the open session is read back."""
        if self._joined is not None:
            raise RuntimeError("one_commit() does not nest")
        joined = self._joined = _Joined()
        try:
            yield
            if joined.cur is not None:
                joined.cur.execute("COMMIT")
        except BaseException as exc:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            self._joined = None
            self._reload()
            if is_disk_full(exc):
                raise disk_full(exc) from exc
            raise
        finally:
            self._joined = None
            if joined.cur is not None:
                joined.cur.close()

    def _reload(self) -> None:
        """Forget memory and read this station's open session back (after a failed write)."""
        cur = self._conn.cursor()
        try:
            j = Journal(cur, self._station, self._clock())
            sid = j.open_session_id()
            self.state = j.load_state(sid) if sid is not None else None
        finally:
            cur.close()

    def _run(self, decide: Callable[[Journal], Draft], *, switching: bool = False) -> Outcome:
        """Decide and record in one transaction; answer only after COMMIT."""
        with self._tx(switching=switching) as j:
            d = self._shown(j, decide(j))
            if d.verdict is Verdict.COMPLETED:
                self.inserts.completing(j)  # the session is still open in memory
            outcome = self._record(j, d)
            if outcome.verdict is Verdict.COMPLETED:
                self.batch.tote_done(j)
        if outcome.verdict is Verdict.COMPLETED:
            self.state = None
        return outcome

    def _record(self, j: Journal, d: Draft) -> Outcome:
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
            extra=d.extra,
        )

    # --- public API ----------------------------------------------------------------------

    def scan(self, raw: str) -> Outcome:
        """Decide one scan (or typed code) and commit it; the verdict is final when returned."""
        return self.decide(self._interpreter.interpret(raw))

    def decide(self, interp: Interpretation) -> Outcome:
        """Decide a scan already interpreted (the bench reads each code once) and commit it."""
        switching = interp.kind is ScanKind.BADGE
        return self._run(lambda j: self._decide(j, interp), switching=switching)

    def open_order(self, ref: str) -> Outcome:
        """Open an order typed by number or tote (recorded like a scan of it)."""
        interp = typed(ref, ScanKind.ORDER, value=ref.strip())
        return self._run(lambda j: self.commands.open(j, Draft(interp), ref.strip()))

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
        return self._run(lambda j: self._command(j, Draft(interp), command))

    def set_quantity(self, quantity: int, approver: str | None = None) -> Outcome:
        """Count the next item scan ``quantity`` times (a supervisor above the limit)."""
        interp = typed(f"<quantity {quantity}>", ScanKind.QUANTITY, quantity=quantity)
        return self._run(lambda j: self.supervision.quantity(j, Draft(interp), quantity, approver))

    def short_ship(
        self, line_no: int, quantity: int, reason: str, approver: str, detail: str = ""
    ) -> Outcome:
        """Ship a line short, with a reason and a supervisor's badge (or badge and PIN)."""
        return self.supervision.exception("short_ship", line_no, quantity, reason, approver, detail)

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
        return self.supervision.exception(kind, line_no, quantity, reason, approver, detail)

    # --- decisions -----------------------------------------------------------------------

    def _decide(self, j: Journal, i: Interpretation) -> Draft:
        d = Draft(i)
        kind = i.kind
        if kind is ScanKind.EMPTY:
            return verdict(d, Verdict.EMPTY_SCAN, "empty scan: nothing was read")
        if kind is ScanKind.COMMAND and i.command is not None:
            return self._command(j, d, i.command)
        if kind is ScanKind.BADGE:
            return self.supervision.badge(j, d)
        if kind is ScanKind.TOTE and (batch := self.batch.tote_scanned(j, d, i.value or i.data)):
            return batch
        if kind in (ScanKind.ORDER, ScanKind.TOTE):
            return self.commands.open(j, d, i.value or i.data)
        state = self.state
        if state is None and self._names_an_order(j, i):
            return self.commands.open(j, Draft(as_order(i)), i.data)
        if state is None:
            if kind is ScanKind.SSCC and i.sscc:
                return self.labels.label_scan(j, d)  # scan-back of the order just packed
            if kind is ScanKind.QUANTITY:
                return verdict(d, Verdict.NO_ORDER_OPEN, "scan an order before a quantity")
            if kind in (ScanKind.PRODUCT, ScanKind.OTHER) and self.batch.on:
                return self.batch.pick(j, d)
            return verdict(d, Verdict.NO_ORDER_OPEN, "no order open: scan an order first")
        pending = state.pending
        if pending and pending.get("capture") in NEEDS:
            return self.items.capture(j, d, str(pending["capture"]))
        # Not before a pending capture: a serial number asked for may read as an SSCC.
        if kind is ScanKind.SSCC and i.sscc:
            return self.labels.label_scan(j, d)
        if kind is ScanKind.QUANTITY and i.quantity is not None:
            return self.supervision.quantity(j, d, i.quantity, None)
        if kind is ScanKind.BOX_TYPE:
            return self.commands.box(j, d)
        if pending and pending.get("capture") == "supervisor":
            return verdict(
                d, Verdict.NEEDS_SUPERVISOR, "a supervisor must scan their badge (or undo)"
            )
        if self._names_an_order(j, i):
            return self.commands.open(j, Draft(as_order(i)), i.data)
        if self.inserts.claims(i.data) and find_product(j, i) is None:
            return self.inserts.scan(j, d)
        return self.items.item(j, d)

    def _command(self, j: Journal, d: Draft, command: Command) -> Draft:
        """A command by barcode or key: the packer's confirmations here, the rest in
        ``commands``; completion waits for confirmed instructions (inserts never hold it)."""
        if command is Command.CONFIRM_INSTRUCTION:
            return self.instructions.confirm(j, d)
        if command is Command.INSERTS_ADDED:
            return self.inserts.add_all(j, d)
        if command is Command.COMPLETE and self.state is not None and self.state.pending is None:
            refusal = self.instructions.before_complete(j, d)
            if refusal is not None:
                return refusal
        return self.commands.command(j, d, command)

    def _shown(self, j: Journal, d: Draft) -> Draft:
        """What the screen shows beside the verdict: the scanned product's instructions and
        hazmat mark; on opening an order, its inserts and hazmat products."""
        if d.product is not None and "instruction" not in d.extra:
            instruction = self.instructions.shown(j, d.product.id)
            if instruction is not None:
                d.extra["instruction"] = instruction
            mark = self.hazmat.of_product(j, d.product.id)
            if mark is not None:
                d.extra["hazmat"] = mark
        state = self.state
        if state is None:
            return d
        # A batch pick opens the order and counts its unit in one scan (ACCEPTED).
        picked = d.verdict is Verdict.ACCEPTED and self.batch.session_id == state.session_id
        if d.verdict in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED) or picked:
            d.extra.setdefault("inserts", self.inserts.due(j))
            d.extra["hazmat_order"] = self.hazmat.of_order(j, state.order_id)
        return d

    @staticmethod
    def _names_an_order(j: Journal, i: Interpretation) -> bool:
        """A scan no pattern claimed that is, exactly, one of this station's order numbers.

        Shops number orders their own way (``#1001``, ``1001``, ``SO-JP-1``) and the hub takes
        them as they are, so the order pattern cannot know them all: a product or unknown
        code is also looked up by order number. A product barcode wins over an order number
        that happens to be the same text (the number check comes first only because it is an
        indexed lookup that almost always misses).
        """
        if i.kind not in (ScanKind.PRODUCT, ScanKind.OTHER):
            return False
        return j.is_order_number(i.data) and find_product(j, i) is None
