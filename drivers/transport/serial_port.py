"""A serial port opened by path or pyserial URL, with errors a person can read.

``serial.serial_for_url`` takes device paths (``/dev/ttyUSB0``, ``/dev/pts/3``, ``COM3``) and
URLs (``loop://``, ``socket://host:port``, ``spy://...``), so the same driver runs on a real
port, a pty from an emulator, or a network serial server. A udev link such as
``/dev/serial/by-id/usb-FTDI_...`` is the path to configure for a USB adapter: it names the
same device after an unplug even when the kernel numbers it ttyUSB1 instead of ttyUSB0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from dataclasses import dataclass, replace
from typing import Protocol

import serial
import serial.tools.list_ports

from drivers.base import TransportError

log = logging.getLogger(__name__)

# What pyserial lets through when a port fails: its own exception, OSError, and on POSIX
# termios.error (tcflush and tcsetattr on a hung-up tty), which is neither.
_PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError)
try:
    import termios

    _PORT_ERRORS += (termios.error,)
except ImportError:  # Windows
    pass

# The port's own read time-out stays fixed: changing it re-applies every line setting
# (tcsetattr), which costs a system call per read and which some ptys refuse. Longer waits are
# made of these slices; a byte that arrives ends the wait at once.
_SLICE_S = 0.02


class ByteStream(Protocol):
    """What a polling driver needs from a connection; SerialPort is one."""

    @property
    def name(self) -> str: ...

    def write(self, data: bytes) -> None: ...

    def read(self, timeout_s: float, max_bytes: int = 4096) -> bytes: ...

    def discard_input(self) -> None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class SerialConfig:
    """Where and how to open a port. ``parity``: N, E, O, M or S; ``stopbits``: 1, 1.5 or 2."""

    port: str
    baudrate: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1


@dataclass(frozen=True)
class PortInfo:
    """A serial port the system knows; ``vid_pid`` is ``"0403:6001"`` for USB adapters."""

    device: str
    description: str
    vid_pid: str | None


class SerialPort:
    """An open serial port. Construct with ``SerialPort.open(config)``; close when done."""

    def __init__(self, port: serial.SerialBase, name: str) -> None:
        self._port = port
        self._name = name

    @classmethod
    def open(cls, config: SerialConfig) -> SerialPort:
        """Open the port; raises TransportError saying which port and why."""
        try:
            return cls(_open(config), config.port)
        except Exception as exc:  # pyserial raises SerialException, OSError, termios.error...
            if not _is_pty(config.port) or (config.bytesize, config.parity) == (8, "N"):
                raise TransportError(f"cannot open port {config.port}: {exc}") from exc
            refusal = exc
        # A pty carries bytes, not bits on a wire: data bits and parity mean nothing on it,
        # and some kernels refuse them (EINVAL). An emulator's pty is opened 8N1 instead.
        log.info("%s is a pty that refused %s: opening it 8N1", config.port, refusal)
        try:
            return cls(_open(replace(config, bytesize=8, parity="N")), config.port)
        except Exception as exc:
            raise TransportError(f"cannot open port {config.port}: {exc}") from exc

    @property
    def name(self) -> str:
        """The path or URL the port was opened with."""
        return self._name

    def write(self, data: bytes) -> None:
        """Write all of ``data``."""
        try:
            self._port.write(data)
            self._port.flush()
        except _PORT_ERRORS as exc:
            raise self._vanished(exc) from exc

    def read(self, timeout_s: float, max_bytes: int = 4096) -> bytes:
        """Wait up to ``timeout_s`` for data; return what has arrived (b"" on time-out).

        Returns as soon as anything arrives: the caller reassembles frames, so nobody waits
        out a time-out when a reply is complete.
        """
        deadline = time.monotonic() + timeout_s
        try:
            while not (first := bytes(self._port.read(1))):
                if time.monotonic() >= deadline:
                    return b""
            waiting = int(self._port.in_waiting)
            rest = bytes(self._port.read(min(waiting, max_bytes - 1))) if waiting else b""
        except _PORT_ERRORS as exc:
            raise self._vanished(exc) from exc
        return first + rest

    def discard_input(self) -> None:
        """Drop bytes received but not read (a late reply to an earlier command)."""
        try:
            self._port.reset_input_buffer()
        except _PORT_ERRORS as exc:
            raise self._vanished(exc) from exc

    def close(self) -> None:
        """Close the port; closing a vanished port is not an error."""
        with contextlib.suppress(*_PORT_ERRORS):
            self._port.close()

    def _vanished(self, exc: Exception) -> TransportError:
        return TransportError(f"port {self._name} vanished (unplugged or switched off): {exc}")


def _open(config: SerialConfig) -> serial.SerialBase:
    return serial.serial_for_url(
        config.port,
        baudrate=config.baudrate,
        bytesize=config.bytesize,
        parity=config.parity,
        stopbits=config.stopbits,
        timeout=_SLICE_S,
        write_timeout=2.0,
    )


def _is_pty(port: str) -> bool:
    real = os.path.realpath(port)
    return real.startswith("/dev/pts/") and os.path.exists(real)


def list_ports() -> list[PortInfo]:
    """The serial ports the system knows, with USB vendor:product ids where there are any."""
    found: list[PortInfo] = []
    for info in serial.tools.list_ports.comports():
        vid_pid = f"{info.vid:04x}:{info.pid:04x}" if info.vid is not None else None
        found.append(PortInfo(str(info.device), str(info.description), vid_pid))
    return sorted(found, key=lambda p: p.device)
