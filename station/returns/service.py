"""The inspection session: decides each scan and action and commits it before answering.

Mirrors the pack engine (``station.packing.service``): one service per bench, used from one
thread at a time; each call is one ``BEGIN IMMEDIATE`` transaction that writes the scan or
decision, its rows and its outbox event, and the answer is returned only after COMMIT. The
state is read back from the database inside every transaction, so a SIGKILL at any moment
loses nothing that was answered and a restart resumes the parcel where it was.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from station.barcodes import Command, Interpreter, ScanKind
from station.barcodes.typed import typed
from station.config import BarcodeSettings
from station.config.returns import ReturnSettings
from station.config.returns_model import Answer
from station.db import Database
from station.db.begin import begin_immediate
from station.permissions import Action, require
from station.photos import Image, PhotoStore, PhotoStoreError, StoredPhoto
from station.returns.base import Draft, InspectionContext, RefusedError, Step
from station.returns.deciding import DecideRules
from station.returns.dispatch import ScanRules
from station.returns.journal import ReturnJournal
from station.returns.receiving import ReceiveRules
from station.returns.rmas import RmaLine, create_rma
from station.returns.scanlog import record_scan
from station.returns.state import InspectionState
from station.returns.tags import TagRequest, TagSink, missing_tags
from station.returns.unitphotos import PhotoRules
from station.returns.verdicts import ReturnOutcome
from station.returns.verdicts import ReturnVerdict as V
from station.user_ref import Approver, UserRef

# Order statuses whose parcels left the station: only their units can come back.
PACKED_STATUSES = frozenset({"packed", "shipped"})

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class InspectionService:
    """Open a parcel's RMA, receive and grade its units, dispose of them, complete.

    The rules are objects by subject, composed here (``dispatch``, ``receiving``,
    ``deciding``, ``unitphotos``) and sharing one ``InspectionContext``; this class holds the
    connection, the transaction plumbing and the public API. Tags go to
    ``tags`` after COMMIT (the print queue writes in its own transaction); one lost to a
    crash in between is queued by :meth:`catch_up_tags` at the next start.
    """

    def __init__(
        self,
        db: Database,
        interpreter: Interpreter,
        settings: ReturnSettings,
        barcodes: BarcodeSettings,
        station: str,
        *,
        clock: Clock = utc_now,
        tags: TagSink | None = None,
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
        self._tags = tags
        pattern = re.compile(barcodes.rma, re.ASCII) if barcodes.rma else None
        self._ctx = ctx = InspectionContext(settings, station, pattern, approver)
        self.receiving = ReceiveRules(ctx)
        self.scans = ScanRules(ctx, self.receiving)
        self.deciding = DecideRules(ctx)
        self.photos = PhotoRules(ctx)
        self._reload()

    @property
    def state(self) -> InspectionState | None:
        """The open parcel (None: none open), as read back by the last transaction."""
        return self._ctx.state

    @state.setter
    def state(self, state: InspectionState | None) -> None:
        self._ctx.state = state

    @property
    def user(self) -> UserRef | None:
        """Who is inspecting (a badge scanned here, or set by the sign-in)."""
        return self._ctx.user

    @user.setter
    def user(self, user: UserRef | None) -> None:
        self._ctx.user = user

    def close(self) -> None:
        """Give the connection back to the pool."""
        self._raw.close()

    # --- transaction plumbing ------------------------------------------------------------

    @contextmanager
    def _tx(self, *, switching: bool = False) -> Iterator[ReturnJournal]:
        # Enforced by the service, not only by the screens: a signed-in user must be allowed
        # to inspect returns before anything is written (a badge scan switching user passes:
        # it is a sign-in, and the next call is checked).
        if self.user is not None and not switching:
            require(self.user, Action.INSPECT_RETURN)
        cur = self._conn.cursor()
        begin_immediate(cur)  # the verdict waits on it: taken as soon as it is free
        try:
            j = ReturnJournal(cur, self._station, self._clock())
            self._load(j)
            yield j
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            self._reload()
            raise
        finally:
            cur.close()

    def _load(self, j: ReturnJournal) -> None:
        open_id = j.open_inspection_id()
        self.state = j.load(open_id) if open_id is not None else None

    def _reload(self) -> None:
        cur = self._conn.cursor()
        try:
            self._load(ReturnJournal(cur, self._station, self._clock()))
        finally:
            cur.close()

    def _run(
        self, act: Callable[[ReturnJournal], Step], *, switching: bool = False
    ) -> ReturnOutcome:
        """Decide and record in one transaction; answer only after COMMIT."""
        try:
            with self._tx(switching=switching) as j:
                step = act(j)
                concerned = step.inspection_id or (self.state.inspection_id if self.state else None)
                view = j.load(concerned) if concerned else None
                self._load(j)
        except RefusedError as no:  # nothing was written: the transaction rolled back
            return self._answer(Step(no.verdict, str(no), extra=dict(no.extra)), self.state)
        outcome = self._answer(step, view)
        if step.tag is not None and (error := self._print_tag(step.tag)):
            outcome.extra["tag_error"] = error
        return outcome

    def _answer(self, step: Step, state: InspectionState | None) -> ReturnOutcome:
        item = state.item(step.item_id) if state and step.item_id else None
        return ReturnOutcome(
            verdict=step.verdict,
            message=step.message,
            scan_id=step.scan_id,
            rma=state.rma_number if state else None,
            order=state.order_number if state else None,
            item=item,
            items=tuple(state.items) if state else (),
            awaiting=step.awaiting,
            next_question=step.next_question or _text(step.extra.get("next_question")),
            user=self.user.name if self.user else None,
            extra=dict(step.extra),
        )

    def _print_tag(self, tag: TagRequest) -> str | None:
        if self._tags is None:
            return None
        try:
            self._tags(tag)
        except Exception as exc:  # the disposal stands; catch_up_tags retries it
            return f"tag not queued: {exc}"
        return None

    # --- scans ---------------------------------------------------------------------------

    def scan(self, raw: str) -> ReturnOutcome:
        """Decide one scan (or typed code) and commit it; the verdict is final when returned."""
        interp = self._interpreter.interpret(raw)
        if interp.kind is ScanKind.COMMAND and interp.command is Command.COMPLETE:
            return self.complete()
        return self._run(
            lambda j: record_scan(self._ctx, j, self.scans.decide(j, Draft(interp))),
            switching=interp.kind is ScanKind.BADGE,
        )

    def open(self, ref: str) -> ReturnOutcome:
        """Open a parcel by RMA, return label, tracking or order number, or customer name."""
        interp = typed(ref, ScanKind.OTHER, value=ref.strip())
        return self._run(
            lambda j: record_scan(self._ctx, j, self.scans.open_or_refuse(j, Draft(interp)))
        )

    def undo(self) -> ReturnOutcome:
        """Take back the last unit if it is not graded yet: a scan made by mistake (or drop a
        pending capture). A graded unit arrived; it is held (:meth:`hold`), never undone."""
        return self._run(self._undo_step)

    def _undo_step(self, j: ReturnJournal) -> Step:
        interp = typed("<undo>", ScanKind.COMMAND, command=Command.UNDO)
        return record_scan(self._ctx, j, self.scans.undo(j, Draft(interp)))

    # --- the parcel and its units --------------------------------------------------------

    def create_rma(
        self,
        order_ref: str,
        lines: Sequence[RmaLine] = (),
        note: str | None = None,
        approver: str | None = None,
    ) -> ReturnOutcome:
        """An RMA for a parcel that came without one (by order or tracking number); opens it.

        Only for an order that was packed: nothing of one never packed can come back, so an
        RMA for it needs a supervisor's approval (badge, or badge and PIN). Either way the
        creation is in the audit log, with who approved it.
        """

        def act(j: ReturnJournal) -> Step:
            if self.state is not None:
                raise RefusedError(V.INSPECTION_OPEN, f"finish {self.state.rma_number} first")
            row = j.cur.execute(
                "SELECT id, number, status FROM orders"
                " WHERE number = ? OR tracking_number = ? LIMIT 1",
                (order_ref, order_ref),
            ).fetchone()
            if row is None:
                raise RefusedError(V.UNKNOWN_RMA, f"no order {order_ref!r}")
            order_id, order_number, status = int(row[0]), str(row[1]), str(row[2])
            packed = status in PACKED_STATUSES
            boss = None
            if not packed:
                boss = self.deciding.resolve_approver(j, approver, Action.APPROVE_EXCEPTION)
                if boss is None:
                    raise RefusedError(
                        V.NEEDS_SUPERVISOR,
                        f"{order_number} was never packed: a supervisor other than the"
                        " inspector must approve an RMA for it by badge (or badge and PIN)",
                    )
            try:
                _, number = create_rma(j, order_id, lines, self._ctx.user_id, note)
            except ValueError as exc:
                raise RefusedError(V.NOT_ALLOWED, str(exc)) from None
            detail: dict[str, object] = {"order": order_number, "order_status": status}
            if boss is not None:
                detail["approved_by"] = boss.name
                j.audit(boss.id, "approve.rma_unpacked_order", "rma", number, detail)
            j.audit(self._ctx.user_id, "rma.created", "rma", number, detail)
            d = self.receiving.open(j, Draft(typed(number, ScanKind.OTHER, value=number)), number)
            step = record_scan(self._ctx, j, d)
            return Step(V.RMA_CREATED, f"{number} created", inspection_id=step.inspection_id)

        return self._run(act)

    def assess(
        self,
        item_id: int,
        answers: Mapping[str, Answer],
        observed_reason: str | None = None,
        notes: str | None = None,
    ) -> ReturnOutcome:
        """Grade a unit from its checklist; the rules recommend disposition and refund."""
        return self._run(
            lambda j: self.deciding.assess(j, item_id, answers, observed_reason, notes)
        )

    def override(
        self,
        item_id: int,
        disposition: str,
        refund: str,
        reason: str,
        refund_pct: int | None = None,
        approver: str | None = None,
    ) -> ReturnOutcome:
        """Another disposition and refund than the rules', approved (badge, or badge and PIN) by a
        supervisor or admin who is not the inspector at the bench; audited."""
        return self._run(
            lambda j: self.deciding.override(
                j, item_id, disposition, refund, refund_pct, reason, approver
            )
        )

    def attach_photo(self, item_id: int, photo: StoredPhoto, caption: str = "") -> ReturnOutcome:
        """Attach a photo already stored (by the camera path of the UI) to a unit."""
        return self._run(lambda j: self.photos.attach(j, item_id, photo, caption))

    def add_photo(self, item_id: int, frame: Image, store: PhotoStore) -> ReturnOutcome:
        """Store a camera frame with a caption naming the unit, then attach it."""
        caption = self.photos.caption(item_id)
        try:
            photo = store.store(frame, caption)
        except PhotoStoreError as exc:  # nothing recorded; a required photo still blocks
            return self._answer(Step(V.NOT_ALLOWED, str(exc), item_id=None), self.state)
        return self.attach_photo(item_id, photo, " / ".join(caption))

    def dispose(
        self, item_id: int, waiver: str | None = None, waiver_reason: str | None = None
    ) -> ReturnOutcome:
        """Final: the unit goes where its disposition says (restocked if so); tag queued. A
        required photo may be waived (a bench without a camera) by a supervisor's ``waiver``
        credential with a reason, in the audit log."""
        return self._run(lambda j: self.deciding.dispose(j, item_id, waiver, waiver_reason))

    def hold(self, item_id: int, reason: str) -> ReturnOutcome:
        """Set an arrived unit aside with ``reason`` (kept as received, not disposed of, not
        refunded); the parcel can then be finished truthfully."""
        return self._run(lambda j: self.deciding.hold(j, item_id, reason))

    def complete(self) -> ReturnOutcome:
        """Close the parcel once every unit is disposed of."""
        return self._run(self.deciding.complete)

    def catch_up_tags(self, days: int = 2) -> int:
        """Queue the tags of units disposed in the last ``days`` that have none; count."""
        if self._tags is None:
            return 0
        cur = self._conn.cursor()
        try:
            since = self._clock() - timedelta(days=days)
            tags = missing_tags(cur, self._station, self._settings, since)
        finally:
            cur.close()
        return sum(1 for tag in tags if self._print_tag(tag) is None)


def _text(value: object) -> str | None:
    return None if value is None else str(value)
