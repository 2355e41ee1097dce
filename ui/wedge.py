"""Keyboard-wedge scanners for the whole application: a QApplication event filter.

Every key press, wherever focus is, goes through the pure
:class:`~drivers.scanner.wedge.WedgeDetector` first. Keys of a scan never reach a widget;
keys a person typed are handed back to the widget that had focus when they were pressed.

Re-delivery: the filter swallows the original event and keeps a copy of it (Qt destroys the
original after delivery). When the detector releases the key, the copy, a
:class:`_Redelivered` event, is posted to that widget. The filter lets events of that class
through, so they reach the widget through the normal ``QApplication.notify`` path
(propagation to parents included). Posting, not sending, keeps the order of released keys
even if a widget opens a modal dialog while handling one of them. Key releases are held with
their press (a button must see press before release) and dropped with a scanned press.

A scan's keys could also trigger shortcuts (F8 as GS placeholder, Ctrl+]); while a burst is
held, ``ShortcutOverride`` is accepted for keys that would continue it, so the shortcut map
leaves them to the filter. A person's shortcuts behave as before.

Limits: times are read from the clock when Qt delivers an event, so keys a person typed while
the GUI thread was blocked arrive bunched and fast; an Enter among them could complete a
"scan" (the interpreter then rejects it). Text that an input method composes
(``QInputMethodEvent``) is not seen: scanners type plain keys. On macOS Qt reports the
physical Ctrl key as Meta, so Ctrl+] from a scanner there needs a placeholder instead.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import count

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import Shiboken

from drivers.scanner.keys import Decision, KeyEvent, Modifier, Release, Scan
from drivers.scanner.wedge import WedgeConfig, WedgeDetector

_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)
_MODIFIERS = (
    (Qt.KeyboardModifier.ShiftModifier, Modifier.SHIFT),
    (Qt.KeyboardModifier.ControlModifier, Modifier.CONTROL),
    (Qt.KeyboardModifier.AltModifier, Modifier.ALT),
    (Qt.KeyboardModifier.MetaModifier, Modifier.META),
    (Qt.KeyboardModifier.KeypadModifier, Modifier.KEYPAD),
)


class _Redelivered(QKeyEvent):
    """A copy of a key event the filter swallowed; the filter lets this class pass."""

    @classmethod
    def copy_of(cls, event: QKeyEvent) -> _Redelivered:
        return cls(
            event.type(),
            event.key(),
            event.modifiers(),
            event.nativeScanCode(),
            event.nativeVirtualKey(),
            event.nativeModifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )


def key_name(code: int) -> str:
    """Qt key code -> the detector's key name: the character, or the ``Qt.Key`` name."""
    if 0 < code < 0x01000000:
        return chr(code)  # below that, Qt key codes are Unicode code points
    try:
        return Qt.Key(code).name.removeprefix("Key_")
    except ValueError:
        return f"0x{code:x}"


def to_key_event(event: QKeyEvent, t: float, tag: int = 0) -> KeyEvent:
    """What the detector needs from a ``QKeyEvent``: key code and modifiers, not only text."""
    mods = event.modifiers()
    return KeyEvent(
        text=event.text(),
        key=key_name(event.key()),
        modifiers=frozenset(name for flag, name in _MODIFIERS if mods & flag),
        t=t,
        auto_repeat=event.isAutoRepeat(),
        tag=tag,
    )


@dataclass
class _Held:
    target: QObject
    press: _Redelivered
    release: _Redelivered | None = None


class WedgeFilter(QObject):
    """Application-wide filter that takes keyboard-wedge scans out of the key stream.

    Install it with ``app.installEventFilter(wedge)`` and keep it alive (give it the
    application as parent, or hold a reference). ``scanned`` carries the data without prefix
    and suffix, GS as ``"\\x1d"``. ``clock`` returns seconds; tests inject their own.
    """

    scanned = Signal(str)

    def __init__(
        self,
        config: WedgeConfig | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._detector = WedgeDetector(config)
        self._clock = clock
        self._tags = count(1)
        self._held: dict[int, _Held] = {}
        self._held_press_of_key: dict[int, int] = {}  # Qt key code -> tag of its held press
        self._swallow_release: Counter[int] = Counter()  # key codes whose press was scanned
        # Suffix-less scanners end a scan by silence only: the timer asks the detector.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Route key events through the detector; everything else passes untouched."""
        if event.type() not in _KEY_EVENTS or isinstance(event, _Redelivered):
            return False
        if not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            return self._shortcut_override(event)
        if event.type() == QEvent.Type.KeyRelease:
            self._on_release(watched, event)
        else:
            self._on_press(watched, event)
        return True

    def tick(self) -> None:
        """Let silence end a held burst (the timer calls this; tests may too)."""
        self._carry_out(self._detector.tick(self._clock()))
        self._schedule()

    # -- internals ---------------------------------------------------------------------------

    def _shortcut_override(self, event: QKeyEvent) -> bool:
        if self._detector.claims(to_key_event(event, self._clock())):
            event.accept()
            return True
        return False

    def _on_press(self, watched: QObject, event: QKeyEvent) -> None:
        tag = next(self._tags)
        self._held[tag] = _Held(_target(watched), _Redelivered.copy_of(event))
        self._held_press_of_key[event.key()] = tag
        self._carry_out(self._detector.feed(to_key_event(event, self._clock(), tag)))
        self._schedule()

    def _on_release(self, watched: QObject, event: QKeyEvent) -> None:
        code = event.key()
        tag = self._held_press_of_key.pop(code, None)
        if tag is not None and tag in self._held:
            self._held[tag].release = _Redelivered.copy_of(event)
        elif self._swallow_release[code] > 0:
            self._swallow_release[code] -= 1
        else:
            # Posted like the presses, so it cannot overtake a press still in the queue.
            _post(_target(watched), _Redelivered.copy_of(event))

    def _carry_out(self, decisions: Sequence[Decision]) -> None:
        for decision in decisions:
            if isinstance(decision, Release):
                for key in decision.keys:
                    held = self._take(key.tag)
                    _post(held.target, held.press)
                    if held.release is not None:
                        _post(held.target, held.release)
            elif isinstance(decision, Scan):
                for key in decision.keys:
                    held = self._take(key.tag)
                    if held.release is None:
                        self._swallow_release[held.press.key()] += 1
                self.scanned.emit(decision.data)

    def _take(self, tag: int) -> _Held:
        held = self._held.pop(tag)
        code = held.press.key()
        if self._held_press_of_key.get(code) == tag:
            del self._held_press_of_key[code]
        return held

    def _schedule(self) -> None:
        deadline = self._detector.deadline()
        if deadline is None:
            self._timer.stop()
            return
        # One millisecond past the deadline: the detector ends a burst strictly after it.
        self._timer.start(max(0, math.ceil((deadline - self._clock()) * 1000.0) + 1))


def _target(watched: QObject) -> QObject:
    """The widget Qt would have delivered the key to, resolved now, at press time."""
    if isinstance(watched, QWidget):
        return watched
    # Seen on the top-level QWindow: repeat QWidgetWindow's own choice of receiver.
    grabber = QWidget.keyboardGrabber()
    if grabber is not None:
        return grabber
    popup = QApplication.activePopupWidget()
    if popup is not None:
        return popup.focusWidget() or popup
    if isinstance(watched, QWindow):
        focus = watched.focusObject()
        if focus is not None:
            return focus
    return watched


def _post(target: QObject, event: _Redelivered) -> None:
    # The widget may be gone by the time a person's key is released (a closed dialog).
    if Shiboken.isValid(target):
        QCoreApplication.postEvent(target, event)
