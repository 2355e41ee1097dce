"""TCP, device-file and serial transports against real sockets, files and ptys."""

from __future__ import annotations

import os
import socket
import threading
import time
import tty
from pathlib import Path

import pytest

from drivers.base import TransportError
from drivers.printer.serial_link import SerialLink
from drivers.transport.devfile import DevFileTransport
from drivers.transport.tcp import TcpTransport

from .conftest import TIMEOUT


def test_tcp_refused_says_so(closed_port: int) -> None:
    transport = TcpTransport("127.0.0.1", closed_port, timeout=TIMEOUT)
    with pytest.raises(TransportError) as info:
        transport.open()
    assert str(info.value) == (
        f"connection refused by 127.0.0.1:{closed_port} (printer off, or wrong port?)"
    )


def test_tcp_connect_time_out_says_so() -> None:
    # With a backlog of 0 and one connection waiting, Linux drops further SYNs: the
    # connect hangs as it does towards a printer that is switched off on the same subnet.
    with socket.create_server(("127.0.0.1", 0), backlog=0) as server:
        port = server.getsockname()[1]
        with TcpTransport("127.0.0.1", port, timeout=TIMEOUT):
            late = TcpTransport("127.0.0.1", port, timeout=0.2)
            with pytest.raises(TransportError) as info:
                late.open()
    assert str(info.value) == f"time-out connecting to 127.0.0.1:{port} after 0.2 s"


def test_tcp_unknown_host() -> None:
    with pytest.raises(TransportError, match=r"unknown host 'no-such-printer.invalid'"):
        TcpTransport("no-such-printer.invalid", 9100, timeout=TIMEOUT).open()


@pytest.fixture
def peer() -> tuple[socket.socket, TcpTransport]:
    server = socket.create_server(("127.0.0.1", 0))
    transport = TcpTransport("127.0.0.1", server.getsockname()[1], timeout=TIMEOUT)
    transport.open()
    conn, _ = server.accept()
    server.close()
    return conn, transport


def test_tcp_sends_all_and_reads_until_done(peer: tuple[socket.socket, TcpTransport]) -> None:
    conn, transport = peer
    with conn, transport:
        payload = bytes(range(256)) * 1000
        sender = threading.Thread(target=transport.write, args=(payload,))
        sender.start()
        received = b""
        conn.settimeout(5)
        while len(received) < len(payload):
            received += conn.recv(65536)
        sender.join(5)
        assert received == payload

        conn.sendall(b"ab")
        conn.sendall(b"cd\n")
        assert transport.read_until(lambda got: got.endswith(b"\n"), 5) == b"abcd\n"


def test_tcp_read_times_out_with_what_arrived(peer: tuple[socket.socket, TcpTransport]) -> None:
    conn, transport = peer
    with conn, transport:
        conn.sendall(b"partial")
        started = time.monotonic()
        got = transport.read_until(lambda got: got.endswith(b"\n"), 0.2)
        assert got == b"partial"
        assert 0.15 < time.monotonic() - started < 2


def test_tcp_discard_input_drops_stale_bytes(peer: tuple[socket.socket, TcpTransport]) -> None:
    conn, transport = peer
    with conn, transport:
        conn.sendall(b"stale")
        assert transport.read_until(lambda got: False, 0.05) == b"stale"
        conn.sendall(b"late answer")
        deadline = time.monotonic() + 2
        dropped = b""
        while dropped != b"late answer" and time.monotonic() < deadline:
            dropped += transport.discard_input()
        assert dropped == b"late answer"
        assert transport.discard_input() == b""


def test_tcp_write_times_out_only_when_the_peer_stops_taking_data() -> None:
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited on accept
    server.bind(("127.0.0.1", 0))
    server.listen()
    with server, TcpTransport("127.0.0.1", server.getsockname()[1], timeout=0.3) as transport:
        conn, _ = server.accept()
        # Accepted, never read: a printer whose buffer is full.
        with conn, pytest.raises(TransportError) as info:
            transport.write(b"x" * 64_000_000)
    message = str(info.value)
    assert message.startswith(f"time-out sending to {transport.where}: ")
    assert message.endswith(" of 64000000 bytes taken (printer not taking data: busy or offline?)")


