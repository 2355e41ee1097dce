"""The pack screen driven with real key presses through pytest-qt, on a real database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from station.importers import import_orders
from station.packing.verdicts import Outcome
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.ui.stationfixtures import WAIT_MS, RecordingPlayer, sign_in
from ui.composition import Station
from ui.pack.screen import PackScreen
from ui.sounds import Sound


def scan(qtbot: QtBot, pack: PackScreen, code: str) -> Outcome:
    """Type ``code`` into the scan field and press Enter, as a person (or a wedge) would."""
    with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(pack.input, code)
        qtbot.keyClick(pack.input, Qt.Key.Key_Return)
    outcome = blocker.args[0] if blocker.args else None
    assert isinstance(outcome, Outcome)
    return outcome


def key(qtbot: QtBot, pack: PackScreen, which: Qt.Key) -> Outcome:
    """Press a command key while the scan field has focus; the engine's answer."""
    with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as blocker:
        qtbot.keyClick(pack.input, which)
    outcome = blocker.args[0]
    assert isinstance(outcome, Outcome)
    return outcome


def test_pack_an_order_by_typing(qtbot: QtBot, station: Station) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
    assert scan(qtbot, pack, "SO-1001").verdict.value == "order_opened"
    assert pack.header.number_text() == "Order SO-1001"
    qtbot.waitUntil(lambda: "Channel: web" in pack.header.details_text(), timeout=WAIT_MS)
    assert "Tote: TOTE-7" in pack.header.details_text()
    assert pack.lines_model.rowCount() == 2
    assert scan(qtbot, pack, MUG).verdict.value == "accepted"
    model = pack.lines_model
    assert model.index(0, model.PACKED).data() == "1 / 2"
    assert model.index(0, 3).data() == MUG
    assert pack.units.value() == 1 and pack.units.maximum() == 3
    assert pack.banner.severity == "ok"
    assert scan(qtbot, pack, STRAY).verdict.value == "wrong_item"
    assert pack.banner.severity == "error"
    assert "not in this order" in pack.banner.text()
    assert key(qtbot, pack, Qt.Key.Key_F12).verdict.value == "confirmed"
    scan(qtbot, pack, MUG)
    scan(qtbot, pack, TEE)
    assert key(qtbot, pack, Qt.Key.Key_F9).verdict.value == "completed"
    assert pack.header.number_text() == "Order SO-1001 packed"
    assert pack.input.text() == ""
    assert pack.history.count() == 7


def test_undo_and_new_box_by_key_and_by_barcode(qtbot: QtBot, station: Station) -> None:
    pack = station.window.pack
    sign_in(qtbot, station.window, "BADGE-ALICE")
    scan(qtbot, pack, "SO-1001")
    scan(qtbot, pack, MUG)
    assert key(qtbot, pack, Qt.Key.Key_F5).verdict.value == "undone"
    assert scan(qtbot, pack, "CMD-UNDO").verdict.value == "nothing_to_undo"
    scan(qtbot, pack, MUG)
    assert key(qtbot, pack, Qt.Key.Key_F6).verdict.value == "package_opened"
    assert pack.header.box_text() == "Box 2"
    scan(qtbot, pack, TEE)
    assert scan(qtbot, pack, "CMD-NEWBOX").verdict.value == "package_opened"
    assert scan(qtbot, pack, "CMD-COMPLETE").verdict.value == "not_complete"


def test_the_verdict_on_screen_is_already_stored(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    pack = station.window.pack
    sign_in(qtbot, station.window, "BADGE-ALICE")
    scan(qtbot, pack, "SO-1001")
    out = scan(qtbot, pack, MUG)
    con = sqlite3.connect(ui_db.path)
    row = con.execute(
        "SELECT s.verdict, u.name FROM scans s JOIN users u ON u.id = s.user_id WHERE s.id = ?",
        (out.scan_id,),
    ).fetchone()
    con.close()
    assert row == ("accepted", "alice")


def test_order_list_opens_an_order(qtbot: QtBot, station: Station) -> None:
    pack = station.window.pack
    sign_in(qtbot, station.window, "BADGE-ALICE")
    qtbot.waitUntil(lambda: pack.orders.count() > 0, timeout=WAIT_MS)
    item = pack.orders.item(0)
    with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as opened:
        pack.orders.itemActivated.emit(item)
    assert isinstance(opened.args[0], Outcome)
    assert opened.args[0].order_number == item.data(Qt.ItemDataRole.UserRole)


def test_the_sound_asked_for_follows_each_verdict(
    qtbot: QtBot, station: Station, player: RecordingPlayer
) -> None:
    pack = station.window.pack
    sign_in(qtbot, station.window, "BADGE-ALICE")
    scan(qtbot, pack, "SO-1001")
    scan(qtbot, pack, MUG)
    scan(qtbot, pack, STRAY)
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        station.window.submit_code(MUG)
    key(qtbot, pack, Qt.Key.Key_F12)
    scan(qtbot, pack, MUG)
    scan(qtbot, pack, "CMD-COMPLETE")
    scan(qtbot, pack, TEE)
    key(qtbot, pack, Qt.Key.Key_F9)
    assert player.played == [
        Sound.INFO,  # order opened
        Sound.OK,
        Sound.ERROR,  # wrong item
        Sound.HELD,  # a scan held back until the error is acknowledged
        Sound.INFO,  # acknowledged
        Sound.OK,
        Sound.WARNING,  # not complete yet
        Sound.OK,
        Sound.COMPLETE,
    ]


def test_a_full_disk_is_said_on_the_banner_and_the_scan_is_not_counted(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    """SQLite's page limit stands in for a full disk: the banner says DISK FULL, the lines do
    not count the scan, and once there is room the same scan is counted."""
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    assert scan(qtbot, pack, "SO-1007").verdict.value == "order_opened"
    ui_db.checkpointer.stop()  # the page count below must not move under the test

    def limit(pages: int) -> None:
        # On the engine's own connection, on the database worker that owns it.
        station.worker.call(lambda: station.service._conn.execute(f"PRAGMA max_page_count={pages}"))

    with sqlite3.connect(ui_db.path) as con:
        limit(int(con.execute("PRAGMA page_count").fetchone()[0]))
    counted = 0
    for _ in range(30):
        qtbot.keyClicks(pack.input, MUG)
        qtbot.keyClick(pack.input, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: pack.banner.verdict in ("accepted", "not_stored"), timeout=WAIT_MS)
        if pack.banner.verdict == "not_stored":
            break
        counted += 1
        pack.banner.show_ready("")  # so the next answer is seen as new
    assert pack.banner.verdict == "not_stored"
    assert "DISK FULL" in pack.banner.text() and "NOT stored" in pack.banner.text()
    model = pack.lines_model
    assert model.index(0, model.PACKED).data() == f"{counted} / 30"
    limit(1_000_000)  # space is back
    assert scan(qtbot, pack, MUG).verdict.value == "accepted"
    assert model.index(0, model.PACKED).data() == f"{counted + 1} / 30"


def test_a_shops_order_number_typed_opens_its_order(
    qtbot: QtBot, station: Station, ui_db: Database, tmp_path: Path
) -> None:
    """``#1001`` matches no order pattern; typed and Enter, it still opens its order."""
    orders = tmp_path / "shop.csv"
    orders.write_text("order_number,sku,quantity\n#1001,MUG,1\n")
    import_orders(ui_db, orders, station="bench-1")
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
    assert scan(qtbot, pack, "#1001").verdict.value == "order_opened"
    assert pack.header.number_text() == "Order #1001"
    assert scan(qtbot, pack, MUG).verdict.value == "accepted"
