"""The pack screen's proof of the box: weighings, the expected weight, the box to use, and a
supervisor's weight override.

Scale readings arrive on the GUI thread (the bridge) and go to the engine on the database
worker through the acknowledgement gate, never here: the live number is painted at once,
the engine's weighing comes back as a reply like any scan. Readings repeating the last one
are not sent again (the scale repeats itself five times a second), except accepted stable
ones, which the weighing rule needs (``ui.pack.weighing``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QWidget

from drivers.scale.model import ScaleReading
from station.packing.boxes import BoxSuggestion
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.packing.weight import Expectation
from ui.pack.ack_gate import AckGate, Reply
from ui.pack.weighing import CHANGES
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
        service: PackService,
        gate: AckGate,
        weight: WeightDisplay,
        box_hint: QLabel,
        on_reply: Callable[[Reply], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._service = service
        self._gate = gate
        self._weight = weight
        self._box_hint = box_hint
        self._on_reply = on_reply
        self._on_error = on_error
        self._parent = parent
        self._last: tuple[str, float | None] | None = None
        self.dialog: ApprovalDialog | None = None
        self._last_weighing: Outcome | None = None

    # --- scale readings (GUI thread in, worker thread for the engine) -----------------------

    def reading(self, reading: ScaleReading) -> None:
        """Every reading; sent to the engine when it differs from the one before."""
        key = (reading.state.value, reading.weight_g)
        if key != self._last:
            self._last = key
            self._worker.submit(lambda: self._gate.reading(reading), _ignore, self._on_error)

    def stable(self, reading: ScaleReading) -> None:
        """A reading the stable-weight rule accepted: perhaps the package's weighing."""
        self._worker.submit(lambda: self._gate.stable_weight(reading), self._maybe, self._on_error)

    def weigh(self, name: str) -> None:
        """The weigh key."""
        none = self.tr("no stable weight on the scale: put the box on it and let it settle")
        self._worker.submit(lambda: self._gate.weigh(name, none), self._on_reply, self._on_error)

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
        return self._service.expected_weight(), self._service.suggest_box()

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
            lambda: self._gate.override_weight(credential, reason), self._on_reply, self._on_error
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


def _ignore(_result: object) -> None:
    return None
