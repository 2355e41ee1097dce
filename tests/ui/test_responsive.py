"""The event loop keeps answering while devices stall for 5 s: a scale that stops replying
(the emulator's silent mode) and a TCP printer that takes the status query and never answers.

A QTimer ticks every 20 ms on the GUI thread for the whole stall; a blocked GUI thread shows
up as a gap between ticks. Scans are packed meanwhile, through the database worker.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from drivers.base import DeviceState, DeviceStatus
from drivers.registry import PrinterDeviceConfig, ScaleDeviceConfig, ScannerDeviceConfig
from drivers.scale.emulator import ScaleEmulator
from station.config import DeviceSettings, Settings
from station.db import Database
from tests.station.packfixtures import MUG
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from tests.ui.test_pack_window import scan
from ui.composition import Station

STALL_S = 5.0
TICK_MS = 20
# A frame at 60 Hz is 16 ms; allow a loaded CI machine some slack, far below any stall.
MAX_GAP_S = 0.25


class StalledPrinter:
    """A TCP "printer" that accepts a connection, reads what it is sent and never answers."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        self.received = b""
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="stalled-printer")
        self._thread.start()

    def _serve(self) -> None:
        conns: list[socket.socket] = []
        while not self._closing.is_set():
            try:
                conn, _ = self._server.accept()
                conn.settimeout(0.1)
                conns.append(conn)
            except TimeoutError:
                pass
            for conn in conns:
                with contextlib.suppress(TimeoutError, OSError):
                    self.received += conn.recv(1024)
        for conn in conns:
            conn.close()

    def close(self) -> None:
        self._closing.set()
        self._thread.join(5)
        self._server.close()


class StallWatch:
    """Samples the GUI thread's stack while its timer is late, so a failure names the culprit.

    A gap between ticks says that the GUI thread was blocked, not by what; this thread looks
    at the GUI thread's frame whenever the last tick is older than the allowed gap.
    """

    def __init__(self, ticks: list[float]) -> None:
        self._ticks = ticks
        self._gui = threading.get_ident()
        self._stop = threading.Event()
        self.stacks: list[str] = []
        self._thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)

    def __enter__(self) -> StallWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(5)

    def _watch(self) -> None:
        while not self._stop.wait(MAX_GAP_S / 2):
            if self._ticks and time.monotonic() - self._ticks[-1] > MAX_GAP_S:
                frame = sys._current_frames().get(self._gui)
                if frame is not None and len(self.stacks) < 5:
                    self.stacks.append("".join(traceback.format_stack(frame)))


@pytest.fixture
def printer() -> Iterator[StalledPrinter]:
    stalled = StalledPrinter()
    yield stalled
    stalled.close()


def test_the_event_loop_answers_while_devices_stall(
    qtbot: QtBot, ui_db: Database, printer: StalledPrinter
) -> None:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="none"),
        scale=ScaleDeviceConfig(),
        # One status query at start (before the print worker runs), allowed the whole stall.
        printer=PrinterDeviceConfig(
            kind="zpl", url=printer.url, timeout_s=STALL_S, status_interval_s=0
        ),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    with running_bench(ui_db, settings) as station:
        answers_while_devices_stall(qtbot, station, printer)


def answers_while_devices_stall(qtbot: QtBot, station: Station, printer: StalledPrinter) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    statuses: list[DeviceStatus] = []
    assert station.bridge is not None
    station.bridge.status_changed.connect(statuses.append)
    qtbot.waitUntil(lambda: window.pack.weight.stability == "stable", timeout=WAIT_MS)
    [scale] = [d for d in station.bridge.devices if d.role == "scale"]
    emulator = scale.emulator
    assert isinstance(emulator, ScaleEmulator)

    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(TICK_MS)
    # The test process carries the garbage of the whole suite before it; a full collection of
    # that heap on the GUI thread is the suite's pause, not the station's: collect it now and
    # leave the survivors out of the collections during the stall.
    gc.collect()
    gc.freeze()
    emulator.set_silent(True)
    started = time.monotonic()
    try:
        with StallWatch(ticks) as watch:
            # Packing goes on during the stall: the scan's round trip through the worker.
            scan(qtbot, window.pack, "SO-1001")
            scan(qtbot, window.pack, MUG)
            while time.monotonic() - started < STALL_S:
                qtbot.wait(50)  # the event loop runs; the timer ticks unless something blocks
    finally:
        emulator.set_silent(False)
        timer.stop()
        gc.unfreeze()
    stalled_for = time.monotonic() - started

    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert stalled_for >= STALL_S
    blocked = f"the GUI thread was blocked for {max(gaps):.3f} s; its stack meanwhile:\n"
    assert max(gaps) < MAX_GAP_S, blocked + "\n---\n".join(watch.stacks or ["(not caught)"])
    assert len(ticks) >= 0.8 * STALL_S * 1000 / TICK_MS
    # The stall was real and the status bar said so while it lasted.
    assert any(s.device == "scale" and s.state is DeviceState.ERROR for s in statuses)
    # The print worker's side asked the printer once at start, and it kept quiet.
    assert printer.received.startswith(b"~HS")
    qtbot.waitUntil(lambda: window.pack.weight.stability == "stable", timeout=WAIT_MS)
    scale_label = window.status.device_label("scale")
    assert scale_label is not None
    qtbot.waitUntil(lambda: scale_label.text() == "scale: connected", timeout=WAIT_MS)
