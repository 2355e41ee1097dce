"""A serial port as a printer connection, through pyserial's ``serial_for_url``.

``serial_for_url`` rather than ``Serial`` so that tests and odd set-ups can pass pyserial
URLs (``loop://``, ``socket://``, ``spy://``) where a device path would go. A pty used by
the emulator behaves like a real port here.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from types import TracebackType

import serial

from drivers.base import TransportError


class SerialLink:
    """One open serial port with bounded reads and writes; one owner thread at a time."""

    def __init__(self, port: str, baudrate: int = 9600, *, timeout: float = 3.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.timeout = timeout
        self._serial: serial.SerialBase | None = None

    @property
    def where(self) -> str:
        """The port, for messages."""
        return self.port

    @property
    def can_read(self) -> bool:
        """A serial line answers status queries."""
        return True

    def open(self) -> None:
        """Open the port 8N1 at the configured baud, or raise saying why not."""
        if self._serial is not None:
            return
        try:
            self._serial = serial.serial_for_url(
                self.port,
                baudrate=self.baudrate,
                timeout=self.timeout,
                # Each write is at most ~0.5 s of line time (see write); the rest is slack.
                write_timeout=self.timeout + 1.0,
                # Two programs writing one printer interleave their jobs; refuse instead.
                exclusive=True,
            )
        except (serial.SerialException, ValueError, OSError) as err:
            raise TransportError(f"cannot open serial port {self.port}: {err}") from err

    def _port(self) -> serial.SerialBase:
        if self._serial is None:
            self.open()
        assert self._serial is not None
        return self._serial

    def write(self, data: bytes) -> None:
        """Write all of ``data`` and wait until it has left, or raise.

        pyserial's write time-out covers a whole ``write`` call, and a 50 kB label takes
        about 50 s at 9600 baud; so the job goes in chunks of about half a second of line
        time, and the time-out only fires when the printer stops taking data.
        """
        port = self._port()
        chunk = max(64, self.baudrate // 20)
        try:
            for start in range(0, len(data), chunk):
                port.write(data[start : start + chunk])
            port.flush()
        except serial.SerialTimeoutException as err:
            raise TransportError(
                f"time-out writing to {self.port} (printer busy, offline or flow control?)"
            ) from err
        except (serial.SerialException, OSError) as err:
            raise TransportError(f"cannot write to {self.port}: {err}") from err

    def read_until(self, done: Callable[[bytes], bool], timeout: float) -> bytes:
        """Read until ``done(received)`` or the time-out; returns what arrived."""
        port = self._port()
        received = b""
        deadline = time.monotonic() + timeout
        try:
            while not done(received):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                port.timeout = remaining
                received += port.read(max(1, port.in_waiting))
        except (serial.SerialException, OSError) as err:
            raise TransportError(f"cannot read from {self.port}: {err}") from err
        finally:
            port.timeout = self.timeout
        return received

    def discard_input(self) -> bytes:
        """Drop bytes already waiting (a late answer to an earlier query) and return them."""
        port = self._port()
        try:
            waiting = port.in_waiting
            return port.read(waiting) if waiting else b""
        except (serial.SerialException, OSError) as err:
            raise TransportError(f"cannot read from {self.port}: {err}") from err

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
