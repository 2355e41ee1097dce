"""The device bridge: driver callbacks from driver threads arrive as signals on the GUI
thread, and the pack window shows what the devices report."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

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
from station.packing.verdicts import Outcome
from tests.ui.stationfixtures import running_bench, sign_in
from ui.bridge import DeviceBridge
from ui.composition import Station
from ui.main_window import StationWindow

WAIT_MS = 5000


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


# --- the station window ----------------------------------------------------------------


def device_label(window: StationWindow, name: str) -> QLabel:
    label = window.status.device_label(name)
    assert isinstance(label, QLabel)
    assert label.objectName() == f"device-{name}"
    return label


def test_the_window_shows_weight_scans_and_a_printers_reason(qtbot, ui_db: Database):
    with TcpPrinterEmulator(Language.ZPL) as printer:
        printer.state.paper_out = True
        devices = DeviceSettings(
            scanner=ScannerDeviceConfig(),
            scale=ScaleDeviceConfig(demo_weight="2.345"),
            printer=PrinterDeviceConfig(kind="zpl", url=printer.url, timeout_s=1.0),
        )
        settings = Settings(db_path=ui_db.path, devices=devices)
        with running_bench(ui_db, settings) as station:
            shows_weight_scans_and_the_printers_reason(qtbot, station)


def shows_weight_scans_and_the_printers_reason(qtbot: QtBot, station: Station) -> None:
    # The printer is asked once at start by the print worker's side (not a PrinterWatch).
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    assert station.bridge is not None
    weight = window.pack.weight
    qtbot.waitUntil(lambda: weight.value_text() == "2.345 kg", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: weight.stability == "stable", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.status.device_label("printer") is not None, timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: device_label(window, "printer").text() == "printer: error — paper out",
        timeout=WAIT_MS,
    )
    qtbot.waitUntil(
        lambda: (
            window.status.device_label("scanner") is not None
            and device_label(window, "scanner").text() == "scanner: connected"
        ),
        timeout=WAIT_MS,
    )
    [scanner] = [d for d in station.bridge.devices if d.role == "scanner"]
    assert isinstance(scanner.emulator, SerialScannerEmulator)
    with qtbot.waitSignal(window.pack.outcome_shown, timeout=WAIT_MS) as shown:
        scanner.emulator.send("SO-1001")
    outcome = shown.args[0]
    assert isinstance(outcome, Outcome)
    assert outcome.verdict.value == "order_opened"


def test_show_weight_never_shows_a_state_as_a_weight(qtbot, station: Station):
    window = station.window
    weight = window.pack.weight
    window.show_weight(ScaleReading(ScaleState.OVERLOAD, None, None, "S +"))
    assert weight.value_text() == "OVERLOAD"
    assert weight.stability == "fault"
    moving = ScaleReading(ScaleState.MOVING, 1200.0, 100.0, "S D 1.2 kg")
    window.show_weight(moving)
    assert weight.value_text() == "1.200 kg"
    assert weight.stability == "settling"
    stable = ScaleReading(ScaleState.STABLE, 1250.0, 1.0, "S S 1.250 kg")
    window.show_weight(stable)
    assert weight.stability == "settling"  # stable by the scale, not yet by the rule
    window.show_stable_weight(stable)
    assert weight.stability == "stable"
    window.show_weight(stable)  # the same accepted weight again: no flicker to settling
    assert weight.stability == "stable"
    window.show_weight(ScaleReading(ScaleState.STABLE, 1300.0, 1.0, "S S 1.300 kg"))
    assert weight.stability == "settling"


def test_show_device_status_keeps_one_label_per_device(qtbot, station: Station):
    window = station.window
    window.show_device_status(
        DeviceStatus("scale", DeviceState.RECONNECTING, "port /dev/ttyUSB0 vanished")
    )
    assert device_label(window, "scale").text() == (
        "scale: reconnecting — port /dev/ttyUSB0 vanished"
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
