"""Instructions with their picture, inserts and hazmat at the pack window (issue 18, 2-4).

The real station window on the pack engine's test database (no scale, printer or camera):
the packer scans, and the panel beside the verdict shows what the bench answered; F2 and F11
are the confirm-instruction and inserts keys; what they did is read back from the database.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE
from tests.station.packinfo_fixtures import INSERTS, MUG_NOTE, add_customer_orders, add_pack_info
from tests.station.simulate.packing import rows
from tests.ui.stationfixtures import WAIT_MS, bare_settings, open_station, sign_in
from tests.ui.test_pack_window import key, scan
from tests.ui.test_returns_fits import fits


def test_the_panel_shows_instructions_picture_hazmat_and_inserts(
    qtbot: QtBot, ui_db: Database
) -> None:
    add_pack_info(ui_db)
    add_customer_orders(ui_db)
    settings = bare_settings(ui_db)
    settings = replace(settings, packing=replace(settings.packing, inserts=INSERTS.inserts))
    station = open_station(ui_db, settings=settings)
    try:
        window, pack = station.window, station.window.pack
        info = pack.pack_info
        sign_in(qtbot, window, "BADGE-PAT")
        qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
        # An order with inserts and a lithium battery product: both on the panel at once.
        scan(qtbot, pack, "SO-3001")
        assert info.isVisible() and info.inserts.isVisible()
        assert "[ ] Spring flyer (INS-FLYER)" in info.inserts.text()
        assert "[ ] Welcome letter (INS-WELCOME)" in info.inserts.text()
        assert "HAZMAT UN3481" in info.hazmat.text() and info.hazmat.isVisible()
        assert scan(qtbot, pack, "INS-FLYER").verdict is Verdict.INSERT_ADDED
        assert "[x] Spring flyer" in info.inserts.text()
        fits(qtbot, window, "inserts and hazmat")
        added = key(qtbot, pack, Qt.Key.Key_F11)  # the rest by the inserts key
        assert added.verdict is Verdict.INSERT_ADDED
        assert "[ ]" not in info.inserts.text()
        assert scan(qtbot, pack, TEE).verdict is Verdict.ACCEPTED
        assert scan(qtbot, pack, "CMD-COMPLETE").verdict is Verdict.COMPLETED
        assert not info.isVisible()  # the next order starts with a clean panel
        assert rows(ui_db, "SELECT code, status FROM pack_inserts ORDER BY code") == [
            ("FLYER", "added"),
            ("SAMPLE", "added"),
            ("WELCOME", "added"),
        ]

        # A fragile mug: instructions in large type with its picture; F2 confirms them.
        scan(qtbot, pack, "SO-1001")
        assert scan(qtbot, pack, MUG).verdict is Verdict.ACCEPTED
        assert info.instructions.isVisible() and info.instructions.text() == MUG_NOTE
        picture = info.picture.pixmap()
        assert info.picture.isVisible() and not picture.isNull()
        assert picture.width() > 4  # scaled up from the 4x3 PNG to the panel's size
        assert "F2" in info.confirm.text() and info.confirm.property("awaiting") == "true"
        scan(qtbot, pack, MUG)
        assert scan(qtbot, pack, TEE).verdict is Verdict.ACCEPTED
        assert "UN3481" in info.hazmat.text()
        fits(qtbot, window, "instructions, picture and hazmat")
        refused = key(qtbot, pack, Qt.Key.Key_F9)
        assert refused.verdict is Verdict.NOT_COMPLETE
        assert "confirm the packing instructions of MUG" in pack.banner.text()
        confirmed = key(qtbot, pack, Qt.Key.Key_F2)
        assert confirmed.verdict is Verdict.INSTRUCTION_CONFIRMED
        assert info.confirm.text() == "Instructions confirmed"
        assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED
        assert rows(ui_db, "SELECT raw FROM scans WHERE verdict = 'instruction_confirmed'") == [
            ("<confirm_instruction>",)
        ]
    finally:
        station.close()
