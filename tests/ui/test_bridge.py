"""The device bridge: driver callbacks from driver threads arrive as signals on the GUI
thread, and the pack window shows what the devices report."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.registry import (
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
    build_registry,
)
from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from drivers.scanner.emulator import SerialScannerEmulator
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.service import PackService
from station.packing.verdicts import Outcome
from tests.station.packfixtures import build_db, make_service
from ui.app import start_devices
from ui.bridge import DeviceBridge
from ui.pack_window import PackWindow
from ui.worker import DbWorker

WAIT_MS = 5000


@dataclass
class Row:
    number: str
    status: str
    lines: int


class ThreadRecorder:
    """A plain function as receiver (not a QObject slot): where it ran, and with what."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, bool, tuple[object, ...]]] = []

    def __call__(self, *args: object) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        on_gui_thread = QThread.currentThread() is app.thread()
        self.calls.append((threading.get_ident(), on_gui_thread, args))


@pytest.fixture
def bridge(qtbot: QtBot) -> Iterator[DeviceBridge]:
    bridge = DeviceBridge()
    yield bridge
    bridge.stop()


def test_a_callback_from_a_driver_thread_runs_the_receiver_on_the_gui_thread(qtbot, bridge):
    gui_thread = threading.get_ident()
    received = ThreadRecorder()
    bridge.scanned.connect(received)
    driver_thread: list[int] = []

    def driver() -> None:
        driver_thread.append(threading.get_ident())
        bridge.listeners().on_scan("]C1SO-1001", "]C1")

    with qtbot.waitSignal(bridge.scanned, timeout=WAIT_MS):
        thread = threading.Thread(target=driver)
        thread.start()
    thread.join()
    [(ident, on_gui_thread, args)] = received.calls
    assert ident == gui_thread != driver_thread[0]
    assert on_gui_thread
    assert args == ("]C1SO-1001", "]C1")


def test_stable_weight_only_for_accepted_readings(qtbot, bridge):
    reading = ScaleReading(ScaleState.STABLE, 1250.0, 1.0, "S S 1.250 kg")
    weights = ThreadRecorder()
    stable = ThreadRecorder()
    bridge.weight.connect(weights)
    bridge.stable_weight.connect(stable)
    listeners = bridge.listeners()
    with qtbot.waitSignal(bridge.stable_weight, timeout=WAIT_MS):
        worker = threading.Thread(
            target=lambda: (
                listeners.on_reading(ScaleUpdate(reading, accepted=False)),
                listeners.on_reading(ScaleUpdate(reading, accepted=True)),
            )
        )
        worker.start()
    worker.join()
    assert [c[2] for c in weights.calls] == [(reading,), (reading,)]
    assert [c[2] for c in stable.calls] == [(reading,)]


def test_the_emulated_scale_reaches_the_gui_thread(qtbot, bridge):
    gui_thread = threading.get_ident()
    device = build_registry().scale(ScaleDeviceConfig(), bridge.listeners())
    weights = ThreadRecorder()
    bridge.stable_weight.connect(weights)
    with qtbot.waitSignal(bridge.stable_weight, timeout=WAIT_MS) as blocker:
        bridge.start([device])
    reading = blocker.args[0]
    assert isinstance(reading, ScaleReading)
    assert reading.weight_g == 1250.0
    assert weights.calls[0][0] == gui_thread
    bridge.stop()
    assert bridge.devices == ()


def test_a_device_that_fails_to_start_is_reported(qtbot, bridge):
    device = build_registry().scale(ScaleDeviceConfig(), bridge.listeners())
    device.start()  # started twice below: the driver refuses
    with qtbot.waitSignal(
        bridge.status_changed,
        timeout=WAIT_MS,
        check_params_cb=lambda s: s.state is DeviceState.ERROR,
    ) as blocker:
        bridge.start([device])
    assert "cannot start: scale scale already started" in blocker.args[0].reason


