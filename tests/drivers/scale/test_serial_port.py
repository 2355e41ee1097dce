"""The serial transport over pyserial's loop:// URL and a real pty.

(Kept under tests/drivers/scale: the scale drivers are its first users.)
"""

from __future__ import annotations

import os
import pty
import time
import tty

import pytest
import serial.tools.list_ports

from drivers.base import TransportError
from drivers.transport import serial_port
from drivers.transport.serial_port import PortInfo, SerialConfig, SerialPort


def test_loop_url_reads_back_what_was_written():
    port = SerialPort.open(SerialConfig("loop://"))
    try:
        port.write(b"S S 1 g\r\n")
        assert port.read(1.0) == b"S S 1 g\r\n"
        assert port.name == "loop://"
    finally:
        port.close()


def test_read_returns_empty_after_its_time_out():
    port = SerialPort.open(SerialConfig("loop://"))
    try:
        started = time.monotonic()
        assert port.read(0.1) == b""
        assert 0.09 <= time.monotonic() - started < 0.5
    finally:
        port.close()


def test_read_returns_as_soon_as_bytes_arrive_not_at_its_time_out():
    port = SerialPort.open(SerialConfig("loop://"))
    try:
        port.write(b"x")
        started = time.monotonic()
        assert port.read(5.0) == b"x"
        assert time.monotonic() - started < 1.0
    finally:
        port.close()


def test_discard_input_drops_unread_bytes():
    port = SerialPort.open(SerialConfig("loop://"))
    try:
        port.write(b"stale")  # loop:// queues written bytes at once
        port.discard_input()
        assert port.read(0.05) == b""
    finally:
        port.close()


def test_opening_a_missing_port_says_which_and_why():
    with pytest.raises(TransportError, match=r"cannot open port /dev/does-not-exist: .*No such"):
        SerialPort.open(SerialConfig("/dev/does-not-exist"))


def test_a_pty_opens_with_seven_bits_even_parity_requested():
    # Some kernels refuse CS7/parity on a pty (EINVAL); the transport then opens it 8N1.
    master, slave = pty.openpty()
    tty.setraw(slave)
    try:
        port = SerialPort.open(SerialConfig(os.ttyname(slave), 9600, 7, "E"))
        os.write(master, b"\x02?A\r")
        assert port.read(1.0) == b"\x02?A\r"
        port.write(b"W")
        assert os.read(master, 10) == b"W"
        port.close()
    finally:
        os.close(master)
        os.close(slave)


def test_a_vanished_pty_raises_a_clear_error():
    master, slave = pty.openpty()
    tty.setraw(slave)
    port = SerialPort.open(SerialConfig(os.ttyname(slave)))
    name = os.ttyname(slave)
    os.close(master)
    os.close(slave)
    try:
        with pytest.raises(TransportError, match=rf"port {name} vanished \(unplugged"):
            port.read(1.0)
    finally:
        port.close()


def test_list_ports_reports_device_description_and_vid_pid(monkeypatch):
    usb = serial.tools.list_ports_common.ListPortInfo("/dev/ttyUSB0", skip_link_detection=True)
    usb.description, usb.vid, usb.pid = "FT232R USB UART", 0x0403, 0x6001
    onboard = serial.tools.list_ports_common.ListPortInfo("/dev/ttyS0", skip_link_detection=True)
    onboard.description = "ttyS0"
    monkeypatch.setattr(serial.tools.list_ports, "comports", lambda: [usb, onboard])
    assert serial_port.list_ports() == [
        PortInfo("/dev/ttyS0", "ttyS0", None),
        PortInfo("/dev/ttyUSB0", "FT232R USB UART", "0403:6001"),
    ]