def test_tcp_reset_by_peer_is_named(peer: tuple[socket.socket, TcpTransport]) -> None:
    conn, transport = peer
    # SO_LINGER 0 makes close() send RST instead of FIN: a printer rebooting mid-job.
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    conn.close()
    with transport, pytest.raises(TransportError, match=r"connection reset by 127.0.0.1"):
        transport.read_until(lambda got: False, 2)


def test_devfile_appends_exact_bytes(tmp_path: Path) -> None:
    spool = tmp_path / "labels.zpl"
    job1, job2 = b"^XA^FDone^FS^XZ", bytes(range(256))
    for job in (job1, job2):
        with DevFileTransport(spool) as transport:
            transport.write(job)
    assert spool.read_bytes() == job1 + job2


def test_devfile_has_no_back_channel(tmp_path: Path) -> None:
    with DevFileTransport(tmp_path / "x") as transport:
        assert transport.can_read is False
        assert transport.read_until(lambda got: True, 1) == b""
        assert transport.discard_input() == b""


def test_devfile_never_creates_a_missing_device() -> None:
    with pytest.raises(TransportError, match=r"does not exist .printer unplugged"):
        DevFileTransport("/dev/usb/lp-missing-99").open()
    assert not Path("/dev/usb/lp-missing-99").exists()


def test_devfile_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(TransportError, match="is a directory"):
        DevFileTransport(tmp_path).open()


def test_devfile_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(TransportError, match=r"cannot open .*No such file or directory"):
        DevFileTransport(tmp_path / "nope" / "spool.bin").open()


def test_devfile_writes_to_a_character_device_with_time_out() -> None:
    # A pty slave is a character device that stops taking bytes when nobody reads: the
    # same shape as a USB printer that ran out of paper.
    master, slave = os.openpty()
    try:
        transport = DevFileTransport(os.ttyname(slave), timeout=0.3)
        with transport:
            transport.write(b"hello")
            assert os.read(master, 100) == b"hello"
            with pytest.raises(TransportError, match=r"time-out writing to .* bytes taken"):
                transport.write(b"x" * 1_000_000)
    finally:
        os.close(master)
        os.close(slave)


def test_devfile_slow_but_steady_device_is_not_a_time_out() -> None:
    # The reader drains 4 kB every 50 ms: the whole write takes longer than the time-out,
    # but the device never stops taking data, as a printer printing a long batch.
    master, slave = os.openpty()
    received = bytearray()
    payload = bytes(range(256)) * 400  # 100 kB

    def slow_reader() -> None:
        while len(received) < len(payload):
            time.sleep(0.05)
            received.extend(os.read(master, 4096))

    reader = threading.Thread(target=slow_reader)
    try:
        tty.setraw(slave)
        transport = DevFileTransport(os.ttyname(slave), timeout=0.3)
        reader.start()
        started = time.monotonic()
        with transport:
            transport.write(payload)
        reader.join(10)
        assert time.monotonic() - started > 0.3
        assert bytes(received) == payload
    finally:
        os.close(master)
        os.close(slave)


def test_serial_link_over_pty() -> None:
    master, slave = os.openpty()
    try:
        with SerialLink(os.ttyname(slave), 9600, timeout=TIMEOUT) as link:
            link.write(b"~HS")
            assert os.read(master, 100) == b"~HS"
            os.write(master, b"answer\r\n")
            assert link.read_until(lambda got: got.endswith(b"\r\n"), 2) == b"answer\r\n"
            assert link.read_until(lambda got: False, 0.05) == b""
    finally:
        os.close(master)
        os.close(slave)


def test_serial_link_missing_port() -> None:
    with pytest.raises(TransportError, match="cannot open port /dev/ttyNOPE9"):
        SerialLink("/dev/ttyNOPE9").open()


def test_serial_link_stalled_printer_is_a_time_out_not_vanished() -> None:
    master, slave = os.openpty()  # nobody reads the master: a printer holding the line
    try:
        link = SerialLink(os.ttyname(slave), 115200, timeout=TIMEOUT)
        with link, pytest.raises(TransportError) as info:
            link.write(b"x" * 1_000_000)
        assert str(info.value).startswith(f"time-out writing to {os.ttyname(slave)}: ")
        assert str(info.value).endswith(
            " of 1000000 bytes taken (printer busy, offline, or flow control holding)"
        )
    finally:
        os.close(master)
        os.close(slave)
