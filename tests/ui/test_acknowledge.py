"""A red verdict is cleared only by CMD-CONFIRM or the acknowledge key, never by Enter; until
then further scans are held back: not sent to the engine, not stored."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from tests.station.packfixtures import MUG, STRAY
from tests.ui.stationfixtures import WAIT_MS, RecordingPlayer, sign_in
from tests.ui.test_pack_window import key, scan
from ui.composition import Station
from ui.sounds import Sound


def stored_scans(db: Database) -> list[tuple[str, str]]:
    con = sqlite3.connect(db.path)
    try:
        return [(r[0], r[1]) for r in con.execute("SELECT raw, verdict FROM scans ORDER BY id")]
    finally:
        con.close()


@pytest.fixture
def wrong(qtbot: QtBot, station: Station) -> Station:
    """An order open and a wrong item just scanned: the banner is red."""
    sign_in(qtbot, station.window, "BADGE-ALICE")
    pack = station.window.pack
    scan(qtbot, pack, "SO-1001")
    assert scan(qtbot, pack, STRAY).verdict.value == "wrong_item"
    assert pack.banner.severity == "error"
    assert pack.awaiting_ack
    assert "CMD-CONFIRM" in pack.banner.hint()
    return station


def test_enter_does_not_clear_and_the_next_item_is_held_back(
    qtbot: QtBot, wrong: Station, ui_db: Database, player: RecordingPlayer
) -> None:
    pack = wrong.window.pack
    before = stored_scans(ui_db)
    qtbot.keyClick(pack.input, Qt.Key.Key_Return)  # the Enter that ends every scan, alone
    qtbot.keyClick(pack.input, Qt.Key.Key_Enter)
    qtbot.wait(50)
    assert pack.banner.severity == "error" and pack.awaiting_ack
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS) as held:
        qtbot.keyClicks(pack.input, MUG)
        qtbot.keyClick(pack.input, Qt.Key.Key_Return)
    assert held.args == [MUG]
    assert pack.banner.severity == "error"
    assert "NOT counted" in pack.banner.hint()
    assert player.played[-1] is Sound.HELD
    assert pack.lines_model.index(0, pack.lines_model.PACKED).data() == "0 / 2"
    assert stored_scans(ui_db) == before  # the engine never saw it
    # Commands are held back too: undo, new box, complete.
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        qtbot.keyClick(pack.input, Qt.Key.Key_F9)
    assert stored_scans(ui_db) == before


def test_the_confirm_barcode_clears_the_error(
    qtbot: QtBot, wrong: Station, ui_db: Database
) -> None:
    pack = wrong.window.pack
    assert scan(qtbot, pack, "CMD-CONFIRM").verdict.value == "confirmed"
    assert not pack.awaiting_ack
    assert pack.banner.severity == "info"
    assert scan(qtbot, pack, MUG).verdict.value == "accepted"
    assert stored_scans(ui_db)[-2:] == [("CMD-CONFIRM", "confirmed"), (MUG, "accepted")]


@pytest.mark.parametrize("which", [Qt.Key.Key_F12, Qt.Key.Key_Escape])
def test_the_acknowledge_key_clears_the_error(
    qtbot: QtBot, wrong: Station, ui_db: Database, which: Qt.Key
) -> None:
    pack = wrong.window.pack
    assert key(qtbot, pack, which).verdict.value == "confirmed"
    assert not pack.awaiting_ack
    assert stored_scans(ui_db)[-1] == ("<confirm>", "confirmed")  # stored like the barcode
    assert scan(qtbot, pack, MUG).verdict.value == "accepted"


def test_a_scan_fired_before_the_red_banner_is_painted_is_held_too(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    # The gate sits on the worker thread in engine order, so a scanner faster than the
    # screen cannot slip an item past an error the packer has not seen yet.
    sign_in(qtbot, station.window, "BADGE-ALICE")
    pack = station.window.pack
    scan(qtbot, pack, "SO-1001")
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        station.window.submit_code(STRAY)
        station.window.submit_code(MUG)  # before the wrong item's verdict came back
    assert [raw for raw, _ in stored_scans(ui_db)][-1] == STRAY


def test_the_acknowledge_key_does_nothing_without_an_error(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    sign_in(qtbot, station.window, "BADGE-ALICE")
    pack = station.window.pack
    scan(qtbot, pack, "SO-1001")
    before = stored_scans(ui_db)
    qtbot.keyClick(pack.input, Qt.Key.Key_Escape)
    qtbot.wait(100)
    assert stored_scans(ui_db) == before
