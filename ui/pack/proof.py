"""The pack screen's proof of the box: weighings, the expected weight, the box to use, and a
supervisor's weight override.

Scale readings go from the scale driver's thread straight to the bench on the database
worker (:meth:`PackProof.feed`), never through the GUI thread; the live number is painted by
the bridge's own signal, and the bench's weighing comes back as a reply like any scan.
Readings repeating the last one are not sent again (the scale repeats itself several times a
second), except accepted stable ones, which the weighing rule needs
(``station.packing.weighing``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from drivers.scale.worker import ScaleUpdate
from station.packing.bench import PackBench, Reply
from station.packing.boxes import BoxSuggestion
from station.packing.verdicts import Outcome, Verdict
from station.packing.weighing import CHANGES
from station.packing.weight import Expectation
from ui.widgets.approval_dialog import ApprovalDialog
from ui.widgets.weight import WeightDisplay
from ui.worker import DbWorker

# Answers after which the weighing may have to be asked for by a supervisor.
NEEDS_APPROVAL = (Verdict.WEIGHT_MISMATCH, Verdict.WEIGHT_UNKNOWN)
WEIGHINGS = (*NEEDS_APPROVAL, Verdict.WEIGHT_PASS, Verdict.WEIGHT_OVERRIDE)

ProofView = tuple[Expectation | None, BoxSuggestion | None]


class PackProof(QObject):
    """Weighings, expected weight, box suggestion and the override dialog of the pack screen."""

    def __init__(
        self,
        worker: DbWorker,
        bench: PackBench,
        weight: WeightDisplay,
        box_hint: QLabel,
        on_reply: Callable[[Reply], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._bench = bench
        self._weight = weight
        self._box_hint = box_hint
        self._on_reply = on_reply
        self._on_error = on_error
        self._parent = parent
        self._last: tuple[str, float | None] | None = None
        self._last_lock = threading.Lock()  # feed() runs on the scale driver's thread
        self.dialog: ApprovalDialog | None = None
        self._last_weighing: Outcome | None = None

    # --- scale readings (any thread in, the worker thread for the bench) ------------------

    def feed(self, update: ScaleUpdate) -> None:
        """Every reading, from any thread; sent to the bench when it differs from the one
        before or the stable-weight rule accepted it (perhaps the package's weighing)."""
        reading = update.reading
        key = (reading.state.value, reading.weight_g)
        with self._last_lock:
            repeated, self._last = key == self._last, key
        if repeated and not update.accepted:
            return
        self._worker.submit(lambda: self._bench.reading(update), self._maybe, self._on_error)

    def weigh(self, name: str) -> None:
        """The weigh key."""
        none = self.tr("no stable weight on the scale: put the box on it and let it settle")
        self._worker.submit(lambda: self._bench.weigh(name, none), self._on_reply, self._on_error)

    # --- what the engine said ----------------------------------------------------------------

    def after(self, outcome: Outcome) -> None:
        """Every outcome shown: keep the weight panel and the box hint true."""
        if outcome.verdict in WEIGHINGS:
            self._last_weighing = outcome
            self._weight.show_decision(outcome)
            if self.dialog is not None:
                self._answered(outcome)
        elif outcome.verdict in CHANGES:
            self._last_weighing = None
            self._weight.show_decision(None)
        elif outcome.verdict in (Verdict.NEEDS_SUPERVISOR, Verdict.NOT_ALLOWED) and self.dialog:
            self.dialog.refuse(outcome.message)
        if outcome.verdict in CHANGES or outcome.verdict in WEIGHINGS:
            self.refresh()

    def refresh(self) -> None:
        """Read the expected weight and the box to use again (on the worker)."""
        self._worker.submit(self._view, self._show_view, self._on_error)

    def _view(self) -> ProofView:
        # Worker thread: the engine's state belongs to it.
        service = self._bench.service
        return service.expected_weight(), service.suggest_box()

    def _show_view(self, view: ProofView) -> None:
        expectation, box = view
        self._weight.show_expected(expectation)
        if box is None:
            self._box_hint.setText("")
        elif box.box is None:
            self._box_hint.setText(self.tr("Box: none fits — {why}").format(why=box.reason))
        else:
            # The code alone fits the side column; the name and the void are in the tip.
            self._box_hint.setText(self.tr("Box: {code}").format(code=box.box.code))
        tip = (
            ""
            if box is None
            else " · ".join(
                [
                    box.box.name if box.box else "",
                    box.reason,
                    self.tr("{void:.0f}% void").format(void=box.void_pct),
                ]
            )
        )
        self._box_hint.setToolTip(tip)

    def _maybe(self, reply: Reply | None) -> None:
        if reply is not None:
            self._on_reply(reply)

    # --- the supervisor's override -----------------------------------------------------------

    def override(self) -> None:
        """Open the approval dialog for the package's weight (the override key)."""
        if self.dialog is not None:
            return
        last = self._last_weighing
        what = last.message if last is not None else self.tr("The package's weight.")
        dialog = ApprovalDialog(self.tr("Supervisor: accept this weight"), what, self._parent)
        dialog.submitted.connect(self._submit_override)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()

    def take_scan(self, code: str) -> bool:
        """A scan while the dialog is open goes to it (a supervisor's badge); True if taken."""
        if self.dialog is None:
            return False
        self.dialog.take_scan(code)
        return True

    def _submit_override(self, credential: str, reason: str) -> None:
        self._worker.submit(
            lambda: self._bench.override_weight(credential, reason), self._on_reply, self._on_error
        )

    def _answered(self, outcome: Outcome) -> None:
        assert self.dialog is not None
        if outcome.verdict is Verdict.WEIGHT_OVERRIDE or outcome.verdict is Verdict.WEIGHT_PASS:
            self.dialog.accept()

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        # Back to the scan field, in a window that is active again (keys, the scanner's Enter).
        self._parent.window().activateWindow()
        self._parent.setFocus()
