"""The whole station leaves nothing behind: built as ``station-ui`` builds it (emulated scanner,
scale and printer, the print worker, the keyboard wedge and the sync worker enrolled with a real
hub on loopback), an order packed, synced and printed, closed; then no new top-level widget,
no new Python thread, no busy Qt pool thread and no new child of the QApplication remain.

The conftest's ``station`` fixture checks the station's own threads after every UI test; this
test compares everything that runs in the process before and after.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThreadPool
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from drivers.scanner.emulator import SerialScannerEmulator
from station.config import DeviceSettings, Settings
from station.db import Database
from station.packing.verdicts import Outcome, Verdict
from station.sync.enroll import enroll_station
from tests.hub.hubfixtures import HubUnderTest, start_hub
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.ui.stationfixtures import WAIT_MS, RecordingPlayer, open_station
from ui.composition import install_wedge, start_bench

THREADS_END_S = 10.0  # threads told to stop may take a moment to return
# What Qt and PySide make once per process on first use (the first key event, gesture-enabled
# widget, or signal of a deleted sender), whichever test comes first: not the station's.
QT_ONCE = {"QGestureManager", "QPointingDevice", "PySide::SenderSignalDeletionTracker"}


def station_threads(before: set[threading.Thread]) -> set[threading.Thread]:
    """Threads started since ``before``, less the hub's: the hub is served in this process, and
    AnyIO keeps its thread pool's idle workers (the hub's plain-def routes: locks, reports)
    until its next call, so they are the hub's to end, not the station's."""
    return {t for t in set(threading.enumerate()) - before if t.name != "AnyIO worker thread"}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubUnderTest]:
    """A real hub (SQLite) served on loopback for the station's sync worker."""
    with ExitStack() as stack:
        yield start_hub(stack, tmp_path / "hub")


def address(qobject: QObject) -> int:
    """The C++ object's address (Python wrappers of one object may differ)."""
    return int(Shiboken.getCppPointer(qobject)[0])


def settle(app: QApplication) -> None:
    """Deliver what is queued, deferred deletes included."""
    for _ in range(3):
        app.processEvents()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_whole_station_leaves_no_widget_thread_or_object_behind(
    qtbot: QtBot, qapp: QApplication, ui_db: Database, hub: HubUnderTest, tmp_path: Path
) -> None:
    enroll_station(ui_db, hub.url, hub.code("bench-1"), "bench-1")
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="emulated"),
        scale=ScaleDeviceConfig(kind="emulated", demo_weight="0.000", poll_interval_s=0.05),
        printer=PrinterDeviceConfig(kind="emulated"),
        camera=CameraDeviceConfig(kind="none"),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    settle(qapp)
    widgets = set(QApplication.topLevelWidgets())
    threads = set(threading.enumerate())
    children = {address(c) for c in qapp.children()}
    pool = QThreadPool.globalInstance().activeThreadCount()

    station = open_station(ui_db, RecordingPlayer(), settings=settings)
    try:
        window, pack = station.window, station.window.pack
        install_wedge(qapp, settings, window)
        start_bench(station, settings, ui_db, sync=True, demo=True)
        assert station.bridge is not None and station.sync is not None
        scanner = {d.role: d for d in station.bridge.devices}["scanner"].emulator
        assert isinstance(scanner, SerialScannerEmulator)
        assert len(set(threading.enumerate()) - threads) >= 4  # devices, workers: running

        def scan(code: str) -> Outcome:
            with qtbot.waitSignal(pack.outcome_shown, timeout=WAIT_MS) as shown:
                scanner.send(code)
            outcome = shown.args[0]
            assert isinstance(outcome, Outcome)
            return outcome

        with qtbot.waitSignal(window.screen_changed, timeout=WAIT_MS):
            scanner.send("BADGE-ALICE")
        assert scan("SO-1001").verdict is Verdict.ORDER_OPENED
        assert scan(MUG).verdict is Verdict.ACCEPTED
        assert scan(STRAY).verdict is Verdict.WRONG_ITEM
        assert scan("CMD-CONFIRM").verdict is Verdict.CONFIRMED
        assert scan(MUG).verdict is Verdict.ACCEPTED
        # The last unit: the demo scale follows the box's expected weight and weighs it.
        with qtbot.waitSignal(
            pack.outcome_shown,
            timeout=WAIT_MS,
            check_params_cb=lambda o: o.verdict is Verdict.WEIGHT_PASS,
        ):
            scanner.send(TEE)
        assert scan("CMD-COMPLETE").verdict is Verdict.COMPLETED
        label = window.status.sync_label  # the completion nudged the sync worker
        qtbot.waitUntil(lambda: label.text().startswith("Sync: online · 0 waiting"), timeout=15000)
    finally:
        station.close()
    settle(qapp)

    left = [w for w in QApplication.topLevelWidgets() if w not in widgets]
    assert left == [], f"widgets left behind: {left}"
    deadline = time.monotonic() + THREADS_END_S
    while (running := station_threads(threads)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running == set(), f"threads left running: {sorted(t.name for t in running)}"
    assert QThreadPool.globalInstance().activeThreadCount() == pool
    new = [
        c.metaObject().className()
        for c in qapp.children()
        if address(c) not in children and c.metaObject().className() not in QT_ONCE
    ]
    assert new == [], f"objects left on the QApplication: {new}"
