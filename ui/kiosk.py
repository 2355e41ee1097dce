"""Kiosk mode (``station-ui --kiosk`` or ``[ui] kiosk = true``): a bench nobody leaves by accident.

Full screen; the station's window takes the keyboard focus at start and again whenever a dialog
closes, so F-keys and shortcuts work with no click, whether or not a window manager runs (with
none, X gives the focus to nobody unless the application asks: ``activateWindow`` does, by
``XSetInputFocus``). Closing the window (a window manager's close, Alt+F4) is refused; the only
way out is Ctrl+Q while a supervisor or admin is signed in, that is: Lock (Ctrl+L), the
supervisor's badge, Ctrl+Q.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from station.session_login import BenchUser

EXIT_KEY = "Ctrl+Q"
MAY_EXIT = frozenset({"supervisor", "admin"})
_NOT_FOCUSED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


class KioskGuard(QObject):
    """Keeps the keyboard on the station and the station on the screen (see the module)."""

    def __init__(
        self, app: QApplication, window: QWidget, leave: Callable[[], None] | None = None
    ) -> None:
        super().__init__(app)
        self._app = app
        self._leave = leave or app.quit  # tests watch it instead of ending their application
        self._window = window
        self._leaving = False
        self._exit_key: QShortcut | None = None
        app.installEventFilter(self)
        self.follow(window)

    def close(self) -> None:
        """Stop guarding (the application outlives the station in tests)."""
        self._app.removeEventFilter(self)
        if self._exit_key is not None:
            self._exit_key.setEnabled(False)

    def follow(self, window: QWidget) -> None:
        """Guard ``window`` from now on (the start window hands over to the station's)."""
        self._window = window
        if isinstance(window, QMainWindow):
            self._exit_key = QShortcut(QKeySequence(EXIT_KEY), window)
            self._exit_key.activated.connect(self.request_exit)
        self.focus_later(window)

    def may_exit(self) -> bool:
        """True while a supervisor or admin is signed in at the guarded window."""
        user = getattr(self._window, "user", None)
        return isinstance(user, BenchUser) and user.role.value in MAY_EXIT

    def request_exit(self) -> None:
        """Ctrl+Q: leave kiosk mode if a supervisor is signed in, else say how."""
        if self.may_exit():
            self._leaving = True
            self._leave()
            return
        status = getattr(self._window, "status", None)
        if status is not None:
            status.showMessage(
                self.tr("Kiosk: to leave, lock (Ctrl+L), scan a supervisor's badge, then Ctrl+Q"),
                8000,
            )

    def focus_later(self, window: QWidget) -> None:
        """Give ``window`` the keyboard once the event loop has shown it."""
        QTimer.singleShot(0, self, lambda: self._focus(window))

    def _focus(self, window: QWidget) -> None:
        if not window.isVisible():
            return
        screen = window.screen()
        # Full screen is a window manager's job: with none, the window covers the screen
        # because it is made that size.
        if window is self._window and screen is not None and window.geometry() != screen.geometry():
            window.setGeometry(screen.geometry())
        window.raise_()
        window.activateWindow()

    def _top_window(self) -> QWidget:
        """The visible modal dialog, if any, else the guarded window."""
        modal = QApplication.activeModalWidget()
        return modal if modal is not None and modal.isVisible() else self._window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Refuse closing the guarded window; move the focus with dialogs as they come and go."""
        if not isinstance(watched, QWidget) or not watched.isWindow():
            return False
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Close and not self._leaving:
            event.ignore()
            self.request_exit()
            return True
        if watched.windowType() in _NOT_FOCUSED:
            return False
        if kind == QEvent.Type.Show:
            self.focus_later(watched)
        elif kind == QEvent.Type.Hide and watched is not self._window:
            QTimer.singleShot(0, self, lambda: self._focus(self._top_window()))
        return False
