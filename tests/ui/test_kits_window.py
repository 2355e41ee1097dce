"""Kits at the pack window: while a kit is put together the lines table lists its components in
place of the kit's line, and with ``[packing] kits_one_at_a_time`` a component of the next kit
is refused (red, acknowledged) until the begun kit is whole."""

from __future__ import annotations

from dataclasses import replace

from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.verdicts import Verdict
from tests.station.packfixtures import BOWL, SPOON
from tests.station.test_kits import two_kits
from tests.ui.stationfixtures import WAIT_MS, bare_settings, open_station, sign_in
from tests.ui.test_pack_window import scan


def test_the_window_lists_the_kit_begun_and_holds_the_next(qtbot: QtBot, ui_db: Database) -> None:
    two_kits(ui_db)
    settings = bare_settings(ui_db)
    settings = replace(settings, packing=replace(settings.packing, kits_one_at_a_time=True))
    station = open_station(ui_db, settings=settings)
    try:
        window, pack = station.window, station.window.pack
        sign_in(qtbot, window, "BADGE-PAT")
        qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
        model = pack.lines_model
        scan(qtbot, pack, "SO-3001")
        assert [model.line(r).sku for r in range(model.rowCount())] == ["KIT"]
        assert scan(qtbot, pack, BOWL).verdict is Verdict.ACCEPTED
        shown = [(model.line(r).sku, model.line(r).packed) for r in range(model.rowCount())]
        assert shown == [("BOWL", 1), ("SPOON", 0)]
        assert model.order_lines()[0].sku == "KIT"  # what the exception dialogs offer
        refused = scan(qtbot, pack, BOWL)
        assert refused.verdict is Verdict.KIT_UNFINISHED
        assert pack.banner.verdict == "kit_unfinished" and "FINISH THE KIT" in pack.banner.text()
        assert scan(qtbot, pack, "CMD-CONFIRM").verdict is Verdict.CONFIRMED
        scan(qtbot, pack, SPOON)
        assert scan(qtbot, pack, SPOON).lines[0].packed == 1
        assert [model.line(r).sku for r in range(model.rowCount())] == ["KIT"]
    finally:
        station.close()
