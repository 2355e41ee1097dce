"""The byte connection a printer driver talks through, and how a URL becomes one.

TCP, serial and device-file transports all fit :class:`Link` structurally, so the ZPL and
ESC/POS drivers run the same code whichever wire the printer is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from drivers.printer.serial_link import SerialLink
from drivers.printer.url import FileUrl, PrinterUrl, SerialUrl, TcpUrl
from drivers.transport.devfile import DevFileTransport
from drivers.transport.tcp import TcpTransport


class Link(Protocol):
    """An open-able byte connection with bounded waits; errors are ``TransportError``."""

    @property
    def where(self) -> str:
        """Where it goes, for messages."""
        ...

    @property
    def can_read(self) -> bool:
        """False when there is no back channel (device and spool files)."""
        ...

    def open(self) -> None:
        """Connect."""

    def write(self, data: bytes) -> None:
        """Send all of ``data``."""

    def read_until(self, done: Callable[[bytes], bool], timeout: float) -> bytes:
        """Collect bytes until ``done`` says so or ``timeout`` seconds pass."""
        ...

    def discard_input(self) -> bytes:
        """Drop and return bytes already waiting."""
        ...

    def close(self) -> None:
        """Disconnect; safe twice."""


LinkFactory = Callable[[PrinterUrl, float], Link]


def open_link(url: PrinterUrl, timeout: float) -> Link:
    """A new, not yet opened link for ``url``; ``ValueError`` for usb:/cups:, which have none."""
    if isinstance(url, TcpUrl):
        return TcpTransport(url.host, url.port, timeout=timeout)
    if isinstance(url, SerialUrl):
        return SerialLink(url.path, url.baudrate, timeout=timeout)
    if isinstance(url, FileUrl):
        # Writing a job to a device file can take much longer than a status answer.
        return DevFileTransport(url.path, timeout=max(timeout, 10.0))
    raise ValueError(f"{url} has no direct byte connection")
