"""A bench without a camera, a grade that needs a photo, no supervisor to waive it: the unit
is held with its reason (F6), stays received, and the parcel closes saying so, never "not
received" (issue 20, point 2). Undo (F5) no longer takes back a graded unit.

Through the real window on the database worker, the returns bench and the inspection engine.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from station.db import Database
from tests.station.packfixtures import rows
from tests.ui.returnsbench import answer, mug_failed
from tests.ui.stationfixtures import WAIT_MS
from ui.composition import Station
from ui.widgets.approval_dialog import ApprovalDialog


def test_a_unit_that_needs_a_photo_no_one_can_take_is_held_not_dropped(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window  # bare settings: no camera at this bench
    screen = mug_failed(qtbot, window)

    # F10: the photo is required; the waiver dialog says what to do without a supervisor.
    answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F10))
    dialog = screen.dialog
    assert isinstance(dialog, ApprovalDialog)
    detail = dialog.findChild(QLabel, "dialogDetail")
    assert isinstance(detail, QLabel) and "Hold [F6]" in detail.text()
    dialog.reject()  # Esc: nobody to approve
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(screen.input.hasFocus, timeout=WAIT_MS)  # the keys are the screen's again

    # F5 used to drop the unit; it is graded, so it stays.
    kept = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F5))
    assert kept.verdict.value == "nothing_to_undo" and "was graded" in kept.message
    assert screen.current is not None and screen.current.status == "assessed"

    held = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F6))
    assert held.verdict.value == "held", held.message
    assert screen.current is not None and screen.current.status == "held"
    assert screen.item_panel.recommendation.text() == (
        "HELD: photo needed, no camera at this bench"
    )
    assert screen.item_panel.recommendation.property("state") == "held"
    assert screen.items_model.index(0, 6).data() == "held"

    done = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F9))
    assert done.verdict.value == "completed", done.message
    banner = screen.banner.text()
    assert "held: MUG (photo needed, no camera at this bench)" in banner
    assert "not received" not in banner
    assert screen.item_panel.item is None
    assert screen.item_panel.recommendation.property("state") == "none"
    assert rows(returns_db, "SELECT status, hold_reason FROM return_items") == [
        ("held", "photo needed, no camera at this bench")
    ]
    assert rows(returns_db, "SELECT status FROM rmas WHERE number = 'RMA-5001'") == [("received",)]
