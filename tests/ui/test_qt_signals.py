"""Guard against a PySide6 whose Signal.emit() leaks a reference to True (6.12.0 on 3.11).

Such a build aborts the whole station ("bool_dealloc: deallocating True or False") after about
a thousand emits: a scale alone emits several a second. pyproject.toml caps PySide6 below it;
this test fails if a future upgrade brings the fault back.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Emitter(QObject):
    fired = Signal(object)


def test_emit_keeps_the_reference_count_of_true(qtbot: QtBot) -> None:
    emitter = _Emitter()
    received: list[object] = []
    emitter.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(500):  # fewer than it takes to crash a faulty build, enough to see the drift
        emitter.fired.emit(i)
    drift = sys.getrefcount(True) - before
    assert len(received) == 500
    assert abs(drift) < 50, f"Signal.emit() changed refcount(True) by {drift}"
