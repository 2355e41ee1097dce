"""The wedge filter on a real window: scans leave text fields alone, people's keys arrive."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from drivers.scanner.keys import GS
from drivers.scanner.wedge import WedgeConfig
from ui.wedge import WedgeFilter

NO_MOD = Qt.KeyboardModifier.NoModifier


class FakeClock:
    """Seconds, advanced by the test."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class RecordingLineEdit(QLineEdit):
    """A line edit that also notes the order of the key events it received."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, str]] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.log.append(("press", event.text()))
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        self.log.append(("release", event.text()))
        super().keyReleaseEvent(event)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot: QtBot) -> tuple[QWidget, RecordingLineEdit]:
    window = QWidget()
    line_edit = RecordingLineEdit()
    QVBoxLayout(window).addWidget(line_edit)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    line_edit.setFocus()
    return window, line_edit


def make_wedge(qapp: QApplication, clock: FakeClock, config: WedgeConfig | None = None):
    wedge = WedgeFilter(config, clock=clock)
    qapp.installEventFilter(wedge)
    return wedge


@pytest.fixture
def wedge(qapp: QApplication, clock: FakeClock) -> Iterator[WedgeFilter]:
    wedge = make_wedge(qapp, clock)
    yield wedge
    qapp.removeEventFilter(wedge)


def key_code(text: str) -> int:
    return ord(text.upper())


def send_key(
    widget: QWidget,
    clock: FakeClock,
    at: float,
    key: int,
    text: str = "",
    mods: Qt.KeyboardModifier = NO_MOD,
) -> None:
    """Press and release one key at fake time ``at`` (relative to the clock's start)."""
    clock.now = 100.0 + at
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QCoreApplication.sendEvent(widget, QKeyEvent(kind, key, mods, text))


def type_text(widget: QWidget, clock: FakeClock, text: str, start: float, step: float) -> float:
    for i, ch in enumerate(text):
        send_key(widget, clock, start + i * step, key_code(ch), ch)
    return start + len(text) * step


def test_scan_is_emitted_and_the_line_edit_stays_empty(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    with (
        qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker,
        qtbot.assertNotEmitted(line_edit.returnPressed),
    ):
        end = type_text(line_edit, clock, "4006381333931", start=0.0, step=0.010)
        send_key(line_edit, clock, end, Qt.Key.Key_Return, "\r")
    assert blocker.args == ["4006381333931"]
    QCoreApplication.processEvents()
    assert line_edit.text() == ""
    assert line_edit.log == []


def test_slow_typing_lands_in_the_line_edit_in_order(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    with qtbot.assertNotEmitted(wedge.scanned):
        end = type_text(line_edit, clock, "hello", start=0.0, step=0.150)
        # The last key waits for silence; the filter's timer asks the detector.
        clock.now = 100.0 + end + 0.2
        qtbot.waitUntil(lambda: line_edit.text() == "hello", timeout=2000)
    presses = [text for kind, text in line_edit.log if kind == "press"]
    assert presses == list("hello")
    # Each release still follows its own press, though it was held back with it.
    assert line_edit.log[:4] == [("press", "h"), ("release", "h"), ("press", "e"), ("release", "e")]


def test_persons_enter_reaches_the_line_edit(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    with qtbot.waitSignal(line_edit.returnPressed, timeout=2000):
        end = type_text(line_edit, clock, "42", start=0.0, step=0.200)
        send_key(line_edit, clock, end + 0.1, Qt.Key.Key_Return, "\r")
    assert line_edit.text() == "42"


def test_ctrl_bracket_inside_a_scan_becomes_gs(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    ctrl = Qt.KeyboardModifier.ControlModifier
    with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
        end = type_text(line_edit, clock, "]C10109501101530003", start=0.0, step=0.005)
        # No printable text: only the key code and the modifier say it is Ctrl+].
        send_key(line_edit, clock, end, Qt.Key.Key_BracketRight, "", ctrl)
        end = type_text(line_edit, clock, "10ABC", start=end + 0.005, step=0.005)
        send_key(line_edit, clock, end, Qt.Key.Key_Return, "\r")
    assert blocker.args == ["]C10109501101530003" + GS + "10ABC"]
    QCoreApplication.processEvents()
    assert line_edit.text() == ""


def test_person_typing_then_scanning(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    end = type_text(line_edit, clock, "note", start=0.0, step=0.180)
    with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
        end = type_text(line_edit, clock, "12345678", start=end + 0.5, step=0.008)
        send_key(line_edit, clock, end, Qt.Key.Key_Enter, "\r")
    assert blocker.args == ["12345678"]
    qtbot.waitUntil(lambda: line_edit.text() == "note", timeout=2000)


def test_suffixless_scan_is_ended_by_the_timer(
    qtbot: QtBot, qapp: QApplication, window: tuple[QWidget, RecordingLineEdit], clock: FakeClock
) -> None:
    _, line_edit = window
    wedge = make_wedge(qapp, clock, WedgeConfig(suffix_keys=frozenset()))
    try:
        with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
            end = type_text(line_edit, clock, "TOTE-0042", start=0.0, step=0.010)
            clock.now = 100.0 + end + 0.25
        assert blocker.args == ["TOTE-0042"]
        assert line_edit.text() == ""
    finally:
        qapp.removeEventFilter(wedge)


def test_placeholder_key_in_a_scan_does_not_fire_its_shortcut(
    qtbot: QtBot, qapp: QApplication, window: tuple[QWidget, RecordingLineEdit], clock: FakeClock
) -> None:
    top, line_edit = window
    fired: list[bool] = []
    shortcut = QShortcut(QKeySequence("F8"), top)
    shortcut.activated.connect(lambda: fired.append(True))
    wedge = make_wedge(qapp, clock, WedgeConfig(gs_keys=frozenset({"F8"})))
    try:
        with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
            for i, ch in enumerate("0123"):
                clock.now = 100.0 + i * 0.01
                qtbot.keyClick(line_edit, ch)
            clock.now = 100.04
            qtbot.keyClick(line_edit, Qt.Key.Key_F8)
            clock.now = 100.05
            qtbot.keyClick(line_edit, Qt.Key.Key_Return)
        assert blocker.args == ["0123" + GS]
        assert fired == []
        # A person's F8, with nothing held, is still the shortcut.
        clock.now = 101.0
        qtbot.keyClick(line_edit, Qt.Key.Key_F8)
        assert fired == [True]
    finally:
        qapp.removeEventFilter(wedge)


def test_keys_from_the_window_system_are_routed_to_the_focused_widget(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    # Keys from the platform reach the top-level QWindow first; the filter sees them there
    # and must still hand a person's keys to the focused line edit.
    top, line_edit = window
    handle = top.windowHandle()
    assert handle is not None
    with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
        for i, ch in enumerate("A1B2C3"):
            clock.now = 100.0 + i * 0.01
            QTest.keyClick(handle, ord(ch))
        clock.now = 100.06
        QTest.keyClick(handle, Qt.Key.Key_Return)
    assert blocker.args == ["A1B2C3"]
    for i, ch in enumerate("XY"):
        clock.now = 101.0 + i * 0.2
        QTest.keyClick(handle, ord(ch))
    clock.now = 102.0
    qtbot.waitUntil(lambda: line_edit.text() == "XY", timeout=2000)


def test_alt_0029_on_the_keypad_inside_a_scan_becomes_gs(
    qtbot: QtBot, window: tuple[QWidget, RecordingLineEdit], wedge: WedgeFilter, clock: FakeClock
) -> None:
    _, line_edit = window
    alt_keypad = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.KeypadModifier
    with qtbot.waitSignal(wedge.scanned, timeout=2000) as blocker:
        end = type_text(line_edit, clock, "0104", start=0.0, step=0.005)
        send_key(line_edit, clock, end, Qt.Key.Key_Alt, "", Qt.KeyboardModifier.AltModifier)
        for digit in "0029":
            end += 0.005
            send_key(line_edit, clock, end, Qt.Key.Key_0 + int(digit), "", alt_keypad)
        end = type_text(line_edit, clock, "21X", start=end + 0.005, step=0.005)
        send_key(line_edit, clock, end, Qt.Key.Key_Return, "\r")
    assert blocker.args == ["0104" + GS + "21X"]
    QCoreApplication.processEvents()
    assert line_edit.text() == ""