# --- the pack window ----------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "ui.sqlite")
    yield database
    database.close()


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[PackWindow]:
    worker = DbWorker()
    service: PackService = worker.call(lambda: make_service(db))
    win = PackWindow(worker, service, lambda: [Row("SO-1001", "open", 2)], "bench-1")
    qtbot.addWidget(win)
    win.show()
    yield win
    worker.call(service.close)
    worker.shutdown()


def device_label(window: PackWindow, name: str) -> QLabel:
    label = window.statusBar().findChild(QLabel, f"device-{name}")
    assert isinstance(label, QLabel)
    return label


def test_the_window_shows_weight_scans_and_a_printers_reason(qtbot, window):
    with TcpPrinterEmulator(Language.ZPL) as printer:
        printer.state.paper_out = True
        devices = DeviceSettings(
            scanner=ScannerDeviceConfig(),
            scale=ScaleDeviceConfig(demo_weight="2.345"),
            printer=PrinterDeviceConfig(kind="zpl", url=printer.url, timeout_s=1.0),
        )
        bridge = start_devices(Settings(devices=devices), window)
        try:
            qtbot.waitUntil(
                lambda: window.weight_label.text() == "Scale: 2.345 kg", timeout=WAIT_MS
            )
            qtbot.waitUntil(
                lambda: window.statusBar().findChild(QLabel, "device-printer") is not None,
                timeout=WAIT_MS,
            )
            label = device_label(window, "printer")
            assert label.text() == "printer: error — paper out"
            qtbot.waitUntil(
                lambda: device_label(window, "scanner").text() == "scanner: connected",
                timeout=WAIT_MS,
            )
            [scanner] = [d for d in bridge.devices if d.role == "scanner"]
            assert isinstance(scanner.emulator, SerialScannerEmulator)
            with qtbot.waitSignal(window.outcome_shown, timeout=WAIT_MS) as shown:
                scanner.emulator.send("SO-1001")
            outcome = shown.args[0]
            assert isinstance(outcome, Outcome)
            assert outcome.verdict.value == "order_opened"
        finally:
            bridge.stop()


def test_show_weight_never_shows_a_state_as_a_weight(qtbot, window):
    window.show_weight(ScaleReading(ScaleState.OVERLOAD, None, None, "S +"))
    assert window.weight_label.text() == "Scale: overload"
    window.show_weight(ScaleReading(ScaleState.MOVING, 1200.0, 100.0, "S D 1.2 kg"))
    assert window.weight_label.text() == "Scale: 1.200 kg (moving)"


def test_show_device_status_keeps_one_label_per_device(qtbot, window):
    window.show_device_status(
        DeviceStatus("scale", DeviceState.RECONNECTING, "port /dev/ttyUSB0 vanished")
    )
    window.show_device_status(DeviceStatus("scale", DeviceState.CONNECTED, ""))
    labels = [
        w for w in window.statusBar().findChildren(QLabel) if w.objectName() == "device-scale"
    ]
    assert [label.text() for label in labels] == ["scale: connected"]


def test_emitting_does_not_take_references_from_true(qtbot, bridge):
    # PySide6 6.12.0 on CPython 3.11 returns True from emit() without a reference of its own;
    # unless the bridge gives it back, a scale polled 5 times a second aborts the station.
    received: list[ScaleReading] = []  # holds no bools, unlike ThreadRecorder
    bridge.weight.connect(received.append)
    listeners = bridge.listeners()
    reading = ScaleReading(ScaleState.STABLE, 1.0, 1.0, "S S 0.001 kg")
    before = sys.getrefcount(True)
    for _ in range(500):
        listeners.on_reading(ScaleUpdate(reading, accepted=True))  # 3 emits each
    qtbot.waitUntil(lambda: len(received) == 500, timeout=WAIT_MS)
    assert abs(sys.getrefcount(True) - before) < 100
