"""Printer addresses: every scheme, defaults, and readable refusals."""

from __future__ import annotations

import pytest

from drivers.printer.url import (
    CupsUrl,
    FileUrl,
    SerialUrl,
    TcpUrl,
    UsbUrl,
    parse_printer_url,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tcp://192.168.1.50:9100", TcpUrl("192.168.1.50", 9100)),
        ("tcp://zebra-3.local", TcpUrl("zebra-3.local", 9100)),
        ("TCP://printer:6101", TcpUrl("printer", 6101)),
        ("tcp://[::1]:9100", TcpUrl("::1", 9100)),
        ("serial:/dev/ttyUSB0", SerialUrl("/dev/ttyUSB0", 9600)),
        ("serial:/dev/ttyS1?baud=115200", SerialUrl("/dev/ttyS1", 115200)),
        ("serial:COM3?baud=19200", SerialUrl("COM3", 19200)),
        ("serial:loop://", SerialUrl("loop://", 9600)),
        ("file:/dev/usb/lp0", FileUrl("/dev/usb/lp0")),
        ("file:spool/labels.zpl", FileUrl("spool/labels.zpl")),
        ("file:///var/spool/x.bin", FileUrl("/var/spool/x.bin")),
        ("usb:04b8:0202", UsbUrl(0x04B8, 0x0202)),
        ("usb:0x0416:0x5011", UsbUrl(0x0416, 0x5011)),
        ("cups:Zebra_GK420d", CupsUrl("Zebra_GK420d")),
    ],
)
def test_parses(text: str, expected: object) -> None:
    assert parse_printer_url(text) == expected


@pytest.mark.parametrize(
    ("url", "text"),
    [
        (TcpUrl("10.0.0.7", 9100), "tcp://10.0.0.7:9100"),
        (TcpUrl("::1", 9100), "tcp://[::1]:9100"),
        (SerialUrl("/dev/ttyUSB0", 9600), "serial:/dev/ttyUSB0?baud=9600"),
        (FileUrl("/dev/usb/lp0"), "file:/dev/usb/lp0"),
        (UsbUrl(0x04B8, 0x0202), "usb:04b8:0202"),
        (CupsUrl("office"), "cups:office"),
    ],
)
def test_round_trips(url: object, text: str) -> None:
    assert str(url) == text
    assert parse_printer_url(text) == url


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("192.168.1.50:9100", "unknown printer scheme '192.168.1.50'"),
        ("printer", "has no scheme"),
        ("http://printer", "unknown printer scheme 'http'"),
        ("tcp:printer:9100", "write tcp://HOST:PORT"),
        ("tcp://printer:http", "port must be a number"),
        ("tcp://printer:70000", "port must be a number"),
        ("tcp://:9100", "tcp:// needs a host"),
        ("tcp://printer:9100/path", "nothing may follow"),
        ("serial:?baud=9600", "serial: needs a port"),
        ("serial:/dev/ttyS0?baud=fast", "baud must be one of"),
        ("serial:/dev/ttyS0?baud=1234", "baud must be one of"),
        ("serial:/dev/ttyS0?baud=9600&parity=E", "unknown option 'parity'"),
        ("file:", "is incomplete"),
        ("usb:04b8", "write usb:VID:PID"),
        ("usb:zz:0202", "write usb:VID:PID"),
        ("cups:my queue", "queue name without spaces"),
    ],
)
def test_refuses_with_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("?", r"\?")) as info:
        parse_printer_url(text)
    assert text in str(info.value) or "no scheme" in str(info.value)
