"""Scale readings reach the pack bench from the scale driver's thread on the database worker,
never through the GUI thread (driver -> worker, not driver -> GUI -> worker -> GUI)."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from drivers.scale.worker import ScaleUpdate
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.bench import Reply
from tests.ui.stationfixtures import WAIT_MS, running_bench


def test_readings_go_from_the_driver_thread_to_the_worker(qtbot: QtBot, ui_db: Database) -> None:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="none"),
        scale=ScaleDeviceConfig(kind="emulated", demo_weight="0.250", poll_interval_s=0.02),
        printer=PrinterDeviceConfig(kind="none"),
        camera=CameraDeviceConfig(kind="none"),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    fed: list[int] = []  # threads that handed a reading over
    judged: list[int] = []  # threads on which the bench took it
    with running_bench(ui_db, settings) as station:
        pack, bench = station.window.pack, station.bench
        feed, reading = pack.proof.feed, bench.reading

        def feed_spy(update: ScaleUpdate) -> None:
            fed.append(threading.get_ident())
            feed(update)

        def reading_spy(update: ScaleUpdate) -> Reply | None:
            judged.append(threading.get_ident())
            return reading(update)

        pack.proof.feed = feed_spy  # type: ignore[method-assign]
        bench.reading = reading_spy  # type: ignore[method-assign]
        qtbot.waitUntil(lambda: len(judged) >= 3, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: pack.weight.value_text().startswith("0.250"), timeout=WAIT_MS)
        worker = station.worker.thread_ident
    assert fed and threading.main_thread().ident not in fed
    assert set(judged) == {worker}
