"""The packer chooses the carrier rate in the real window (``ui.pack.rate_choice``): after
completion the shipping panel lists the rates numbered, F10 opens the choice and a digit
picks; the pick goes through the bench and the chosen service is bought from a real hub on
127.0.0.1 whose USPS account is the carrier emulator. ``CMD-RATE-n`` scanned in the window
goes the same way."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from station.config import DeviceSettings, LabelSettings, Settings
from station.db import Database
from station.db.models import CarrierLabel, Order, ShipTo
from station.hub.admin import enrol_code
from station.packing.verdicts import Verdict
from station.ship.awaiting import PackageLabel, ShippingSummary
from station.sync.enroll import enroll_station
from station.tools.carrier_emulator import CarrierEmulator
from tests.hub.shipping.shipfixtures import SHIP_TO, start_ship_hub
from tests.station.packfixtures import MUG, TEE
from tests.ui.stationfixtures import WAIT_MS, open_station, sign_in
from tests.ui.test_pack_window import key, scan
from ui.composition import start_bench
from ui.pack.shipping_view import ShippingPanel


def ship_to_the_us(db: Database, number: str) -> None:
    """The emulated carrier is USPS: the order goes to a US address."""
    with db.session() as s:
        ship_to = ShipTo(**SHIP_TO)
        s.add(ship_to)
        s.flush()
        s.scalars(select(Order).where(Order.number == number)).one().ship_to_id = ship_to.id
        s.commit()


def bench_settings(db: Database, window_s: float) -> Settings:
    """The demo's emulated scale (it follows the open package), no printer: labels are
    bought, not printed here."""
    return Settings(
        db_path=db.path,
        devices=DeviceSettings(
            scanner=ScannerDeviceConfig(kind="wedge"),
            scale=ScaleDeviceConfig(kind="emulated", demo_weight="1.250", poll_interval_s=0.05),
            printer=PrinterDeviceConfig(kind="none"),
            camera=CameraDeviceConfig(kind="none"),
        ),
        labels=LabelSettings(carrier_labels=True, rate_choice_s=window_s),
    )


def bought(db: Database) -> CarrierLabel | None:
    with db.session() as s:
        row = s.scalars(select(CarrierLabel)).first()
        return row if row is not None and row.status == "bought" else None


def test_the_packer_chooses_the_rate_by_key_in_the_window(
    qtbot: QtBot, tmp_path: Path, ui_db: Database
) -> None:
    ship_to_the_us(ui_db, "SO-1001")
    with CarrierEmulator() as emulator, ExitStack() as stack:
        hub = start_ship_hub(stack, tmp_path / "hub", emulator, enrol=False)
        enroll_station(ui_db, hub.url, enrol_code(hub.db, "bench-1"), "bench-1")
        settings = bench_settings(ui_db, window_s=60)
        station = open_station(ui_db, settings=settings)
        stack.callback(station.close)
        start_bench(station, settings, ui_db, sync=False, demo=True)
        window, pack = station.window, station.window.pack
        sign_in(qtbot, window, "BADGE-ALICE")
        scan(qtbot, pack, "SO-1001")
        for code in (MUG, MUG, TEE):
            scan(qtbot, pack, code)
        qtbot.waitUntil(lambda: pack.weight.decision == "pass", timeout=WAIT_MS)
        assert key(qtbot, pack, Qt.Key.Key_F9).verdict is Verdict.COMPLETED
        panel = pack.shipping_panel
        qtbot.waitUntil(lambda: "Choose the rate" in panel.rates.text(), timeout=20_000)
        lines = panel.rates.text().splitlines()
        assert len(lines) == 4 and lines[1].startswith("1  usps ") and lines[1].endswith("(rule)")
        assert all(" USD · " in line and "billed" in line for line in lines[1:])
        qtbot.keyClick(pack.input, Qt.Key.Key_F10)
        dialog = pack.rate_choice.dialog
        assert dialog is not None and dialog.rates.count() == 3
        second = dialog.offer.rates[1]
        with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as shown:
            qtbot.keyClick(dialog, Qt.Key.Key_2)
        outcome = shown.args[0]
        assert outcome.verdict is Verdict.RATE_CHOSEN
        assert f"rate 2, usps {second.service_name}" in pack.banner.text()
        qtbot.waitUntil(lambda: bought(ui_db) is not None, timeout=20_000)
        row = bought(ui_db)
        assert row is not None and row.service == second.service and row.chosen_by is not None
        qtbot.waitUntil(lambda: "tracking" in panel.shipment.text(), timeout=WAIT_MS)
        assert f"usps {second.service} · {second.price:.2f} USD" in panel.shipment.text()
        qtbot.waitUntil(panel.rates.isHidden, timeout=WAIT_MS)


def test_a_rate_barcode_with_nothing_offered_says_so_in_the_window(
    qtbot: QtBot, ui_db: Database
) -> None:
    settings = bench_settings(ui_db, window_s=60)
    station = open_station(ui_db, settings=settings)
    try:
        start_bench(station, settings, ui_db, sync=False, demo=True)
        sign_in(qtbot, station.window, "BADGE-ALICE")
        pack = station.window.pack
        outcome = scan(qtbot, pack, "CMD-RATE-1")
        assert outcome.verdict is Verdict.NO_RATE
        assert "no carrier rates to choose from now" in pack.banner.text()
        assert key(qtbot, pack, Qt.Key.Key_F10).verdict is Verdict.NO_RATE  # nothing to open
        assert pack.rate_choice.dialog is None
    finally:
        station.close()


def test_the_panel_shows_box_k_of_n_with_each_tracking_number_and_the_master(
    qtbot: QtBot,
) -> None:
    panel = ShippingPanel()
    qtbot.addWidget(panel)
    packages = (
        PackageLabel(1, "bought", "794699999901"),
        PackageLabel(2, "bought", "794699999902"),
        PackageLabel(3, "awaiting"),
    )
    summary = ShippingSummary(
        1, "SO-1001", "bought", "fedex", "fedex_ground", 28.5, "USD", 1950, 2722,
        "794699999901", package_count=3, master_tracking_number="794699999901",
        packages=packages,
    )  # fmt: skip
    panel.show_summary(summary)
    assert panel.shipment.text() == (
        "SO-1001: fedex fedex_ground · 28.50 USD · box 1 of 3: 794699999901"
        " · box 2 of 3: 794699999902 · box 3 of 3: awaiting · master 794699999901"
    )
    assert panel.rates.isHidden()
