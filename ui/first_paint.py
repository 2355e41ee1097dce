"""Tells when a window has first been painted: the moment a person can see it.

``station-ui --exit-when-ready`` and the bare window of ``python -m ui.tools.benchmark`` use the
same watcher, so the start-up of both is measured up to the same event.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """Calls ``then`` once, after the first frame in which ``window`` (or a child) painted.

    It watches paint events application-wide (children paint, not only the window) and calls
    back from a zero timer, i.e. once the whole frame has been painted and flushed.
    """

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._then = then
        self._seen = False
        app = QCoreApplication.instance()
        assert app is not None, "a QApplication must exist"
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Notice the first paint event of the window or one of its children."""
        if (
            not self._seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            self._seen = True
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False
