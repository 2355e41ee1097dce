"""Short-ship and damaged-item dialogs at the pack screen, decided by the real engine.

The packer (pat, PIN 4321) asks; her own PIN is refused with the engine's words and the
dialog stays open; the supervisor's PIN or badge approves, and the database holds the
exception, who asked, who approved, and the order shipping short.
"""

from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.verdicts import Outcome, Verdict
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.station.simulate.packing import rows
from tests.ui.stationfixtures import (
    PACKER_PIN,
    WAIT_MS,
    assert_nothing_left,
    bare_settings,
    open_station,
    sign_in,
)
from tests.ui.test_pack_window import key, scan
from ui.composition import Station
from ui.pack.exception_dialog import DAMAGED, SHORT_SHIP, ExceptionDialog
from ui.pack.screen import PackScreen

SUPERVISOR_PIN = "9999"  # sam (tests/station/packfixtures.py): never enough alone
SUPERVISOR_BADGE_AND_PIN = "BADGE-SAM 9999"


def open_dialog(qtbot: QtBot, pack: PackScreen, how: Qt.Key | str) -> ExceptionDialog:
    """Open an exception dialog by key (F3, F4) or by scanning its command barcode."""
    if isinstance(how, str):
        pack.submit_code(how)
    else:
        qtbot.keyClick(pack.input, how)
    dialog = pack.exceptions.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    return dialog


def type_pin(qtbot: QtBot, pack: PackScreen, dialog: ExceptionDialog, pin: str) -> Outcome:
    """Type a PIN into the dialog and press Enter; the engine's answer once shown."""
    dialog.credential.clear()
    with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClicks(dialog.credential, pin)
        qtbot.keyClick(dialog.credential, Qt.Key.Key_Return)
    outcome = shown.args[0]
    assert isinstance(outcome, Outcome)
    return outcome


