"""Short-ship and damaged-item exceptions at the pack screen, approved by a supervisor.

F3 or the ``CMD-SHORT`` barcode opens the short-ship dialog, F4 or ``CMD-DAMAGED`` the damage
dialog (the codes are ``[barcodes] cmd_short`` and ``cmd_damaged``): which line, how many, the
reason (the configured ``[packing] short_ship_reasons`` / ``damage_reasons``) and, for a damaged
unit, whether a replacement is packed (if not, the line ships short). The supervisor then scans
their badge or types a PIN. The dialog only collects;
the engine decides (``PackService.short_ship`` / ``report_damage``): nobody approves their own
exception, only a supervisor or admin may, and a refusal leaves the dialog open with the
engine's message. Like any command, the dialog does not open while a red verdict waits to be
acknowledged: the packer must see it first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QCheckBox, QComboBox, QSpinBox, QWidget

from station.barcodes import Command
from station.config import PackingSettings
from station.packing.bench import PackBench, Reply
from station.packing.verdicts import LineProgress, Outcome, Verdict
from ui.widgets.approval_dialog import ApprovalDialog
from ui.worker import DbWorker

SHORT_SHIP, DAMAGED = "short_ship", "damaged"
# The command barcodes that open the dialog ([barcodes] cmd_short, cmd_damaged).
COMMANDS = {Command.SHORT_SHIP: SHORT_SHIP, Command.DAMAGED: DAMAGED}


# lupdate finds literal translate(context, text) calls; a wrapper taking a variable it cannot.
translate = QCoreApplication.translate


@dataclass(frozen=True)
class ExceptionRequest:
    """What the packer asks a supervisor to approve."""

    kind: str  # SHORT_SHIP or DAMAGED
    line_no: int
    quantity: int
    reason: str
    replaced: bool = True  # damaged: a replacement unit is packed (else the line ships short)


class ExceptionDialog(ApprovalDialog):
    """The line, quantity and reason of a short-ship or damage, and the supervisor."""

    def __init__(
        self,
        kind: str,
        lines: Sequence[LineProgress],
        reasons: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        short = kind == SHORT_SHIP
        # Translated before the dialog exists (its title and text are built by the base).
        if short:
            title = translate("ExceptionDialog", "Short-ship: supervisor approval")
            what = translate("ExceptionDialog", "Ship fewer units of a line than ordered.")
        else:
            title = translate("ExceptionDialog", "Damaged item: supervisor approval")
            what = translate(
                "ExceptionDialog", "A unit is damaged: recorded, and replaced or shipped short."
            )
        super().__init__(title, what, parent, reasons=reasons)
        self.kind = kind
        self.line = QComboBox()
        self.quantity = QSpinBox()
        self.quantity.setMinimum(1)
        self.replaced = QCheckBox(self.tr("a replacement unit is packed"))
        self.replaced.setChecked(True)
        # Lines with units still to pack: those are the ones an exception can be about.
        open_lines = [line for line in lines if line.remaining > 0] or list(lines)
        for line in open_lines:
            text = self.tr("{no} · {sku} · {name} ({left} left)").format(
                no=line.line_no, sku=line.sku, name=line.name, left=line.remaining
            )
            self.line.addItem(text, line)
        self.add_field(self.tr("Line"), self.line)
        self.add_field(self.tr("Quantity"), self.quantity)
        if not short:
            self.add_field("", self.replaced)
        self.line.currentIndexChanged.connect(self._limit)
        self.replaced.toggled.connect(self._limit)
        self._limit()
        self.line.setFocus()

    def request(self, reason: str) -> ExceptionRequest:
        """The request as filled in, with the ``reason`` the dialog submitted."""
        line = self.line.currentData()
        assert isinstance(line, LineProgress)
        replaced = self.kind == DAMAGED and self.replaced.isChecked()
        return ExceptionRequest(self.kind, line.line_no, self.quantity.value(), reason, replaced)

    def _limit(self) -> None:
        # Shipped short: no more than remain. A damaged unit that is replaced may be any of
        # the line's units, even one packed already and taken back out.
        line = self.line.currentData()
        if not isinstance(line, LineProgress):
            return
        replaced = self.kind == DAMAGED and self.replaced.isChecked()
        self.quantity.setMaximum(max(1, line.expected if replaced else line.remaining))


class PackExceptions(QObject):
    """Opens the exception dialogs and sends what they collect to the engine (on the worker)."""

    def __init__(
        self,
        worker: DbWorker,
        bench: PackBench,
        packing: PackingSettings,
        lines: Callable[[], Sequence[LineProgress]],
        on_reply: Callable[[Reply], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._bench = bench
        self._packing = packing
        self._lines = lines
        self._on_reply = on_reply
        self._on_error = on_error
        self._parent = parent
        self.dialog: ExceptionDialog | None = None

    def open(self, kind: str) -> bool:
        """Open the dialog for ``kind``; False when no order is open (nothing to ask about)."""
        if self.dialog is not None:
            return True
        lines = self._lines()
        if not lines:
            return False
        reasons = (
            self._packing.short_ship_reasons if kind == SHORT_SHIP else self._packing.damage_reasons
        )
        dialog = ExceptionDialog(kind, lines, reasons, self._parent)
        dialog.submitted.connect(self._submit)
        dialog.finished.connect(self._closed)
        self.dialog = dialog
        dialog.open()
        return True

    def take_scan(self, code: str) -> bool:
        """A scan while the dialog is open goes to it (a supervisor's badge); True if taken."""
        if self.dialog is None:
            return False
        self.dialog.take_scan(code)
        return True

    def after(self, outcome: Outcome) -> None:
        """Every outcome shown: close the dialog on approval, say why on a refusal."""
        if self.dialog is None:
            return
        if outcome.verdict is Verdict.EXCEPTION_RECORDED:
            self.dialog.accept()
        elif outcome.verdict in (Verdict.NEEDS_SUPERVISOR, Verdict.NOT_ALLOWED):
            self.dialog.refuse(outcome.message)

    def _submit(self, credential: str, reason: str) -> None:
        assert self.dialog is not None
        request = self.dialog.request(reason)
        bench = self._bench

        def record() -> Reply:
            if request.kind == SHORT_SHIP:
                return bench.short_ship(
                    request.line_no, request.quantity, request.reason, credential
                )
            return bench.report_damage(
                request.line_no,
                request.reason,
                credential,
                quantity=request.quantity,
                replaced=request.replaced,
            )

        self._worker.submit(record, self._on_reply, self._on_error)

    def _closed(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.deleteLater()
        # Back to the scan field, in a window that is active again (keys, the scanner's Enter).
        self._parent.window().activateWindow()
        self._parent.setFocus()
