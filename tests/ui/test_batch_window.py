"""Single-item batch mode at the pack window: one scan of the item packs its order.

The bench without a scale (``bare_settings``) with ``[packing] single_item_batch`` on: the
packer signs in and scans a phone (its serial in the same GS1 code); the window shows the
order it picked completed, with no order scan and no key, and its labels are queued.
"""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, PHONE, TEE
from tests.station.simulate.packing import rows
from tests.station.test_batch_mode import add_orders
from tests.ui.stationfixtures import WAIT_MS, bare_settings, open_station, sign_in
from tests.ui.test_pack_window import scan


def test_one_scan_of_the_item_packs_its_order(qtbot: QtBot, ui_db: Database) -> None:
    settings = bare_settings(ui_db)
    settings = replace(settings, packing=replace(settings.packing, single_item_batch=True))
    station = open_station(ui_db, settings=settings)
    try:
        window, pack = station.window, station.window.pack
        sign_in(qtbot, window, "BADGE-PAT")
        qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
        done = scan(qtbot, pack, f"]C101{PHONE.zfill(14)}21SN-77")
        assert (done.verdict, done.order_number) == (Verdict.COMPLETED, "SO-1008")
        assert pack.banner.verdict == "completed" and "SO-1008" in pack.banner.text()
        # The one scan was counted into the order it picked, and the bench's own completion
        # recorded after it (the packer pressed nothing); the order is packed.
        assert rows(
            ui_db,
            "SELECT o.number, s.verdict, s.serial FROM scans s"
            " JOIN pack_sessions ps ON ps.id = s.session_id JOIN orders o ON o.id = ps.order_id",
        ) == [("SO-1008", "accepted", "SN-77"), ("SO-1008", "completed", None)]
        assert rows(ui_db, "SELECT status FROM orders WHERE number = 'SO-1008'") == [("packed",)]
        # No single-unit order waits for a mug (on hold and cancelled ones are never picked).
        refused = scan(qtbot, pack, MUG)
        assert refused.verdict is Verdict.NO_ORDER_OPEN
        assert "no single-item order waits for MUG" in refused.message
        assert scan(qtbot, pack, "CMD-CONFIRM").verdict is Verdict.CONFIRMED  # acknowledged
        # A tote of single-item orders: the banner says to scan its items.
        add_orders(ui_db, ("SO-3001", "MUG", 0, 0, "TOTE-9"), ("SO-3002", "TEE", 0, 1, "TOTE-9"))
        tote = scan(qtbot, pack, "TOTE-9")
        assert tote.verdict is Verdict.BATCH_TOTE and pack.banner.verdict == "batch_tote"
        assert "SCAN THE ITEMS" in pack.banner.text()
        assert scan(qtbot, pack, TEE).order_number == "SO-3002"
        assert scan(qtbot, pack, MUG).order_number == "SO-3001"
    finally:
        station.close()
