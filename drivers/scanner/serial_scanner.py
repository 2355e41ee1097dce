"""Serial and USB-CDC barcode scanners: a reader thread, and a synchronous ``listen``.

The port is a device path (``/dev/ttyACM0``, a ``/dev/serial/by-id/...`` link, a pty) or a
pyserial URL (``socket://host:port``); see ``drivers.transport.serial_port``. Common defaults
are 9600 8N1; many Honeywell units run 115200 8N1 with CR LF.

Each scan is reported as ``on_scan(data, symbology)``. ``symbology`` is the AIM identifier the
scanner put in front of the code (``"]E0"``), or None. The identifier stays in ``data`` as
well: the interpreter strips it, and a keyboard-wedge scan carries it the same way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from drivers.backoff import Backoff
from drivers.base import (
    DeviceState,
    DeviceStatus,
    ScanListener,
    StatusListener,
    TransportError,
)
from drivers.scanner.framing import FrameDecoder, FramingConfig, aim_symbology
from drivers.transport.serial_port import SerialConfig, SerialPort

logger = logging.getLogger(__name__)

# How long one read waits: the longest a stop() request waits for the reader to notice.
_READ_SLICE_S = 0.1


class SerialScanner:
    """A serial scanner read on its own thread; reports scans and connection state.

    ``start()`` returns at once; callbacks run on the driver's thread, never the caller's.
    An unplugged or unopenable port is reported as RECONNECTING with the reason, and opened
    again after a capped exponential backoff. ``stop()`` ends the thread and joins it.
    """

    def __init__(
        self,
        port: str,
        *,
        on_scan: ScanListener,
        on_status: StatusListener,
        baudrate: int = 9600,
        framing: FramingConfig | None = None,
        name: str = "scanner",
        backoff: Backoff | None = None,
    ) -> None:
        self.port = port
        self.name = name
        self._serial = SerialConfig(port=port, baudrate=baudrate)
        self._framing = framing or FramingConfig()
        self._on_scan = on_scan
        self._on_status = on_status
        self._backoff = backoff or Backoff()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the reader thread."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} already started")
        self._thread = threading.Thread(target=self._run, name=f"scanner:{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the reader to finish, and wait for it (and for its port to close)."""
        self._stop.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                raise RuntimeError(f"{self.name} reader did not stop within {timeout} s")

    def __enter__(self) -> SerialScanner:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- the reader thread -------------------------------------------------------------------

    def _run(self) -> None:
        self._status(DeviceState.CONNECTING, f"opening {self.port}")
        attempt = 0
        while not self._stop.is_set():
            reason: str | None
            try:
                port = SerialPort.open(self._serial)
            except TransportError as exc:
                reason = str(exc)
            else:
                attempt = 0
                self._status(DeviceState.CONNECTED, f"{self.port} at {self._serial.baudrate} baud")
                reason = self._read(port)
                if reason is None:
                    break
            attempt += 1
            delay = self._backoff.delay(attempt)
            self._status(DeviceState.RECONNECTING, f"{reason}; retrying in {delay:.1f} s")
            if self._stop.wait(delay):
                break
        self._status(DeviceState.DISCONNECTED, "stopped")

    def _read(self, port: SerialPort) -> str | None:
        """Read frames until stopped (None) or the port fails (the reason)."""
        # A fresh decoder per connection: bytes from before an unplug are half a frame.
        decoder = FrameDecoder(self._framing, name=self.name)
        try:
            while not self._stop.is_set():
                try:
                    chunk = port.read(_READ_SLICE_S)
                except TransportError as exc:
                    if decoder.pending:
                        logger.warning("%s: unfinished frame lost: %s", self.name, exc)
                    return str(exc)
                for data in decoder.feed(chunk):
                    self._scan(data)
            return None
        finally:
            port.close()

    def _scan(self, data: str) -> None:
        try:
            self._on_scan(data, aim_symbology(data))
        except Exception:
            # A listener's bug must not end the reader: later scans would silently vanish.
            logger.exception("%s: scan listener failed", self.name)

    def _status(self, state: DeviceState, reason: str) -> None:
        try:
            self._on_status(DeviceStatus(self.name, state, reason))
        except Exception:
            logger.exception("%s: status listener failed", self.name)


def iter_scans(
    port: str,
    baud: int = 9600,
    count: int = 1,
    timeout: float = 10.0,
    *,
    framing: FramingConfig | None = None,
) -> Iterator[str]:
    """Yield up to ``count`` scans from ``port`` as each arrives, within ``timeout`` seconds,
    in the caller's thread (``station devices scanner listen`` prints each at once, so an
    installer sees a scan the moment the trigger is pulled). Raises TransportError naming the
    port when it cannot be opened or vanishes.
    """
    decoder = FrameDecoder(framing)
    given = 0
    deadline = time.monotonic() + timeout
    serial_port = SerialPort.open(SerialConfig(port=port, baudrate=baud))
    try:
        while given < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            for scan in decoder.feed(serial_port.read(min(remaining, _READ_SLICE_S))):
                if given < count:
                    given += 1
                    yield scan
    finally:
        serial_port.close()


def listen(
    port: str,
    baud: int = 9600,
    count: int = 1,
    timeout: float = 10.0,
    *,
    framing: FramingConfig | None = None,
) -> list[str]:
    """Up to ``count`` scans from ``port`` within ``timeout`` seconds (see :func:`iter_scans`)."""
    return list(iter_scans(port, baud, count, timeout, framing=framing))
