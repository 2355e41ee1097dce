"""The bar across the top: who is signed in, the screens their role opens, and the lock.

Each screen has a key (Ctrl+1 to Ctrl+5) and lock is Ctrl+L, so a packer with a scanner in
one hand never needs the mouse. The buttons never take focus, so the scanner's Enter cannot
press them.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from station.session_login import BenchUser, Screen
from ui.theme import named, restyle


def screen_title(screen: Screen) -> str:
    """A screen's name as people read it."""
    titles = {
        Screen.PACK: QCoreApplication.translate("Screen", "Pack"),
        Screen.RETURNS: QCoreApplication.translate("Screen", "Returns"),
        Screen.EVIDENCE: QCoreApplication.translate("Screen", "Evidence"),
        Screen.DASHBOARD: QCoreApplication.translate("Screen", "Dashboard"),
        Screen.DEVICES: QCoreApplication.translate("Screen", "Devices"),
    }
    return titles[screen]


def role_title(role: str) -> str:
    """A role's name as people read it."""
    titles = {
        "packer": QCoreApplication.translate("Role", "packer"),
        "inspector": QCoreApplication.translate("Role", "inspector"),
        "supervisor": QCoreApplication.translate("Role", "supervisor"),
        "admin": QCoreApplication.translate("Role", "admin"),
    }
    return titles.get(role, role)


class NavBar(QWidget):
    """User, screen buttons and lock; hidden while nobody is signed in."""

    screen_chosen = Signal(str)
    lock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navBar")
        self.user_label = named(QLabel(), "userBadge")
        self.buttons: dict[Screen, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(6)  # a supervisor's five screens and the lock fit in 1280 px
        layout.addWidget(self.user_label)
        layout.addSpacing(24)
        window = parent if parent is not None else self
        for number, screen in enumerate(Screen, start=1):
            button = QPushButton(f"{screen_title(screen)}  Ctrl+{number}")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _c=False, s=screen: self.screen_chosen.emit(s.value))
            layout.addWidget(button)
            self.buttons[screen] = button
            key = QShortcut(QKeySequence(f"Ctrl+{number}"), window)
            key.activated.connect(lambda s=screen: self._key(s))
        layout.addStretch(1)
        self.lock_button = QPushButton(self.tr("Lock  Ctrl+L"))
        self.lock_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.lock_button.clicked.connect(self.lock_requested)
        layout.addWidget(self.lock_button)
        lock_key = QShortcut(QKeySequence("Ctrl+L"), window)
        lock_key.activated.connect(self.lock_requested)
        self._user: BenchUser | None = None
        self.show_user(None)

    def show_user(self, user: BenchUser | None) -> None:
        """Show who is signed in and only the screens their role opens."""
        self._user = user
        if user is None:
            self.hide()
            self.user_label.setText("")
            return
        self.user_label.setText(f"{user.name} · {role_title(user.role.value)}")
        # Buttons first, then the bar: shown with every button, the bar would widen the
        # window for a moment, and a window does not shrink back by itself.
        for screen, button in self.buttons.items():
            button.setVisible(screen in user.screens and len(user.screens) > 1)
        self.show()

    def mark_current(self, screen: str) -> None:
        """Highlight the button of the screen shown."""
        for key, button in self.buttons.items():
            restyle(button, "current", "true" if key.value == screen else "false")

    def _key(self, screen: Screen) -> None:
        if self._user is not None and screen in self._user.screens:
            self.screen_chosen.emit(screen.value)
