"""A supervisor's approval: a badge scan (or badge and PIN), and a reason, never the packer's own.

The dialog only collects; the engine decides (``override_weight`` refuses the packer's own
badge, anyone who is not a supervisor, and an empty reason). A badge scanned while the dialog
is open comes to :meth:`ApprovalDialog.take_scan` from the window, not as a user switch. The
dialog stays open on a refusal and says why, so the supervisor can try again.

A caller may ask for more (an exception's line and quantity) with :meth:`add_field`, and give
the reasons to choose from (``reasons``: the configured codes) instead of a free-text reason.
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
    QVBoxLayout,
    QWidget,
)

from ui.theme import named


class ApprovalDialog(QDialog):
    """Asks for a supervisor's badge (or badge and PIN) and a reason; emits both once given."""

    submitted = Signal(str, str)  # credential (badge code, or "BADGE PIN"), reason

    def __init__(
        self,
        title: str,
        what: str,
        parent: QWidget | None = None,
        *,
        reasons: Sequence[str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        heading = named(QLabel(title), "dialogTitle")
        heading.setWordWrap(True)  # a long title wraps instead of being cut at the dialog's edge
        detail = named(QLabel(what), "dialogDetail")
        detail.setWordWrap(True)
        self.credential = named(QLineEdit(), "approvalCredential")
        self.credential.setEchoMode(QLineEdit.EchoMode.Password)
        self.credential.setPlaceholderText(
            self.tr("scan a supervisor's badge (or type badge and PIN)")
        )
        self.reason = named(QLineEdit(), "approvalReason")
        self.reason.setPlaceholderText(self.tr("why this is right (required)"))
        # With configured reasons, one is chosen (arrow keys) instead of typed.
        self.reason_choice: QComboBox | None = None
        if reasons is not None:
            self.reason_choice = named(QComboBox(), "approvalReasonChoice")
            self.reason_choice.addItems(list(reasons))
        self.message = named(QLabel(), "dialogMessage")
        self.message.setWordWrap(True)
        self._form = form = QFormLayout()
        if self.reason_choice is not None:
            # Everything chosen first; the supervisor's credential comes last and submits.
            form.addRow(self.tr("Reason"), self.reason_choice)
            form.addRow(self.tr("Supervisor"), self.credential)
        else:
            form.addRow(self.tr("Supervisor"), self.credential)
            form.addRow(self.tr("Reason"), self.reason)
        self.approve_button = QPushButton(self.tr("Approve  [Enter]"))
        self.cancel_button = QPushButton(self.tr("Cancel  [Esc]"))
        for button in (self.approve_button, self.cancel_button):
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.approve_button.clicked.connect(self._submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.approve_button)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addWidget(detail)
        column.addLayout(form)
        column.addWidget(self.message)
        column.addLayout(buttons)
        # Enter in either field submits once both are filled (a scan's Enter included).
        self.credential.returnPressed.connect(self._next)
        self.reason.returnPressed.connect(self._submit)
        self._fields = 0
        self.setMinimumWidth(620)
        self.credential.setFocus()

    def add_field(self, label: str, field: QWidget) -> None:
        """Ask for ``field`` too, above the reason (the caller reads it on ``submitted``)."""
        self._form.insertRow(self._fields, label, field)
        self._fields += 1

    def reason_text(self) -> str:
        """The reason typed or chosen."""
        if self.reason_choice is not None:
            return self.reason_choice.currentText().strip()
        return self.reason.text().strip()

    def take_scan(self, code: str) -> None:
        """A badge scanned while the dialog is open."""
        self.credential.setText(code.strip())
        self._next()

    def refuse(self, why: str) -> None:
        """The engine refused: say why, and ask for the supervisor again."""
        self.message.setText(why)
        self.credential.clear()
        self.credential.setFocus()

    def _next(self) -> None:
        if self.credential.text().strip() and self.reason_text():
            self._submit()
        elif self.credential.text().strip():
            (self.reason_choice or self.reason).setFocus()

    def _submit(self) -> None:
        credential, reason = self.credential.text().strip(), self.reason_text()
        if not credential:
            self.message.setText(
                self.tr("A supervisor must scan their badge (or type badge and PIN).")
            )
            self.credential.setFocus()
            return
        if not reason:
            self.message.setText(self.tr("A reason is required."))
            (self.reason_choice or self.reason).setFocus()
            return
        self.message.setText(self.tr("Checking…"))
        self.submitted.emit(credential, reason)
