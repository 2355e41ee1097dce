"""The demo's emulated scale stands in for a box on the platter: it follows the open package.

Without it every fully packed demo order would weigh the fixed demo weight and fail its check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from drivers.scale.emulator import ScaleEmulator
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.verdicts import Outcome
from tests.station.packfixtures import MUG, build_db
from tests.ui.stationfixtures import WAIT_MS, open_station, sign_in
from ui.composition import start_bench


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "demo.sqlite")
    yield database
    database.close()


def test_emulated_scale_follows_the_open_package_in_demo_mode(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    settings = Settings(
        db_path=db.path,
        devices=DeviceSettings(
            scanner=ScannerDeviceConfig(kind="wedge"),
            scale=ScaleDeviceConfig(kind="emulated", demo_weight="1.250", poll_interval_s=0.05),
            printer=PrinterDeviceConfig(kind="none"),
            camera=CameraDeviceConfig(kind="none"),
        ),
    )
    station = open_station(db, None, settings=settings)
    try:
        start_bench(station, settings, db, sync=False, demo=True)
        assert station.bridge is not None
        scale = next(d.emulator for d in station.bridge.devices if d.role == "scale")
        assert isinstance(scale, ScaleEmulator)
        window = station.window
        sign_in(qtbot, window, "BADGE-ALICE")
        for code in ("SO-1001", MUG):
            with qtbot.waitSignal(window.pack.outcome_shown, timeout=WAIT_MS) as shown:
                window.submit_code(code)
            assert isinstance(shown.args[0], Outcome)
        # One mug (100 g) in a box of unknown type: the platter shows what the engine expects.
        qtbot.waitUntil(lambda: scale.panel.weight != "1.250", timeout=WAIT_MS)
        assert float(scale.panel.weight) * 1000 > 100
    finally:
        station.close()
