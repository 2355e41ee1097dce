"""The real serial scanner driver against the emulator over a real pty."""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from drivers.backoff import Backoff
from drivers.base import DeviceState, DeviceStatus, TransportError
from drivers.scanner.emulator import SerialScannerEmulator
from drivers.scanner.framing import FramingConfig, Suffix
from drivers.scanner.serial_scanner import SerialScanner, listen

EAN = "5901234123457"
WAIT_S = 5.0
FAST_RETRY = Backoff(first_s=0.02, cap_s=0.1)


class Recorder:
    """Collects the driver's callbacks, which arrive on its thread."""

    def __init__(self) -> None:
        self.scans: queue.Queue[tuple[str, str | None, str]] = queue.Queue()
        self.statuses: queue.Queue[DeviceStatus] = queue.Queue()
        self.history: list[DeviceStatus] = []

    def on_scan(self, data: str, symbology: str | None) -> None:
        self.scans.put((data, symbology, threading.current_thread().name))

    def on_status(self, status: DeviceStatus) -> None:
        self.history.append(status)
        self.statuses.put(status)

    def next_scan(self) -> tuple[str, str | None]:
        data, symbology, _thread = self.scans.get(timeout=WAIT_S)
        return data, symbology

    def wait_for(self, state: DeviceState) -> DeviceStatus:
        while True:
            status = self.statuses.get(timeout=WAIT_S)
            if status.state is state:
                return status


@pytest.fixture
def emulator(tmp_path: Path) -> Iterator[SerialScannerEmulator]:
    with SerialScannerEmulator(link=tmp_path / "scanner") as emu:
        yield emu


def start(
    emulator: SerialScannerEmulator, rec: Recorder, framing: FramingConfig | None = None
) -> SerialScanner:
    scanner = SerialScanner(
        emulator.path,
        on_scan=rec.on_scan,
        on_status=rec.on_status,
        framing=framing,
        backoff=FAST_RETRY,
        name="bench-scanner",
    )
    scanner.start()
    rec.wait_for(DeviceState.CONNECTED)
    return scanner


@pytest.mark.parametrize(
    ("suffix", "wire"),
    [
        (Suffix.CR, b"\r"),
        (Suffix.LF, b"\n"),
        (Suffix.CRLF, b"\r\n"),
        (Suffix.TAB, b"\t"),
        (Suffix.AUTO, b"\r"),
        (Suffix.AUTO, b"\n"),
        (Suffix.AUTO, b"\r\n"),
    ],
)
def test_each_suffix(emulator: SerialScannerEmulator, suffix: Suffix, wire: bytes) -> None:
    rec = Recorder()
    scanner = start(emulator, rec, FramingConfig(suffix=suffix))
    try:
        emulator.send(EAN, suffix=wire)
        emulator.send("4006381333931", suffix=wire)
        assert rec.next_scan() == (EAN, None)
        assert rec.next_scan() == ("4006381333931", None)
    finally:
        scanner.stop()


def test_callbacks_run_on_the_driver_thread(emulator: SerialScannerEmulator) -> None:
    rec = Recorder()
    scanner = start(emulator, rec)
    try:
        emulator.send(EAN)
        _data, _symbology, thread = rec.scans.get(timeout=WAIT_S)
        assert thread == "scanner:bench-scanner"
        assert thread != threading.current_thread().name
    finally:
        scanner.stop()


def test_aim_identifier_is_reported_and_kept_in_the_data(emulator: SerialScannerEmulator) -> None:
    rec = Recorder()
    scanner = start(emulator, rec)
    try:
        emulator.send("]d2010950110153000310ABC\x1d21XYZ")
        assert rec.next_scan() == ("]d2010950110153000310ABC\x1d21XYZ", "]d2")
    finally:
        scanner.stop()


def test_frame_split_across_writes(emulator: SerialScannerEmulator) -> None:
    rec = Recorder()
    scanner = start(emulator, rec, FramingConfig(suffix=Suffix.CRLF))
    try:
        emulator.send_split("]E0" + EAN, cuts=[1, 7, 16], delay=0.03, suffix=b"\r\n")
        emulator.send_split(EAN, cuts=[13], delay=0.03, suffix=b"\r\n")  # CR | LF apart
        assert rec.next_scan() == ("]E0" + EAN, "]E0")
        assert rec.next_scan() == (EAN, None)
    finally:
        scanner.stop()


