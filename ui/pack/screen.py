"""The pack screen: scan an order, then its items; see each verdict; undo, new box, complete.

The screen holds no business rule. Every code goes to the engine through the database worker
and the :class:`~station.packing.bench.PackBench` (the pack flow's rules); what comes back
exists only after its COMMIT. The
Enter that ends a scan never does anything on its own: an empty Enter is ignored, so it can
never dismiss a red banner. Keys: F5 undo, F6 new box, F7 weigh, F8 supervisor (accept the
weight), F9 complete, F12 or Esc acknowledge, F3 short-ship, F4 damaged, F2 confirm the
packing instructions, F11 inserts added; the same commands as barcodes (CMD-UNDO, CMD-NEWBOX,
CMD-COMPLETE, CMD-CONFIRM, CMD-SHORT, CMD-DAMAGED, CMD-CONFIRM-INSTR, CMD-INSERTS). What the
packer reads and adds beside the verdict is in ``ui.pack.pack_info``. Weighings,
the expected weight, the box to use and the override dialog are in ``ui.pack.proof``; the
exception dialogs in ``ui.pack.exception_dialog``; the label preview in ``ui.pack.label_view``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidgetItem, QWidget

from drivers.scale.model import ScaleReading
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command
from station.config import PackingSettings
from station.packing.bench import Held, PackBench, Reply
from station.packing.verdicts import LineProgress, Outcome, Severity, Verdict
from station.user_ref import UserRef
from ui.pack.exception_dialog import COMMANDS, DAMAGED, SHORT_SHIP, PackExceptions
from ui.pack.label_view import LabelFlow, LoadLabels
from ui.pack.layout import OrderRow, PackLayout
from ui.pack.order_info import OrderInfo
from ui.pack.pack_info import CONFIRM_KEY, INSERTS_KEY
from ui.pack.proof import PackProof
from ui.pack.rate_choice import RateChoiceFlow
from ui.pack.shipping_view import LoadShipping, ShippingFlow
from ui.sounds import Sound, SoundPlayer, sound_for
from ui.texts import verdict_title
from ui.theme import restyle
from ui.worker import DbWorker

if TYPE_CHECKING:  # the print module loads the print worker's dependencies
    from ui.printing import PrintView

HISTORY_MAX = 200  # the list is for a glance back, not an audit trail (the database is)


class PackScreen(PackLayout):
    """Pack one order at a time; every verdict on screen and heard."""

    outcome_shown = Signal(object)  # the Outcome, once it is on screen (tests wait on it)
    scan_held = Signal(str)  # a scan or command held back until an error is acknowledged
    user_switched = Signal(object)  # UserRef: a badge scan switched the user in the engine

    def __init__(
        self,
        worker: DbWorker,
        bench: PackBench,
        load_orders: Callable[[], Sequence[OrderRow]],
        load_info: Callable[[str], OrderInfo | None],
        sounds: SoundPlayer,
        parent: QWidget | None = None,
        *,
        packing: PackingSettings | None = None,
        load_labels: LoadLabels | None = None,
        load_shipping: LoadShipping | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._bench = bench
        self._load_orders = load_orders
        self._load_info = load_info
        self._sounds = sounds
        self._awaiting_ack = False  # mirrors the bench, for the acknowledge key
        self.open_number: str | None = None  # the order open at this bench, as last answered
        self.proof = PackProof(
            worker,
            bench,
            self.weight,
            self.box_hint,
            self._on_reply,
            self.show_not_stored,
            self,
        )
        self.exceptions = PackExceptions(
            worker,
            bench,
            packing or PackingSettings(),
            lambda: list(self.lines_model.order_lines()),
            self._on_reply,
            self.show_not_stored,
            self,
        )
        self.labels = LabelFlow(worker, load_labels, self.label_panel, self)
        self.shipping = ShippingFlow(worker, load_shipping, self.shipping_panel, self)
        self.rate_choice = RateChoiceFlow(
            worker, bench, self.shipping.offer, self._on_reply, self.show_not_stored, self
        )
        self.input.returnPressed.connect(self._on_enter)
        self.orders.itemActivated.connect(self._on_order_activated)
        # The names are what the banner says was held back ("Undo was NOT counted...").
        undo, new_box, complete = self.tr("Undo"), self.tr("New box"), self.tr("Complete")
        self.bind_action(self.undo_button, "F5", lambda: self._command(Command.UNDO, undo))
        self.bind_action(self.new_box_button, "F6", lambda: self._command(Command.NEW_BOX, new_box))
        self.bind_action(
            self.complete_button, "F9", lambda: self._command(Command.COMPLETE, complete)
        )
        weigh = self.tr("Weigh")
        self.bind_action(self.weigh_button, "F7", lambda: self.proof.weigh(weigh))
        self.bind_action(self.override_button, "F8", self.proof.override)
        self.bind_action(self.ack_button, "F12", self.acknowledge, extra_key="Esc")
        # Keys and barcodes only: two more buttons would not fit the row at 1280 px.
        self.bind_key("F3", lambda: self.open_exception(SHORT_SHIP))
        self.bind_key("F4", lambda: self.open_exception(DAMAGED))
        self.bind_key("F10", self.rate_choice.open)  # the carrier rate (ui.pack.rate_choice)
        confirm, inserts = self.tr("Confirm instructions"), self.tr("Inserts added")
        self.bind_key(CONFIRM_KEY, lambda: self._command(Command.CONFIRM_INSTRUCTION, confirm))
        self.bind_key(INSERTS_KEY, lambda: self._command(Command.INSERTS_ADDED, inserts))
        self.refresh_orders()
        self._worker.submit(self._open_state, self._show_resumed, self.show_not_stored)

    @property
    def awaiting_ack(self) -> bool:
        """True while a red verdict waits for CMD-CONFIRM or the acknowledge key."""
        return self._awaiting_ack

    # --- actions ---------------------------------------------------------------------------

    def submit_code(self, code: str) -> None:
        """Hand a scanned or typed code to the engine (the scanners' entry too); while the
        supervisor's dialog is open, a scan is the supervisor's badge."""
        if self.proof.take_scan(code) or self.exceptions.take_scan(code):
            return
        command = self._bench.command_of(code)
        kind = None if command is None else COMMANDS.get(command)
        if kind is not None:
            self.open_exception(kind)
        else:
            at = time.monotonic()  # the scan's own time, before it waits for the worker
            self._worker.submit(
                lambda: self._bench.scan(code, at), self._maybe, self.show_not_stored
            )

    def open_exception(self, kind: str) -> None:
        """F3 / CMD-SHORT, F4 / CMD-DAMAGED: a supervisor approves a short-ship or damage.

        Held back while an error waits for its acknowledgement, like any other command."""
        name = self.tr("Short-ship") if kind == SHORT_SHIP else self.tr("Damaged item")
        if self._awaiting_ack:
            self._show_held(name)
        elif not self.exceptions.open(kind):
            self.banner.show_ready(self.tr("{what}: scan an order first").format(what=name))

    def show_print(self, view: PrintView) -> None:
        """The print queue changed: the label preview's job states."""
        self.labels.show_job(view.last_job)

    def show_reading(self, reading: ScaleReading) -> None:
        """Every scale reading: the live number (display only; the bench has it already)."""
        self.weight.show_reading(reading)

    def show_stable_weight(self, reading: ScaleReading) -> None:
        """A reading the stable-weight rule accepted: shown (the bench has it already)."""
        self.weight.show_stable(reading)

    def feed_scale(self, update: ScaleUpdate) -> None:
        """A scale reading for the bench, from any thread (the scale driver's): straight to
        the database worker, never through the GUI thread; a weighing comes back here."""
        self.proof.feed(update)

    def show_blocked(self, number: str, message: str) -> None:
        """The hub blocked an order (cancelled, on hold): say so if it is the open one."""
        if number != self.open_number:
            return
        self.blocked.setText(
            self.tr("STOP — {message}. Put the items aside and scan the next order.").format(
                message=message.rstrip(".")
            )
        )
        self.blocked.show()
        self._sounds.play(Sound.ERROR)
        self._log(message)

    def acknowledge(self) -> None:
        """The acknowledge key: clears a red verdict like scanning CMD-CONFIRM."""
        if self._awaiting_ack:
            self._submit(self._bench.acknowledge)

    def refresh_orders(self) -> None:
        """Reload the list of orders to pack (in the background)."""
        self._worker.submit(self._load_orders, self._fill_orders, self.show_not_stored)

    def _command(self, command: Command, name: str) -> None:
        at = time.monotonic()
        self._submit(lambda: self._bench.command(command, name, at))

    def _on_enter(self) -> None:
        code = self.input.text()
        self.input.clear()
        if code.strip():  # a bare Enter (a scan's suffix on its own) means nothing
            self.submit_code(code)

    def _on_order_activated(self, item: QListWidgetItem) -> None:
        number = str(item.data(Qt.ItemDataRole.UserRole))
        at = time.monotonic()
        self._submit(lambda: self._bench.open_order(number, at))

    def _submit(self, action: Callable[[], Reply]) -> None:
        self._worker.submit(action, self._on_reply, self.show_not_stored)

    def _maybe(self, reply: Reply | None) -> None:
        if reply is not None:
            self._on_reply(reply)

    def _open_state(self) -> tuple[str, int, tuple[LineProgress, ...]] | None:
        # Runs on the worker: the engine's state belongs to that thread.
        state = self._bench.state
        return None if state is None else (state.order_number, state.package_no, state.progress())

    # --- display ---------------------------------------------------------------------------

    def _on_reply(self, reply: Reply) -> None:
        if isinstance(reply.result, Held):
            self._show_held(reply.result.what)
        else:
            self._show_outcome(reply.result, reply.user, reply.pending)
        self.input.setFocus()

    def _show_outcome(self, outcome: Outcome, user: UserRef | None, pending: bool) -> None:
        self._awaiting_ack = pending  # the bench's own state, in engine order
        self.banner.show_outcome(outcome, needs_ack=outcome.severity is Severity.ERROR)
        # The verdict on screen now, before the rest: what follows starts work on the other
        # threads (a completion's labels rendered, the order list read) that would otherwise
        # run while this thread paints, each waiting on the other for the interpreter lock.
        self.banner.repaint()
        # Painted: the outcome's follow-ups (labels queued, sync nudged) start now, ahead of
        # the preview this method asks the worker for below.
        self._worker.release_follow_ups()
        self._track_order(outcome)
        restyle(self.ack_button, "current", "true" if self._awaiting_ack else "false")
        self._sounds.play(sound_for(outcome.verdict))
        self._log(f"{verdict_title(outcome.verdict)} — {outcome.message}")
        if outcome.order_number:
            self.header.show_number(outcome.order_number, outcome.package_no)
        if outcome.lines:
            self.show_lines(outcome.lines, outcome.line.line_id if outcome.line else None)
        if outcome.verdict in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED):
            self._load_header(outcome.order_number)
            self.refresh_orders()
        elif outcome.verdict is Verdict.COMPLETED and outcome.order_number:
            self.header.show_packed(outcome.order_number)
            self.refresh_orders()
        if outcome.verdict is Verdict.USER_CHANGED and user is not None:
            self.user_switched.emit(user)
        self.proof.after(outcome)
        self.pack_info.after(outcome)
        self.exceptions.after(outcome)
        self.outcome_shown.emit(outcome)
        # After the emit: auto-print queues the labels on the worker first, then this loads them.
        self.labels.after(outcome)
        self.shipping.after(outcome)

    def _track_order(self, outcome: Outcome) -> None:
        opened = outcome.order_number if outcome.verdict is not Verdict.COMPLETED else None
        if outcome.verdict in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED, Verdict.COMPLETED):
            self.blocked.hide()  # the strip was about the order that was open
            self.open_number = opened

    def _show_held(self, what: str) -> None:
        self.banner.show_held(what)
        self._sounds.play(Sound.HELD)
        self._log(self.tr("held back (not counted): {what}").format(what=what))
        self.scan_held.emit(what)

    def show_not_stored(self, error: BaseException) -> None:
        """The worker failed: nothing was stored, so the banner says to scan again."""
        self.banner.show_not_stored(error)
        self._sounds.play(Sound.ERROR)
        self._log(self.tr("not stored: {error}").format(error=error))

    def _show_resumed(self, state: tuple[str, int, tuple[LineProgress, ...]] | None) -> None:
        if state is None:
            return
        number, package_no, lines = state
        self.header.show_number(number, package_no)
        self.show_lines(lines, None)
        self.banner.show_ready(self.tr("Order {number} resumed").format(number=number))
        self.open_number = number
        self._load_header(number)
        self.proof.refresh()

    def _load_header(self, number: str | None) -> None:
        if number:
            self._worker.submit(lambda: self._load_info(number), self._show_info, self._log)

    def _show_info(self, info: OrderInfo | None) -> None:
        if info is not None:
            self.header.show_info(info)

    def _fill_orders(self, rows: Any) -> None:
        self.orders.clear()
        for row in rows:
            text = self.tr("{number} · {lines} line(s)").format(number=row.number, lines=row.lines)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, row.number)
            self.orders.addItem(item)

    def _log(self, text: object) -> None:
        self.history.insertItem(0, str(text))
        while self.history.count() > HISTORY_MAX:
            self.history.takeItem(self.history.count() - 1)
