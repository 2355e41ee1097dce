"""A serial printer line as a printer :class:`~drivers.printer.link.Link`.

The port itself is the project's pyserial wrapper (``drivers.transport.serial_port``), so
paths, pyserial URLs (``loop://``, ``socket://``), ptys and open errors are handled as for
every other serial device. What a printer adds: reading until an answer is complete, and
long jobs that must not trip the wrapper's per-call write time-out.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

import serial

from drivers.base import TransportError
from drivers.transport.serial_port import SerialConfig, SerialPort


class SerialLink:
    """One serial printer line with bounded reads and writes; one owner thread at a time."""

    def __init__(self, port: str, baudrate: int = 9600, *, timeout: float = 3.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self._serial: SerialPort | None = None

    @property
    def where(self) -> str:
        """The port, for messages."""
        return self.port

    @property
    def can_read(self) -> bool:
        """A serial line answers status queries."""
        return True

    def open(self) -> None:
        """Open the port 8N1 at the configured baud, or raise ``TransportError`` saying why."""
        if self._serial is None:
            self._serial = SerialPort.open(SerialConfig(self.port, self.baudrate))

    def _port(self) -> SerialPort:
        if self._serial is None:
            self.open()
        assert self._serial is not None
        return self._serial

    def write(self, data: bytes) -> None:
        """Write all of ``data`` and wait until it has left, or raise.

        The wrapper's write time-out (2 s) covers a whole call, and a 50 kB label takes
        about 50 s at 9600 baud; so the job goes in chunks of about half a second of line
        time, and the time-out only fires when the printer stops taking data.
        """
        port = self._port()
        chunk = max(64, self.baudrate // 20)
        for start in range(0, len(data), chunk):
            try:
                port.write(data[start : start + chunk])
            except TransportError as err:
                if isinstance(err.__cause__, serial.SerialTimeoutException):
                    # The wrapper calls every failure "vanished"; a stall is something else.
                    raise TransportError(
                        f"time-out writing to {self.port}: {start} of {len(data)} bytes taken "
                        "(printer busy, offline, or flow control holding)"
                    ) from err
                raise

    def read_until(self, done: Callable[[bytes], bool], timeout: float) -> bytes:
        """Read until ``done(received)`` or the time-out; returns what arrived."""
        port = self._port()
        received = b""
        deadline = time.monotonic() + timeout
        while not done(received):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            received += port.read(remaining)
        return received

    def discard_input(self) -> bytes:
        """Drop bytes already waiting (a late answer to an earlier query)."""
        self._port().discard_input()
        return b""  # the wrapper drops them unseen

    def close(self) -> None:
        """Close the port; safe to call twice."""
        port, self._serial = self._serial, None
        if port is not None:
            port.close()

    def __enter__(self) -> SerialLink:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