def test_noise_is_dropped_with_a_warning(
    emulator: SerialScannerEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder()
    with caplog.at_level(logging.WARNING, logger="drivers.scanner.framing"):
        scanner = start(emulator, rec, FramingConfig(suffix=Suffix.CR))
        try:
            emulator.inject_noise(b"\x00\xff")
            emulator.send(EAN)
            emulator.write(b"4006\x00381\xfe333931\r")
            assert rec.next_scan() == (EAN, None)
            assert rec.next_scan() == ("4006381333931", None)
        finally:
            scanner.stop()
    assert "bench-scanner: dropped 2 noise byte(s) from a frame: 00 ff" in caplog.text
    assert "bench-scanner: dropped 2 noise byte(s) from a frame: 00 fe" in caplog.text


def test_unplug_reports_reconnecting_with_reason_then_reconnects(
    emulator: SerialScannerEmulator,
) -> None:
    rec = Recorder()
    scanner = start(emulator, rec)
    try:
        emulator.send(EAN)
        assert rec.next_scan() == (EAN, None)

        emulator.unplug()
        lost = rec.wait_for(DeviceState.RECONNECTING)
        assert lost.device == "bench-scanner"
        assert f"port {emulator.path} vanished" in lost.reason
        assert "retrying in" in lost.reason
        # While unplugged, each retry says why it failed.
        retry = rec.wait_for(DeviceState.RECONNECTING)
        assert f"cannot open port {emulator.path}" in retry.reason

        emulator.replug()
        rec.wait_for(DeviceState.CONNECTED)
        emulator.send("4006381333931")
        assert rec.next_scan() == ("4006381333931", None)
    finally:
        scanner.stop()
    assert rec.history[-1].state is DeviceState.DISCONNECTED


def test_port_missing_at_start_is_retried_until_it_appears(tmp_path: Path) -> None:
    rec = Recorder()
    link = tmp_path / "late-scanner"
    scanner = SerialScanner(
        str(link), on_scan=rec.on_scan, on_status=rec.on_status, backoff=FAST_RETRY
    )
    scanner.start()
    try:
        assert rec.wait_for(DeviceState.CONNECTING).reason == f"opening {link}"
        assert f"cannot open port {link}" in rec.wait_for(DeviceState.RECONNECTING).reason
        with SerialScannerEmulator(link=link) as emu:
            rec.wait_for(DeviceState.CONNECTED)
            emu.send(EAN)
            assert rec.next_scan() == (EAN, None)
            scanner.stop()
    finally:
        scanner.stop()
    assert not any(t.name == "scanner:scanner" for t in threading.enumerate())


def test_a_failing_listener_does_not_stop_the_reader(
    emulator: SerialScannerEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    got: queue.Queue[str] = queue.Queue()

    def on_scan(data: str, _symbology: str | None) -> None:
        if data == "BOOM":
            raise ValueError("listener bug")
        got.put(data)

    rec = Recorder()
    scanner = SerialScanner(emulator.path, on_scan=on_scan, on_status=rec.on_status)
    scanner.start()
    try:
        rec.wait_for(DeviceState.CONNECTED)
        with caplog.at_level(logging.ERROR):
            emulator.send("BOOM")
            emulator.send(EAN)
            assert got.get(timeout=WAIT_S) == EAN
        assert "scan listener failed" in caplog.text
    finally:
        scanner.stop()


def test_listen_over_a_socket_url() -> None:
    # pyserial URLs work like paths: a network serial server. Opening flushes what arrived
    # before, so the server repeats its two scans until the listener hangs up.
    server = socket.create_server(("127.0.0.1", 0))
    host, port = server.getsockname()
    done = threading.Event()

    def serve() -> None:
        conn, _ = server.accept()
        with conn, contextlib.suppress(OSError):
            while not done.wait(0.05):
                conn.sendall(b"]E05901234123457\r\n4006381333931\r\n")

    thread = threading.Thread(target=serve)
    thread.start()
    try:
        got = listen(f"socket://{host}:{port}", count=2, timeout=WAIT_S)
    finally:
        done.set()
        thread.join(WAIT_S)
        server.close()
    assert got == ["]E05901234123457", "4006381333931"]


def test_listen_on_the_pty_returns_what_arrives(emulator: SerialScannerEmulator) -> None:
    # listen() flushes stale input when it opens the port, so the emulator keeps sending
    # until the listener has what it asked for.
    done = threading.Event()

    def keep_sending() -> None:
        while not done.wait(0.05):
            emulator.send(EAN)

    sender = threading.Thread(target=keep_sending)
    sender.start()
    try:
        assert listen(emulator.path, baud=115200, count=3, timeout=WAIT_S) == [EAN] * 3
    finally:
        done.set()
        sender.join(WAIT_S)


def test_listen_times_out_with_what_it_has(emulator: SerialScannerEmulator) -> None:
    assert listen(emulator.path, count=1, timeout=0.2) == []


def test_listen_on_a_missing_port_says_which(tmp_path: Path) -> None:
    with pytest.raises(TransportError, match=r"cannot open port .*nothing-here"):
        listen(str(tmp_path / "nothing-here"), timeout=0.1)
