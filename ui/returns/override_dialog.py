"""Another disposition and refund than the rules', with a reason and a supervisor's approval.

Only collects: the engine checks the values (a partial refund needs 1–99 %) and the approver
(a supervisor or admin other than the inspector, by badge, or badge and PIN as
``BADGE-SAM 9999``; a PIN alone never approves) and writes the override with what the rules
had said, in the audit log. A badge scanned while the dialog is open comes to
:meth:`OverrideDialog.take_scan` from the screen, never as a sign-in. Up/Down change the
choice in focus, Tab moves on, Enter submits, Esc cancels: no mouse needed.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station.returns.state import ItemView
from station.returns.tags import tag_id
from ui.returns.words import disposition_word, refund_kind_word, refund_word
from ui.theme import named


class OverrideDialog(QDialog):
    """Disposition, refund (and its share) and the reason for overriding the rules."""

    submitted = Signal(str, str, int, str, str)  # disposition, refund, %, reason, approver

    def __init__(
        self,
        item: ItemView,
        dispositions: Sequence[str],
        refunds: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        title = self.tr("Override {tag}").format(tag=tag_id(item.id))
        self.setWindowTitle(title)
        self.setModal(True)
        said = self.tr("The rules say: {disposition}, {refund}").format(
            disposition=disposition_word(item.disposition),
            refund=refund_word(item.refund, item.refund_pct),
        )
        self.disposition = QComboBox()
        for value in dispositions:
            self.disposition.addItem(disposition_word(value), value)
        self.disposition.setCurrentIndex(max(self.disposition.findData(item.disposition), 0))
        self.refund = QComboBox()
        for value in refunds:
            self.refund.addItem(refund_kind_word(value), value)  # the share is beside it
        self.refund.setCurrentIndex(max(self.refund.findData(item.refund), 0))
        self.percent = QSpinBox()
        self.percent.setRange(1, 99)
        self.percent.setSuffix(" %")
        self.percent.setValue(
            item.refund_pct if item.refund == "partial" and item.refund_pct else 50
        )
        self.reason = named(QLineEdit(), "overrideReason")
        self.reason.setPlaceholderText(self.tr("why (required)"))
        self.approver = named(QLineEdit(), "overrideApprover")
        self.approver.setEchoMode(QLineEdit.EchoMode.Password)
        self.approver.setPlaceholderText(
            self.tr("scan the supervisor's badge (or type badge and PIN)")
        )
        self.message = named(QLabel(), "dialogMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Goes to"), self.disposition)
        form.addRow(self.tr("Refund"), self.refund)
        form.addRow(self.tr("Partial share"), self.percent)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.tr("Approved by"), self.approver)
        self.reason.returnPressed.connect(self._submit)
        self.approver.returnPressed.connect(self._submit)
        column = QVBoxLayout(self)
        column.addWidget(named(QLabel(title), "dialogTitle"))
        column.addWidget(named(QLabel(said), "dialogDetail"))
        column.addLayout(form)
        column.addWidget(self.message)
        column.addLayout(self._buttons())
        self.refund.currentIndexChanged.connect(self._partial)
        self._partial()
        self.setMinimumWidth(620)
        self.disposition.setFocus()

    def _buttons(self) -> QHBoxLayout:
        ok = QPushButton(self.tr("Override  [Enter]"))
        cancel = QPushButton(self.tr("Cancel  [Esc]"))
        for button in (ok, cancel):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        ok.clicked.connect(self._submit)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(ok)
        return buttons

    def choose(self, disposition: str, refund: str, percent: int | None = None) -> None:
        """Set the choices (a test, or a future command barcode)."""
        self.disposition.setCurrentIndex(self.disposition.findData(disposition))
        self.refund.setCurrentIndex(self.refund.findData(refund))
        if percent is not None:
            self.percent.setValue(percent)

    def take_scan(self, code: str) -> None:
        """A supervisor's badge scanned while the dialog is open: it approves at once when a
        reason is given, else the reason is asked for next."""
        self.approver.setText(code.strip())
        if self.reason.text().strip():
            self._submit()
        else:
            self.message.setText(self.tr("A reason is required."))
            self.reason.setFocus()

    def refuse(self, why: str) -> None:
        """The engine refused the override: say why, ask for the supervisor again."""
        self.message.setText(why)
        self.approver.clear()

    def _partial(self) -> None:
        self.percent.setEnabled(self.refund.currentData() == "partial")

    def _submit(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.message.setText(self.tr("A reason is required."))
            self.reason.setFocus()
            return
        self.submitted.emit(
            str(self.disposition.currentData()),
            str(self.refund.currentData()),
            self.percent.value(),
            reason,
            self.approver.text().strip(),
        )
