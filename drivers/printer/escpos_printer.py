"""An ESC/POS receipt or small label printer: content via python-escpos, status our own way.

Content goes through python-escpos backends (``Network``, ``Serial``, ``Usb``,
``CupsPrinter``), every one funnelling bytes through ``_raw``, so a ``Dummy`` sees exactly
what a printer would. Status does not: python-escpos 3.1 reads "paper adequate" when the
printer sends nothing, so ``DLE EOT`` is asked over a direct socket or serial link of ours,
where silence stays unknown. ``file:`` targets use our append-only device-file transport
rather than python-escpos ``File``, which opens with ``"wb"`` and would truncate a spool file.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from escpos import printer as backends
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError

from drivers.base import TransportError
from drivers.printer.link import LinkFactory, open_link
from drivers.printer.lp import NO_STATUS_REASON, LpPrinter
from drivers.printer.model import PrinterStatus, PrintResult, refusal_reason, unknown_status
from drivers.printer.status_query import link_status, query_escpos
from drivers.printer.url import (
    CupsUrl,
    FileUrl,
    PrinterUrl,
    SerialUrl,
    TcpUrl,
    UsbUrl,
    parse_printer_url,
)

# python-escpos has no type information; its printer objects are handled as Any here only.
Backend = Any
BackendFactory = Callable[[PrinterUrl, str | None, float], Backend]
USB_STATUS_REASON = "status is not read over usb: (python-escpos cannot tell silence from OK)"


class _Network(backends.Network):  # type: ignore[misc]  # python-escpos is untyped
    """python-escpos ``Network`` with two fixes to 3.1's socket handling.

    ``open`` closes the socket when connecting fails (3.1 drops it unclosed: a
    ResourceWarning, and a leaked descriptor per retry on a station that retries all day).
    ``_raw`` times out on a stall rather than on total duration, as ``TcpTransport.write``.
    """

    def _raw(self, msg: bytes) -> None:
        assert self.device
        view = memoryview(msg)
        while view:
            view = view[self.device.send(view[:65536]) :]

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        try:
            # create_connection closes the socket itself when the connect fails.
            self.device: socket.socket | None = socket.create_connection(
                (self.host, self.port), timeout=self.timeout
            )
        except OSError as err:
            self.device = None
            if raise_not_found:
                raise DeviceNotFoundError(f"Could not open socket for {self.host}: {err}") from err


def escpos_backend(url: PrinterUrl, profile: str | None, timeout: float) -> Backend:
    """The python-escpos printer object for ``url``; not opened yet."""
    if isinstance(url, TcpUrl):
        return _Network(url.host, url.port, timeout=timeout, profile=profile)
    if isinstance(url, SerialUrl):
        return backends.Serial(url.path, url.baudrate, timeout=timeout, profile=profile)
    # Constructing these without their library raises, and python-escpos's ``__del__``
    # then raises again from ``close()``; so ask first.
    if isinstance(url, UsbUrl):
        if not backends.Usb.is_usable():
            raise TransportError(f"{url}: printing over USB needs the pyusb package and libusb")
        return backends.Usb(url.vendor_id, url.product_id, timeout=0, profile=profile)
    if isinstance(url, CupsUrl):
        if not backends.CupsPrinter.is_usable():
            raise TransportError(f"{url}: python-escpos CupsPrinter needs the pycups package")
        return backends.CupsPrinter(url.queue, profile=profile)
    raise ValueError(f"{url}: no python-escpos backend is used for this address")


class EscposPrinter:
    """Sends ESC/POS bytes to one printer and asks its ``DLE EOT`` status first."""

    def __init__(
        self,
        url: str | PrinterUrl,
        *,
        profile: str | None = None,
        timeout: float = 3.0,
        link_factory: LinkFactory = open_link,
        backend_factory: BackendFactory = escpos_backend,
    ) -> None:
        self.url = parse_printer_url(url) if isinstance(url, str) else url
        self.profile = profile
        self.timeout = timeout
        self._link_factory = link_factory
        self._backend_factory = backend_factory

    def status(self) -> PrinterStatus:
        """Ask ``DLE EOT 1/2/4`` over a direct connection; never raises."""
        if isinstance(self.url, CupsUrl):
            return unknown_status(NO_STATUS_REASON)
        if isinstance(self.url, UsbUrl):
            return unknown_status(USB_STATUS_REASON)
        return link_status(self._link_factory(self.url, self.timeout), query_escpos, self.timeout)

    def send(self, data: bytes) -> None:
        """Send bytes without a status check; raises ``TransportError`` with a reason."""
        if isinstance(self.url, FileUrl):
            link = self._link_factory(self.url, self.timeout)
            try:
                link.open()
                link.write(data)
            finally:
                link.close()
            return
        if isinstance(self.url, CupsUrl) and not _pycups_usable():
            result = LpPrinter(self.url.queue).print_bytes(data, raw=True)
            if not result.sent:
                raise TransportError(result.reason)
            return
        self._send_backend(data)

    def print_job(self, data: bytes, *, force: bool = False) -> PrintResult:
        """Check status (unless forced), then send; never raises.

        The status connection is closed before the content one opens: many printers serve
        one connection on port 9100 at a time.
        """
        status = None if force else self.status()
        if status is not None:
            refusal = refusal_reason(status)
            if refusal is not None:
                return PrintResult(sent=False, reason=refusal, status=status)
        try:
            self.send(data)
        except TransportError as err:
            return PrintResult(sent=False, reason=str(err), status=status, forced=force)
        return PrintResult(sent=True, reason="sent", status=status, forced=force)

    def _send_backend(self, data: bytes) -> None:
        try:
            backend = self._backend_factory(self.url, self.profile, self.timeout)
            backend.open()
        except (EscposError, OSError, ValueError, RuntimeError) as err:
            raise TransportError(_describe(self.url, err, "cannot open")) from err
        try:
            # The single byte funnel of python-escpos: no re-encoding of prepared content.
            backend._raw(data)
            if isinstance(self.url, CupsUrl):
                backend.send()
        except (EscposError, OSError) as err:
            raise TransportError(_describe(self.url, err, "cannot send to")) from err
        finally:
            backend.close()


def _pycups_usable() -> bool:
    return bool(backends.CupsPrinter.is_usable())


def _describe(url: PrinterUrl, err: BaseException, doing: str) -> str:
    """A readable reason from a python-escpos error, which wraps the OSError it hit."""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return f"connection refused by {_where(url)} (printer off, or wrong port?)"
        if isinstance(cause, TimeoutError):
            return f"time-out talking to {_where(url)}"
        if isinstance(cause, (ConnectionResetError, BrokenPipeError)):
            return f"connection reset by {_where(url)}"
        cause = cause.__cause__ or cause.__context__
    text = " ".join(str(err).split())  # python-escpos puts the errno on a second line
    return f"{doing} {url}: {text or type(err).__name__}"


def _where(url: PrinterUrl) -> str:
    return f"{url.host}:{url.port}" if isinstance(url, TcpUrl) else str(url)