def test_short_ship_approved_by_a_supervisor_badge_and_pin_never_pin_alone(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-PAT")
    assert scan(qtbot, pack, "SO-1001").verdict is Verdict.ORDER_OPENED
    assert scan(qtbot, pack, MUG).verdict is Verdict.ACCEPTED
    dialog = open_dialog(qtbot, pack, Qt.Key.Key_F3)
    assert dialog.kind == SHORT_SHIP
    assert dialog.reason_choice is not None
    choices = [dialog.reason_choice.itemText(i) for i in range(dialog.reason_choice.count())]
    assert choices == ["out_of_stock", "damaged", "not_found", "customer"]  # from settings
    assert dialog.line.currentData().sku == "MUG" and dialog.quantity.maximum() == 1
    dialog.reason_choice.setCurrentText("not_found")

    refused = type_pin(qtbot, pack, dialog, PACKER_PIN)  # the packer's own PIN
    assert refused.verdict is Verdict.NEEDS_SUPERVISOR
    assert dialog.isVisible()
    assert dialog.message.text() == refused.message
    assert "supervisor other than the packer" in refused.message
    assert rows(ui_db, "SELECT count(*) FROM exceptions") == [(0,)]

    alone = type_pin(qtbot, pack, dialog, SUPERVISOR_PIN)
    assert alone.verdict is Verdict.NEEDS_SUPERVISOR and dialog.isVisible()
    approved = type_pin(qtbot, pack, dialog, SUPERVISOR_BADGE_AND_PIN)
    assert approved.verdict is Verdict.EXCEPTION_RECORDED
    assert "approved by sam" in approved.message
    qtbot.waitUntil(lambda: pack.exceptions.dialog is None, timeout=WAIT_MS)
    assert pack.lines_model.index(0, pack.lines_model.PACKED).data() == "1 / 2 (short 1)"
    assert scan(qtbot, pack, TEE).verdict is Verdict.ACCEPTED
    assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED

    recorded = rows(
        ui_db,
        "SELECT e.kind, e.reason_code, e.quantity, r.name, a.name FROM exceptions e"
        " JOIN users r ON r.id = e.requested_by JOIN users a ON a.id = e.approved_by",
    )
    assert recorded == [("short_ship", "not_found", 1, "pat", "sam")]
    assert rows(ui_db, "SELECT status FROM orders WHERE number = 'SO-1001'") == [("packed",)]
    (payload,) = rows(ui_db, "SELECT payload FROM outbox WHERE type = 'pack.completed'")[0]
    lines = json.loads(str(payload))["lines"]
    assert [(ln["sku"], ln["packed"], ln["short"]) for ln in lines] == [
        ("MUG", 1, 1),
        ("TEE", 1, 0),
    ]


def test_damaged_item_by_barcode_and_supervisor_badge(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-PAT")
    scan(qtbot, pack, "SO-1001")
    scan(qtbot, pack, MUG)
    scan(qtbot, pack, MUG)
    dialog = open_dialog(qtbot, pack, "CMD-DAMAGED")
    assert dialog.kind == DAMAGED
    dialog.line.setCurrentIndex(0)  # only the tee is left to pack
    assert dialog.line.currentData().sku == "TEE"
    dialog.replaced.setChecked(False)  # no other tee: the line ships short
    dialog.reason_choice.setCurrentText("wet")  # type: ignore[union-attr]

    refused = type_pin(qtbot, pack, dialog, PACKER_PIN)
    assert refused.verdict is Verdict.NEEDS_SUPERVISOR and dialog.isVisible()
    with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as shown:
        window.submit_code("BADGE-SAM")  # a scan while the dialog is open is the supervisor's
    assert shown.args[0].verdict is Verdict.EXCEPTION_RECORDED
    qtbot.waitUntil(lambda: pack.exceptions.dialog is None, timeout=WAIT_MS)
    assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED

    recorded = rows(
        ui_db,
        "SELECT e.kind, e.reason_code, e.quantity, a.name FROM exceptions e"
        " JOIN users a ON a.id = e.approved_by ORDER BY e.id",
    )
    assert recorded == [("damaged_short", "wet", 1, "sam")]
    audit = rows(ui_db, "SELECT action FROM audit_log WHERE action LIKE 'approve.%'")
    assert audit == [("approve.damaged_short",)]


def test_exception_keys_wait_for_an_acknowledged_error_and_an_open_order(
    qtbot: QtBot, station: Station
) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-PAT")
    qtbot.keyClick(pack.input, Qt.Key.Key_F3)  # no order open: nothing to ask about
    assert pack.exceptions.dialog is None
    assert "scan an order first" in pack.banner.text()
    scan(qtbot, pack, "SO-1001")
    assert scan(qtbot, pack, STRAY).verdict is Verdict.WRONG_ITEM
    with qtbot.waitSignal(pack.scan_held, timeout=WAIT_MS):
        pack.submit_code("CMD-SHORT")  # held back until the red verdict is acknowledged
    assert pack.exceptions.dialog is None
    key(qtbot, pack, Qt.Key.Key_F12)
    dialog = open_dialog(qtbot, pack, Qt.Key.Key_F4)
    assert dialog.kind == DAMAGED
    dialog.reject()  # Esc / Cancel: nothing recorded, back to scanning
    qtbot.waitUntil(lambda: pack.exceptions.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)


def test_exception_barcodes_follow_the_configuration(qtbot: QtBot, ui_db: Database) -> None:
    settings = bare_settings(ui_db)
    codes = replace(settings.barcodes, cmd_short=r"SHORT-\d{2}", cmd_damaged=r"BROKE")
    before = {id(w) for w in QApplication.topLevelWidgets()}
    station = open_station(ui_db, settings=replace(settings, barcodes=codes))
    try:
        window, pack = station.window, station.window.pack
        sign_in(qtbot, window, "BADGE-PAT")
        scan(qtbot, pack, "SO-1001")
        # The default code is no longer a command: the engine sees an unknown code.
        assert scan(qtbot, pack, "CMD-SHORT").verdict is Verdict.UNKNOWN_CODE
        key(qtbot, pack, Qt.Key.Key_F12)
        assert pack.exceptions.dialog is None
        for code, kind in (("SHORT-07", SHORT_SHIP), ("BROKE", DAMAGED)):
            dialog = open_dialog(qtbot, pack, code)
            assert dialog.kind == kind
            dialog.reject()
            qtbot.waitUntil(lambda: pack.exceptions.dialog is None, timeout=WAIT_MS)
            qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)  # back to scanning
            del dialog  # its unused reason field has no parent: let it go with the dialog
    finally:
        station.close()
    assert_nothing_left(before)
