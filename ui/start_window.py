"""The sign-in screen as it looks from the first moment, while the station loads behind it.

Loading the station (the database layer, the engines, label and photo libraries) takes a
couple of seconds of imports. :class:`StartWindow` needs only Qt: it is on screen at once,
says it is starting, and keeps every badge scanned and PIN typed meanwhile; ``ui.app`` hands
them to the real window as soon as it is built, so nothing scanned at start-up is lost.
:class:`Loader` does the imports on a thread of its own, so this window stays live.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.theme import DEFAULT_THEME, apply_theme, named
from ui.widgets.sign_in_form import pin_field, sign_in_labels


class StartWindow(QWidget):
    """Sign-in while the station loads: scans and PINs are kept, not lost.

    A plain widget, not a QMainWindow: showing a first QMainWindow costs ~30 ms more here,
    paid later by the station's window instead.
    """

    closed = Signal()  # the person closed the window before the station was ready

    def __init__(self, station: str, theme: str = DEFAULT_THEME) -> None:
        super().__init__()
        apply_theme(self, theme)
        self.setWindowTitle(self.tr("Pack station — {station}").format(station=station))
        self.badges: list[str] = []  # scanned while loading, in order
        self.pins: list[str] = []
        self.handed_over = False
        title, badge, hint = sign_in_labels(station)
        self.pin_input = pin_field()
        self.pin_input.returnPressed.connect(self._on_pin)
        self.message = named(QLabel(self.tr("Starting…")), "loginHint")  # not red: nothing is wrong
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        layout.addStretch(2)
        for label in (title, badge, hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.pin_input, 0, Qt.AlignmentFlag.AlignHCenter)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)
        layout.addStretch(3)
        self.pin_input.setFocus()

    def take_scan(self, code: str) -> None:
        """A badge scanned before the station is ready: kept for the real sign-in."""
        self.badges.append(code)
        self.message.setText(self.tr("Badge read — signing in as soon as the station is ready"))

    def _on_pin(self) -> None:
        pin = self.pin_input.text()
        self.pin_input.clear()
        if pin:
            self.pins.append(pin)
            self.message.setText(self.tr("PIN taken — signing in as soon as the station is ready"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        """Closed by the person (not by the hand-over): the station is not wanted."""
        if not self.handed_over:
            self.closed.emit()
        super().closeEvent(event)


class Loader(QObject):
    """Imports modules on a thread of its own; ``loaded`` (or ``failed``) on the GUI thread."""

    loaded = Signal()
    failed = Signal(str)

    def __init__(self, modules: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._modules = tuple(modules)
        self._thread = threading.Thread(target=self._run, name="station-start", daemon=True)

    def start(self) -> None:
        """Begin importing."""
        self._thread.start()

    def join(self) -> None:
        """Wait for the thread (it ends right after the imports)."""
        self._thread.join()

    def _run(self) -> None:
        try:
            for name in self._modules:
                importlib.import_module(name)
        except Exception as exc:
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.loaded.emit()
