"""Lock the bench after a configured time without a key, a touch, a click or a scan.

An application event filter sees input wherever focus is; scans from serial and camera
scanners make no key events, so the window calls :meth:`IdleLock.touch` for every scan.
The filter only looks and never keeps an event. Qt drops a destroyed object from the
application's filters, so the lock goes with its parent window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.Wheel,
    }
)


class IdleLock(QObject):
    """Emits ``idle`` once after ``timeout_s`` without activity, while armed."""

    idle = Signal()

    def __init__(self, timeout_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, round(timeout_s * 1000)))
        self._timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def armed(self) -> bool:
        """True while counting (somebody is signed in)."""
        return self._timer.isActive()

    def arm(self) -> None:
        """Start counting from now (at sign-in)."""
        self._timer.start()

    def disarm(self) -> None:
        """Stop counting (locked: nothing to lock)."""
        self._timer.stop()

    def touch(self) -> None:
        """Activity: count from now again, if armed."""
        if self._timer.isActive():
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Any key, click, touch or wheel is activity; the event goes on unchanged."""
        if event.type() in _ACTIVITY:
            self.touch()
        return False
