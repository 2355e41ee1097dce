"""The returns screen shows what is stored, after every committed outcome (issue 20, point 4):
a scripted inspection (scan, undo, scan again, grade, undo refused, override, dispose, finish)
where, after each step, the unit panel and the units table are compared with the database's
rows, and after "Parcel done" no disposition chip is left.

Through the real window on the database worker, the returns bench and the inspection engine.
"""

from __future__ import annotations

import json
import sqlite3

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from tests.station.packfixtures import MUG
from tests.ui.returnsbench import answer
from tests.ui.stationfixtures import (
    WAIT_MS,
    sign_in,
)
from ui.composition import Station
from ui.returns.override_dialog import OverrideDialog
from ui.returns.screen import ReturnsScreen


def live_units(db: Database) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(
            "SELECT id, sku, status, grade, disposition, refund, refund_pct FROM return_items"
            " WHERE status != 'undone' AND inspection_id IN"
            " (SELECT id FROM inspections WHERE status = 'open') ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def checklist_of(db: Database, item_id: int) -> dict[str, object]:
    con = sqlite3.connect(db.path)
    try:
        row = con.execute("SELECT checklist FROM return_items WHERE id = ?", (item_id,)).fetchone()
        stored = json.loads(row[0])
        assert isinstance(stored, dict)
        return stored
    finally:
        con.close()


def same_as_stored(screen: ReturnsScreen, db: Database, step: str) -> None:
    """The panel shows a stored live unit (or none when none is live), with its stored values;
    the table lists exactly the live units."""
    stored = live_units(db)
    listed = [screen.items_model.item(r) for r in range(screen.items_model.rowCount())]
    assert [(i.id, i.status) for i in listed if i.status != "undone"] == [
        (row[0], row[2]) for row in stored
    ], step
    shown = screen.item_panel.item
    if not stored:
        assert shown is None, step
        return
    assert shown is not None, step
    row = next((r for r in stored if r[0] == shown.id), None)
    assert row is not None, f"{step}: the panel shows a unit that is not live"
    assert (shown.status, shown.grade, shown.disposition, shown.refund, shown.refund_pct) == (
        row[2:]
    ), step
    assert screen.item_panel.grade.text() == (row[3] or "not graded"), step
    if row[2] != "received":  # graded: the checklist shows the stored answers
        assert screen.checklist.answers == checklist_of(db, shown.id), step


def test_the_panel_equals_the_record_after_every_step(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    answer(qtbot, screen, lambda: window.submit_code("RMA-5001"))
    same_as_stored(screen, returns_db, "opened")

    def grade() -> None:
        for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):  # no damage: A
            qtbot.keyClick(screen.input, key)
        answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_3))

    answer(qtbot, screen, lambda: window.submit_code(MUG))
    same_as_stored(screen, returns_db, "scanned")
    assert (
        answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F5)).verdict.value
        == "undone"
    )  # a scan made by mistake, not graded: taken back
    same_as_stored(screen, returns_db, "undone")
    assert screen.item_panel.item is None and screen.current is None

    answer(qtbot, screen, lambda: window.submit_code(MUG))
    same_as_stored(screen, returns_db, "scanned again")
    grade()
    same_as_stored(screen, returns_db, "graded")
    kept = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F5))
    assert kept.verdict.value == "nothing_to_undo"  # graded: it arrived, it stays
    same_as_stored(screen, returns_db, "undo refused")
    chip = screen.item_panel.recommendation
    assert chip.property("state") == "assessed" and "RESTOCK" in chip.text()
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    dialog = screen.dialog
    assert isinstance(dialog, OverrideDialog)
    dialog.choose("resell_open_box", "partial", 80)
    qtbot.keyClicks(dialog.reason, "outer box dented")
    answer(qtbot, screen, lambda: window.submit_code("BADGE-SAM"))
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    same_as_stored(screen, returns_db, "overridden")
    gone = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F10))
    assert gone.verdict.value == "disposed", gone.message
    same_as_stored(screen, returns_db, "disposed")
    assert chip.property("state") == "override" and chip.text().startswith("DISPOSED")
    done = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F9))
    assert done.verdict.value == "completed"
    same_as_stored(screen, returns_db, "parcel done")
    # No disposition left on screen: neither its words nor its coloured chip.
    assert chip.text() == "" and chip.property("state") == "none"
    assert screen.items_model.rowCount() == 0
