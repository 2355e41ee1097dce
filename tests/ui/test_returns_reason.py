"""The observed reason chosen directly and the unit graded once more, not once per step
(issue 20, point 5): F3 then the reason's number key, or the reason's barcode; the list shows
words, numbered as the keys; an unknown reason barcode says why and changes nothing.

Through the real window on the database worker, the returns bench and the inspection engine.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from tests.station.packfixtures import MUG
from tests.ui.returnsbench import answer
from tests.ui.stationfixtures import (
    sign_in,
)
from ui.composition import Station


def stored(db: Database) -> tuple[list[tuple[object, ...]], int]:
    """The unit's observed reason and refund, and how many times it was graded."""
    con = sqlite3.connect(db.path)
    try:
        unit = con.execute("SELECT observed_reason, refund FROM return_items").fetchall()
        graded = con.execute(
            "SELECT count(*) FROM outbox WHERE type = 'return.item_assessed'"
        ).fetchone()[0]
        return unit, int(graded)
    finally:
        con.close()


def test_observed_reason_by_number_key_or_barcode_grades_once(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    answer(qtbot, screen, lambda: window.submit_code("RMA-5001"))
    answer(qtbot, screen, lambda: window.submit_code(MUG))
    panel = screen.item_panel
    # Words, numbered as their keys: never the configured codes.
    texts = [panel.observed.itemText(i) for i in range(panel.observed.count())]
    assert texts[0] == "1  changed mind" and texts[7] == "8  no fault found"
    assert not any("_" in text for text in texts)
    assert panel.observed_reason() == "changed_mind"  # the customer's, to start with
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(screen.input, key)
    graded = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_3))
    assert graded.verdict.value == "assessed"
    assert graded.item is not None
    assert stored(returns_db) == ([("changed_mind", graded.item.refund)], 1)

    # F3, then 4: damaged in transit, chosen in one step and graded once again.
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    assert panel.choosing.isVisible() and "4  damaged in transit" in panel.choosing.text()
    regraded = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_4))
    assert regraded.verdict.value == "assessed" and not panel.choosing.isVisible()
    assert panel.observed_reason() == "damaged_in_transit"
    # The banner in words from the stored unit, not the engine's codes.
    assert regraded.item is not None and regraded.item.grade is not None
    assert f"grade {regraded.item.grade}:" in screen.banner.text()
    assert "_" not in screen.banner.text()
    assert stored(returns_db)[1] == 2
    assert stored(returns_db)[0][0][0] == "damaged_in_transit"

    # F3 then Esc keeps the reason; the same reason again grades nothing.
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    qtbot.keyClick(screen.input, Qt.Key.Key_Escape)
    assert not panel.choosing.isVisible() and not screen.choosing_reason
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    qtbot.keyClick(screen.input, Qt.Key.Key_4)
    assert stored(returns_db)[1] == 2

    # The reason's barcode: no fault found, graded once more.
    regraded = answer(qtbot, screen, lambda: window.submit_code("REASON-NO_FAULT_FOUND"))
    assert regraded.verdict.value == "assessed"
    assert panel.observed_reason() == "no_fault_found"
    assert regraded.item is not None
    assert stored(returns_db) == ([("no_fault_found", regraded.item.refund)], 3)

    # An unknown reason barcode says why and changes nothing.
    window.submit_code("REASON-BORED")
    assert "BORED is not a reason here" in screen.banner.text()
    assert "no fault found" in screen.banner.text() and screen.banner.severity == "warning"
    assert panel.observed_reason() == "no_fault_found" and stored(returns_db)[1] == 3
