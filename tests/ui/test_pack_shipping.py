"""The pack screen's carrier-label panel (``ui.pack.shipping_view``): carrier, service,
price, actual and billed weight of the order just packed, and the count of packages awaiting
their carrier label; on a real station database whose label buyer works against a real hub
on 127.0.0.1 and the carrier emulator, and in the real window built by the composition root."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from pytestqt.qtbot import QtBot

from drivers.printer.emulator import Language, TcpPrinterEmulator
from station.config import LabelSettings
from station.db import Database
from station.hub.admin import enrol_code
from station.packing.verdicts import Verdict
from station.sync.enroll import enroll_station
from station.tools.carrier_emulator import CarrierEmulator
from tests.hub.shipping.shipfixtures import start_ship_hub
from tests.hub.shipping.test_label_buyer import STATION, Bench, station_db
from tests.station.packfixtures import MUG, TEE
from tests.ui.stationfixtures import WAIT_MS, bare_settings, running_bench, sign_in
from tests.ui.test_pack_window import key, scan
from ui.pack.shipping_view import ShippingFlow, ShippingPanel
from ui.worker import DbWorker

__all__ = ["station_db"]  # the fixture, shared with the label buyer's tests


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


def wait_count(qtbot: QtBot, panel: ShippingPanel, count: int, timeout: int = WAIT_MS) -> None:
    expected = f"Awaiting carrier label: {count}"
    qtbot.waitUntil(lambda: panel.awaiting.text() == expected, timeout=timeout)


def test_the_panel_counts_awaiting_labels_then_shows_the_bought_one(
    qtbot: QtBot, tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with CarrierEmulator() as emulator, ExitStack() as outer:
        bench = Bench(station_db, tmp_path, printer)
        outer.callback(bench.close)
        with ExitStack() as first:
            hub = start_ship_hub(first, tmp_path / "hub", emulator)
            port = int(hub.url.rsplit(":", 1)[1])
            enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        worker = DbWorker()
        outer.callback(worker.shutdown)
        owner = QObject()
        panel = ShippingPanel()
        qtbot.addWidget(panel)
        flow = ShippingFlow(worker, bench.labels.summary, panel, owner, refresh_ms=100)
        bench.buyer.start()
        flow.after(bench.pack("SO-1001"))  # the hub is out of reach
        qtbot.waitUntil(
            lambda: panel.awaiting.text() == "Awaiting carrier label: 1", timeout=WAIT_MS
        )
        qtbot.waitUntil(lambda: "hub unreachable" in panel.shipment.text(), timeout=WAIT_MS)
        assert panel.shipment.text().startswith("SO-1001: awaiting carrier label")
        start_ship_hub(outer, tmp_path / "hub", emulator, enrol=False, port=port)
        qtbot.waitUntil(
            lambda: panel.awaiting.text() == "Awaiting carrier label: 0", timeout=20_000
        )
        qtbot.waitUntil(lambda: "tracking" in panel.shipment.text(), timeout=WAIT_MS)
        shown = bench.labels.summary("SO-1001")
        assert shown.price is not None and shown.billed_weight_g is not None
        assert panel.shipment.text() == (
            f"SO-1001: usps {shown.service} · {shown.price:.2f} {shown.currency} · actual 1.20 kg"
            f" · billed {shown.billed_weight_g / 1000:.2f} kg · tracking {shown.tracking_number}"
        )


def test_the_window_shows_the_panel_and_why_a_label_waits(qtbot: QtBot, ui_db: Database) -> None:
    base = bare_settings(ui_db)
    settings = replace(base, labels=replace(LabelSettings(), carrier_labels=True))
    with running_bench(ui_db, settings) as station:
        panel = station.window.pack.shipping_panel
        assert not panel.isHidden()  # shown with the pack screen
        assert station.buyer is not None
        sign_in(qtbot, station.window, "BADGE-ALICE")
        pack = station.window.pack
        scan(qtbot, pack, "SO-1001")
        for code in (MUG, MUG, TEE):
            scan(qtbot, pack, code)
        assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED
        qtbot.waitUntil(
            lambda: panel.awaiting.text() == "Awaiting carrier label: 1", timeout=WAIT_MS
        )
        # Not enrolled with a hub: the package waits, and the panel says why.
        qtbot.waitUntil(lambda: "not enrolled" in panel.shipment.text(), timeout=WAIT_MS)


def test_no_panel_when_the_bench_buys_no_carrier_labels(qtbot: QtBot, ui_db: Database) -> None:
    with running_bench(ui_db, bare_settings(ui_db)) as station:
        assert station.labels is None and station.buyer is None
        assert station.window.pack.shipping_panel.isHidden()
