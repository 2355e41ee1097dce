"""The returns screen: open the parcel, scan each unit, grade it, dispose of it, finish.

The screen holds no rule: verdicts, grades, dispositions and refunds are the inspection
engine's (``station.returns``), asked through the database worker and the acknowledgement
bench (``station.returns.bench``), shown only after their COMMIT. A red verdict is acknowledged with
CMD-CONFIRM or F12/Esc, never Enter; until then scans and actions are held back. Keys: F2 new
RMA, F3 then a number (or a REASON-<CODE> barcode) the observed reason, F4 photo, F5 undo
(a unit not graded yet), F6 hold (set a unit aside with a reason), F8 override, F9 parcel
done, F10 dispose; 1/2/3 and Backspace answer the checklist; Up/Down choose the unit or the
lookup's match.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem

from station.config.returns import ReturnSettings
from station.db import Database
from station.packing.verdicts import Severity
from station.photos import PhotoStore, Snapshot
from station.returns.bench import Acked, Badge, Held, Matches, Parcel, ReturnsBench, ReturnsReply
from station.returns.grading import photos_required
from station.returns.service import InspectionService
from station.returns.state import ItemView
from station.returns.verdicts import ITEM_VERDICTS, ReturnOutcome, ReturnVerdict
from ui.returns.actions import DISPOSE_CODE, HOLD_CODE, PHOTO_CODE, REASON_PREFIX, ReturnsActions
from ui.returns.checklist import ANSWER_CODES, BACK_CODE
from ui.returns.outbound_panel import Outbound, load_outbound
from ui.returns.words import outcome_words, reason_word, return_title
from ui.sounds import Sound, SoundPlayer
from ui.worker import DbWorker

_SOUNDS = {"ok": Sound.OK, "warning": Sound.WARNING, "error": Sound.ERROR}


class ReturnsScreen(ReturnsActions):
    """Inspect one parcel at a time; every verdict on screen and heard."""

    outcome_shown = Signal(object)  # the ReturnOutcome, once on screen (tests wait on it)
    scan_held = Signal(str)  # a scan or action held back until an error is acknowledged
    badge_scanned = Signal(str)  # a badge: the window signs its owner in

    def __init__(
        self,
        worker: DbWorker,
        db: Database,
        service: InspectionService,
        bench: ReturnsBench,
        settings: ReturnSettings,
        photo_dir: Path,
        photos: PhotoStore,
        camera: Snapshot | None,
        sounds: SoundPlayer,
    ) -> None:
        super().__init__(worker, service, bench, settings, photos, camera)
        self._db = db
        self._settings = settings
        self._photo_dir = photo_dir
        self._sounds = sounds
        self._order: str | None = None  # whose outbound record is shown
        self._matches: Matches | None = None
        self.input.returnPressed.connect(self._on_enter)
        self.items.clicked.connect(lambda index: self._choose(self.items_model.item(index.row())))
        self.matches.itemActivated.connect(lambda _item: self._open_match())
        worker.submit(bench.parcel, self.on_reply, self.on_error)

    # --- scans --------------------------------------------------------------------------------

    def submit_code(self, code: str) -> None:
        """A scanned or typed code: a checklist or screen command, else to the engine; while
        a supervisor's dialog waits for its approver, a scan is the supervisor's badge (never a
        sign-in)."""
        if self.dialog is not None:
            self.dialog.take_scan(code)
            return
        word = code.strip().upper()
        local = word in (*ANSWER_CODES, BACK_CODE, DISPOSE_CODE, PHOTO_CODE, HOLD_CODE)
        if (local or word.startswith(REASON_PREFIX)) and self.held_back(code.strip()):
            return
        if word.startswith(REASON_PREFIX):
            self._scanned_reason(word.removeprefix(REASON_PREFIX).lower())
        elif word in ANSWER_CODES and self.checklist.active:
            if self.checklist.answer(ANSWER_CODES[word]):
                self.grade()
        elif word == BACK_CODE:
            self.checklist.back()
        elif word == DISPOSE_CODE:
            self.dispose()
        elif word == PHOTO_CODE:
            self.photo()
        elif word == HOLD_CODE:
            self.hold()
        else:
            self._worker.submit(lambda: self._bench.scan(code), self.on_reply, self.on_error)

    def _scanned_reason(self, reason: str) -> None:
        """A reason barcode: the observed reason of the unit on the bench, chosen directly."""
        if reason in self._settings.reasons and self.current is not None:
            self.choose_reason(reason)
            return
        words = ", ".join(reason_word(r) for r in self._settings.reasons)
        why = (
            self.tr("No unit on the bench: scan the unit first.")
            if self.current is None
            else self.tr("{code} is not a reason here; the reasons: {reasons}").format(
                code=reason.upper(), reasons=words
            )
        )
        self.banner.show_verdict(
            "not_allowed", Severity.WARNING, self.tr("Reason not chosen"), why, False
        )
        self._sounds.play(Sound.WARNING)

    def _on_enter(self) -> None:
        code = self.input.text()
        self.input.clear()
        if code.strip():
            self.submit_code(code)
        elif self._matches is not None:
            self._open_match()  # Enter on an empty field opens the match chosen

    # --- answers ------------------------------------------------------------------------------

    def on_reply(self, reply: ReturnsReply) -> None:
        """Show what the worker answered, and the parcel as it is now."""
        self.awaiting_ack = reply.pending
        self._show_parcel(reply.parcel)
        result = reply.result
        if isinstance(result, Held):
            self.show_held(result.what)
        elif isinstance(result, Badge):
            self.badge_scanned.emit(result.code)
        elif isinstance(result, Matches):
            self._show_matches(result)
        elif isinstance(result, Acked):
            if result.needed:
                title = return_title("acknowledged", Severity.INFO)
                self.banner.show_verdict("acknowledged", Severity.INFO, title, "", False)
                self._sounds.play(Sound.INFO)
        else:
            self._show_outcome(result)
        self.input.setFocus()

    def on_error(self, error: BaseException) -> None:
        """The worker failed: nothing was stored, so the banner says to scan again."""
        self.banner.show_not_stored(error)
        self._sounds.play(Sound.ERROR)

    def show_held(self, what: str) -> None:
        """Say (banner, sound, ``scan_held``) that ``what`` was not counted."""
        self.banner.show_held(what)
        self._sounds.play(Sound.HELD)
        self.scan_held.emit(what)

    def _show_outcome(self, outcome: ReturnOutcome) -> None:
        severity = Severity(outcome.severity)
        title = return_title(outcome.verdict.value, severity)
        error = severity is Severity.ERROR
        words = outcome_words(outcome.verdict.value, outcome.message, outcome.item, outcome.extra)
        self.banner.show_verdict(outcome.verdict.value, severity, title, words, error)
        done = outcome.verdict is ReturnVerdict.COMPLETED
        self._sounds.play(Sound.COMPLETE if done else _SOUNDS[outcome.severity])
        orders = outcome.extra.get("orders")
        if outcome.verdict is ReturnVerdict.UNKNOWN_RMA and isinstance(orders, list) and orders:
            self.create_ref = str(orders[0])
        elif outcome.rma is not None or done:
            self.create_ref = None
        self.create_button.setVisible(self.create_ref is not None)
        if outcome.item is not None:
            self._choose(outcome.item, fresh=outcome.verdict in ITEM_VERDICTS)
        if self.dialog is not None:
            if outcome.verdict is self.dialog_approves:
                self.dialog.accept()
            else:
                self.dialog.refuse(outcome.message)
        elif outcome.verdict is ReturnVerdict.NEEDS_SUPERVISOR and self.rma_asked is not None:
            self.approve_rma(self.rma_asked, outcome.message)  # an order never packed
        elif (
            outcome.verdict is ReturnVerdict.PHOTO_REQUIRED
            and self.dispose_asked is not None
            and self._camera is None
        ):
            # No camera at this bench: a supervisor may waive the photo; without one, Esc and
            # F6 hold the unit, which stays received.
            why = self.tr("{why}. No supervisor here: Esc, then Hold [F6].").format(
                why=outcome.message
            )
            self.waive_photo(self.dispose_asked, why)
        self.rma_asked = self.dispose_asked = None
        if done:
            self._choose(None)
        self.outcome_shown.emit(outcome)

    def _show_parcel(self, parcel: Parcel) -> None:
        if parcel.rma is None:
            self.parcel.setText(self.tr("No parcel open"))
            self.expected.setText("")
        else:
            self.parcel.setText(
                self.tr("{rma} · order {order}").format(rma=parcel.rma, order=parcel.order or "?")
            )
            missing = ", ".join(
                f"{n} × {sku} ({reason_word(reason)})" for sku, n, reason in parcel.outstanding
            )
            self.expected.setText(
                self.tr("Still expected: {what}").format(what=missing)
                if missing
                else self.tr("Everything announced has arrived")
            )
            self._matches = None
            self.matches.hide()
            self.items.show()
        self.items_model.set_items(parcel.items)
        if self.current is not None:
            # As stored now: a unit taken back (undone) leaves the bench, never shown as if
            # it were still there.
            live = [i for i in parcel.items if i.status != "undone"]
            fresh = next((i for i in live if i.id == self.current.id), None)
            self._choose(fresh)
        if parcel.order != self._order:
            self._order = parcel.order
            self._load_outbound(parcel.order)

    def _choose(self, item: ItemView | None, fresh: bool = False) -> None:
        """Make ``item`` the unit on the bench (``fresh``: just scanned, grade it now); a unit
        chosen again that is not graded yet is graded now too."""
        other = item is not None and (self.current is None or self.current.id != item.id)
        fresh = fresh or (other and item is not None and item.status == "received")
        self.current = item
        needed = bool(item and item.grade and photos_required(item.grade, self._settings))
        self.item_panel.show_item(item, needed)
        if item is None:
            self.checklist.clear()
            self.items.clearSelection()
            return
        if fresh:
            self.checklist.start()
        elif item.checklist is not None and item.checklist != self.checklist.answers:
            self.checklist_restore(item.checklist)  # the stored answers, not the last unit's
        row = self.items_model.row_of(item.id)
        if row is not None:
            self.items.selectRow(row)
        self.outbound.show_sku(item.sku)

    def step_choice(self, step: int) -> None:
        """Up/Down: the next or previous unit, or lookup match."""
        if self._matches is not None:
            row = min(max(self.matches.currentRow() + step, 0), self.matches.count() - 1)
            self.matches.setCurrentRow(row)
            return
        count = self.items_model.rowCount()
        if count:
            now = self.items_model.row_of(self.current.id) if self.current else None
            new = 0 if now is None else min(max(now + step, 0), count - 1)
            self._choose(self.items_model.item(new), fresh=False)

    # --- lookup matches and the outbound record -------------------------------------------------

    def _show_matches(self, matches: Matches) -> None:
        self._matches = matches
        self.matches.clear()
        for rma in matches.found.rmas:
            text = self.tr("{rma} · order {order} · {status} · {units} unit(s)").format(
                rma=rma.number, order=rma.order_number or "?", status=rma.status, units=rma.units
            )
            entry = QListWidgetItem(text)
            entry.setData(Qt.ItemDataRole.UserRole, rma.number)
            self.matches.addItem(entry)
        self.matches.setCurrentRow(0)
        self.items.hide()
        self.matches.show()
        message = self.tr("{n} returns match “{text}”: ↑/↓ and Enter, or scan the RMA").format(
            n=self.matches.count(), text=matches.text
        )
        self.banner.show_verdict(
            "matches", Severity.INFO, return_title("matches", Severity.INFO), message, False
        )
        self._sounds.play(Sound.INFO)

    def _open_match(self) -> None:
        entry = self.matches.currentItem()
        if entry is not None:
            number = str(entry.data(Qt.ItemDataRole.UserRole))
            self.act(number, lambda: self._service.open(number))

    def _load_outbound(self, order: str | None) -> None:
        if order is None:
            self.outbound.show_outbound(None)
            return
        db, photo_dir = self._db, self._photo_dir
        self._worker.submit(
            lambda: load_outbound(db, order, photo_dir), self._show_outbound, self.on_error
        )

    def _show_outbound(self, outbound: Outbound) -> None:
        if outbound.order == self._order:  # not a late answer about the parcel before
            self.outbound.show_outbound(outbound, self.current.sku if self.current else None)
