"""The event loop keeps answering while devices stall for 5 s: a scale that stops replying
(the emulator's silent mode) and a TCP printer that takes the status query and never answers.

What is checked does not depend on the machine's speed: every call into a device's transport
is recorded with its thread, and none may be the GUI thread's; a QTimer ticks on the GUI
thread throughout, and every device call that blocked (waiting out its time-out) must have
seen the timer tick while it waited, which a GUI thread held up by that call cannot do. Scans
are packed meanwhile, through the database worker.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt, QTimer
from pytestqt.qtbot import QtBot

from drivers.base import DeviceState, DeviceStatus
from drivers.registry import PrinterDeviceConfig, ScaleDeviceConfig, ScannerDeviceConfig
from drivers.scale.driver import ScaleConfig
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.link import ScaleLink
from drivers.transport.serial_port import SerialPort
from drivers.transport.tcp import TcpTransport
from station.config import DeviceSettings, Settings
from station.db import Database
from tests.station.packfixtures import MUG
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from tests.ui.test_pack_window import scan
from ui.composition import Station

STALL_S = 5.0
TICK_MS = 20
REPLY_TIMEOUT_S = ScaleConfig(port="", protocol="mt-sics").reply_timeout_s  # a silent scale's wait


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


@dataclass
class DeviceCall:
    """One call into a device's transport: what, on which thread, from when to when."""

    what: str
    thread: int
    started: float
    ended: float = math.inf  # still blocked

    def holds(self, moment: float) -> bool:
        return self.started <= moment <= self.ended


class DeviceCalls:
    """Every call into the scale's and the printer's transports, recorded as it happens.

    The transports are where a device blocks (a read waiting out its time-out); whichever
    thread makes these calls is the thread a stalled device holds up.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[DeviceCall] = []
        self._lock = threading.Lock()
        for owner, name in WATCHED:
            self._wrap(monkeypatch, owner, name)

    def _wrap(self, monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> None:
        original: Callable[..., object] = getattr(owner, name)

        @functools.wraps(original)
        def recorded(*args: object, **kwargs: object) -> object:
            call = DeviceCall(f"{owner.__name__}.{name}", threading.get_ident(), time.monotonic())
            with self._lock:
                self.calls.append(call)
            try:
                return original(*args, **kwargs)
            finally:
                call.ended = time.monotonic()

        monkeypatch.setattr(owner, name, recorded)

    def of(self, what: str) -> list[DeviceCall]:
        with self._lock:
            return [c for c in self.calls if c.what == what]


WATCHED: list[tuple[type, str]] = [
    (SerialPort, "read"),
    (SerialPort, "write"),
    (ScaleLink, "request"),
    (TcpTransport, "open"),
    (TcpTransport, "write"),
    (TcpTransport, "read_until"),
]


@pytest.fixture
def printer() -> Iterator[StalledPrinter]:
    stalled = StalledPrinter()
    yield stalled
    stalled.close()


def test_the_event_loop_answers_while_devices_stall(
    qtbot: QtBot, ui_db: Database, printer: StalledPrinter, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = DeviceCalls(monkeypatch)
    ticks: list[float] = []
    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="none"),
        scale=ScaleDeviceConfig(),
        # One status query at start (before the print worker runs), allowed the whole stall.
        printer=PrinterDeviceConfig(
            kind="zpl", url=printer.url, timeout_s=STALL_S, status_interval_s=0
        ),
    )
    settings = Settings(db_path=ui_db.path, devices=devices)
    timer.start(TICK_MS)
    try:
        with running_bench(ui_db, settings) as station:
            silence = answers_while_devices_stall(qtbot, station, printer)
    finally:
        timer.stop()

    # No device call was made by the GUI thread: a stalled device holds up its own thread.
    gui = threading.get_ident()
    assert calls.of("ScaleLink.request") and calls.of("TcpTransport.read_until")
    on_gui = sorted({c.what for c in calls.calls if c.thread == gui})
    assert on_gui == [], f"device calls made on the GUI thread: {on_gui}"
    # Nor did the GUI thread wait for one: while each blocked call waited out its time-out,
    # the event loop went on turning (a GUI thread blocked on it, or on a lock it held,
    # would not tick once until the call returned). Counted in ticks, not measured in time.
    [status_query] = calls.of("TcpTransport.read_until")
    assert status_query.ended - status_query.started >= STALL_S  # the printer never answered
    unanswered = [
        c
        for c in calls.of("ScaleLink.request")
        if silence[0] <= c.started
        and c.ended <= silence[1]
        and c.ended - c.started >= REPLY_TIMEOUT_S
    ]
    assert unanswered, "no request to the silent scale waited out its time-out"
    blocked_loop = [
        (c.what, round(c.ended - c.started, 3))
        for c in [status_query, *unanswered]
        if not any(c.holds(t) for t in ticks)
    ]
    assert blocked_loop == [], f"the event loop stood still during {blocked_loop}"
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    # A figure, not a limit: how late the GUI thread's timer was at worst on this machine.
    print(f"largest gap between {TICK_MS} ms ticks: {max(gaps) * 1000:.0f} ms")


def answers_while_devices_stall(
    qtbot: QtBot, station: Station, printer: StalledPrinter
) -> tuple[float, float]:
    """Sign in, silence the scale for ``STALL_S`` while packing; return when it was silent."""
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    statuses: list[DeviceStatus] = []
    assert station.bridge is not None
    station.bridge.status_changed.connect(statuses.append)
    qtbot.waitUntil(lambda: window.pack.weight.stability == "stable", timeout=WAIT_MS)
    [scale] = [d for d in station.bridge.devices if d.role == "scale"]
    emulator = scale.emulator
    assert isinstance(emulator, ScaleEmulator)

    # The test process carries the garbage of the whole suite before it; a full collection of
    # that heap on the GUI thread is the suite's pause, not the station's: collect it now and
    # leave the survivors out of the collections during the stall.
    gc.collect()
    gc.freeze()
    emulator.set_silent(True)
    started = time.monotonic()
    try:
        # Packing goes on during the stall: the scan's round trip through the worker.
        scan(qtbot, window.pack, "SO-1001")
        scan(qtbot, window.pack, MUG)
        while time.monotonic() - started < STALL_S:
            qtbot.wait(50)  # the event loop runs
    finally:
        emulator.set_silent(False)
        gc.unfreeze()
    ended = time.monotonic()

    # The stall was real and the status bar said so while it lasted.
    assert any(s.device == "scale" and s.state is DeviceState.ERROR for s in statuses)
    # The print worker's side asked the printer once at start, and it kept quiet.
    assert printer.received.startswith(b"~HS")
    qtbot.waitUntil(lambda: window.pack.weight.stability == "stable", timeout=WAIT_MS)
    scale_label = window.status.device_label("scale")
    assert scale_label is not None
    qtbot.waitUntil(lambda: scale_label.text() == "scale: connected", timeout=WAIT_MS)
    return started, ended
