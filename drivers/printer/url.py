"""Printer addresses as one string, the way configuration and the command line give them.

``tcp://HOST[:PORT]`` (raw port, 9100 by default), ``serial:PATH[?baud=N]`` (a device such
as /dev/ttyUSB0, or any pyserial URL such as ``loop://``), ``file:PATH`` (a USB printer
device file like /dev/usb/lp0, or a spool file), ``usb:VID:PID`` (hex, ESC/POS only, through
python-escpos ``Usb``), ``cups:QUEUE``. Parsing is pure and raises ``ValueError`` with a
message that says what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

RAW_PRINT_PORT = 9100
DEFAULT_BAUD = 9600
_BAUD_RATES = frozenset(
    {1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600}
)
_HEX_ID = re.compile(r"^(0x)?[0-9a-fA-F]{1,4}$")
_QUEUE = re.compile(r"^[^\s/#]+$")  # CUPS forbids space, slash and '#' in queue names


@dataclass(frozen=True)
class TcpUrl:
    """A printer's raw TCP port."""

    host: str
    port: int = RAW_PRINT_PORT

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"tcp://{host}:{self.port}"


@dataclass(frozen=True)
class SerialUrl:
    """A serial port (or pyserial URL) and its baud rate."""

    path: str
    baudrate: int = DEFAULT_BAUD

    def __str__(self) -> str:
        return f"serial:{self.path}?baud={self.baudrate}"


@dataclass(frozen=True)
class FileUrl:
    """A printer device file or a spool file, written to and never read."""

    path: str

    def __str__(self) -> str:
        return f"file:{self.path}"


@dataclass(frozen=True)
class UsbUrl:
    """A USB printer by vendor and product id (ESC/POS, via python-escpos and pyusb)."""

    vendor_id: int
    product_id: int

    def __str__(self) -> str:
        return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True)
class CupsUrl:
    """A CUPS print queue; a spooler gives no printer status."""

    queue: str

    def __str__(self) -> str:
        return f"cups:{self.queue}"


PrinterUrl = TcpUrl | SerialUrl | FileUrl | UsbUrl | CupsUrl
EXAMPLES = "tcp://HOST:PORT, serial:PATH?baud=N, file:PATH, usb:VID:PID, cups:QUEUE"


def parse_printer_url(text: str) -> PrinterUrl:
    """Parse a printer address; ``ValueError`` names what was wrong and the valid forms."""
    scheme, sep, rest = text.strip().partition(":")
    scheme = scheme.lower()
    if not sep:
        raise ValueError(f"printer address {text!r} has no scheme; use one of {EXAMPLES}")
    if not rest:
        raise ValueError(f"printer address {text!r} is incomplete; use one of {EXAMPLES}")
    if scheme == "tcp":
        return _tcp(text, rest)
    if scheme == "serial":
        return _serial(text, rest)
    if scheme == "file":
        path = urlsplit(rest).path if rest.startswith("//") else rest
        if not path:
            raise ValueError(f"{text!r}: file: needs a path, e.g. file:/dev/usb/lp0")
        return FileUrl(path)
    if scheme == "usb":
        return _usb(text, rest)
    if scheme == "cups":
        if not _QUEUE.match(rest):
            raise ValueError(f"{text!r}: cups: needs a queue name without spaces or '/'")
        return CupsUrl(rest)
    raise ValueError(f"unknown printer scheme {scheme!r} in {text!r}; use one of {EXAMPLES}")


def _tcp(text: str, rest: str) -> TcpUrl:
    if not rest.startswith("//"):
        raise ValueError(f"{text!r}: write tcp://HOST:PORT")
    parts = urlsplit("tcp:" + rest)
    try:
        port = parts.port or RAW_PRINT_PORT
    except ValueError as err:  # urlsplit refuses a non-numeric or out-of-range port
        raise ValueError(f"{text!r}: port must be a number from 1 to 65535") from err
    if not parts.hostname:
        raise ValueError(f"{text!r}: tcp:// needs a host, e.g. tcp://192.168.1.50:9100")
    if parts.path not in ("", "/") or parts.query:
        raise ValueError(f"{text!r}: nothing may follow tcp://HOST:PORT")
    return TcpUrl(parts.hostname, port)


def _serial(text: str, rest: str) -> SerialUrl:
    # Split on the last '?', so pyserial URLs with their own options keep them.
    path, sep, query = rest.rpartition("?") if "?baud=" in rest else (rest, "", "")
    if not path:
        raise ValueError(f"{text!r}: serial: needs a port, e.g. serial:/dev/ttyUSB0")
    baud = DEFAULT_BAUD
    if sep:
        values = parse_qs(query, keep_blank_values=True)
        unknown = set(values) - {"baud"}
        if unknown:
            raise ValueError(f"{text!r}: unknown option {sorted(unknown)[0]!r}; only baud=N")
        raw = values["baud"][-1]
        if not raw.isdigit() or int(raw) not in _BAUD_RATES:
            raise ValueError(f"{text!r}: baud must be one of {sorted(_BAUD_RATES)}")
        baud = int(raw)
    return SerialUrl(path, baud)


def _usb(text: str, rest: str) -> UsbUrl:
    vid, sep, pid = rest.partition(":")
    if not sep or not _HEX_ID.match(vid) or not _HEX_ID.match(pid):
        raise ValueError(f"{text!r}: write usb:VID:PID in hex, e.g. usb:04b8:0202")
    return UsbUrl(int(vid, 16), int(pid, 16))
