"""Sign-in: scan a badge anywhere on the screen, or type a PIN and press Enter.

The badge needs no field: the window hands every scan to :meth:`LoginScreen.submit_badge`.
The PIN is checked on the database worker (one scrypt per user with a PIN takes tens of
milliseconds each), so the screen stays live while it is checked.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from station.session_login import SessionLogin, SignIn
from ui.theme import named
from ui.widgets.sign_in_form import pin_field, sign_in_labels
from ui.worker import DbWorker


class LoginScreen(QWidget):
    """Who is at the bench: badge or PIN."""

    signed_in = Signal(object)  # BenchUser
    refused = Signal(str)  # why nobody was signed in

    def __init__(
        self, worker: DbWorker, login: SessionLogin, station: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._login = login
        title, badge, hint = sign_in_labels(station)
        self.pin_input = pin_field()
        self.pin_input.returnPressed.connect(self._on_pin)
        self._message = named(QLabel(), "loginMessage")
        self._locked = named(QLabel(), "lockedNote")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        layout.addStretch(2)
        for label in (title, self._locked, badge, hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)  # full width: a centred, wrapped label would be squeezed
        layout.addWidget(self.pin_input, 0, Qt.AlignmentFlag.AlignHCenter)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        layout.addWidget(self._message)
        layout.addStretch(3)
        self.setFocusProxy(self.pin_input)

    def message_text(self) -> str:
        """The last refusal, as shown."""
        return self._message.text()

    def locked_text(self) -> str:
        """Why the bench was locked, as shown."""
        return self._locked.text()

    def reset(self, locked_note: str = "") -> None:
        """Empty the fields; ``locked_note`` says why the bench is locked, if it was."""
        self.pin_input.clear()
        self._message.setText("")
        self._locked.setText(locked_note)

    def submit_badge(self, code: str) -> None:
        """A scan while nobody is signed in: it must be a badge."""
        self._worker.submit(lambda: self._login.by_badge(code), self._answer, self._failed)

    def _on_pin(self) -> None:
        pin = self.pin_input.text()
        self.pin_input.clear()
        if pin:  # a bare Enter signs nobody in and says nothing
            self._worker.submit(lambda: self._login.by_pin(pin), self._answer, self._failed)

    def _answer(self, result: SignIn) -> None:
        if result.user is None:
            self._message.setText(result.reason)
            self.refused.emit(result.reason)
            return
        self.reset()
        self.signed_in.emit(result.user)

    def _failed(self, error: BaseException) -> None:
        self._message.setText(self.tr("Sign-in failed: {error}").format(error=error))
        self.refused.emit(str(error))
