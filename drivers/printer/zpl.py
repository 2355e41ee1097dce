"""A ZPL label printer (Zebra and compatibles) on TCP, serial, a device file or CUPS."""

from __future__ import annotations

from drivers.base import TransportError
from drivers.printer.link import LinkFactory, open_link
from drivers.printer.lp import NO_STATUS_REASON, LpPrinter
from drivers.printer.model import PrinterStatus, PrintResult, refusal_reason, unknown_status
from drivers.printer.status_query import link_status, query_zpl
from drivers.printer.url import CupsUrl, PrinterUrl, UsbUrl, parse_printer_url


class ZplPrinter:
    """Sends ZPL to one printer and reads its ``~HS`` status on the same kind of connection.

    :meth:`print_job` checks the status first and refuses with the printer's reason (paper
    out, head open, paused, ribbon out, or "printer status unknown: ...") unless forced.
    Connections without a back channel (device/spool files, CUPS) therefore need
    ``force=True``: the caller decides, knowingly, to print blind.

    Each call opens and closes its own connection and blocks for up to ``timeout`` per
    wait, so call it from the device I/O thread, never the GUI thread.
    """

    def __init__(
        self,
        url: str | PrinterUrl,
        *,
        timeout: float = 3.0,
        link_factory: LinkFactory = open_link,
    ) -> None:
        self.url = parse_printer_url(url) if isinstance(url, str) else url
        if isinstance(self.url, UsbUrl):
            raise ValueError(
                f"{self.url}: usb:VID:PID is for ESC/POS printers; "
                "give a ZPL printer on USB as file:/dev/usb/lpN"
            )
        self.timeout = timeout
        self._link_factory = link_factory

    def send(self, zpl: bytes) -> None:
        """Send bytes as they are, without a status check; raises ``TransportError``."""
        if isinstance(self.url, CupsUrl):
            result = LpPrinter(self.url.queue).print_bytes(zpl, raw=True)
            if not result.sent:
                raise TransportError(result.reason)
            return
        link = self._link_factory(self.url, self.timeout)
        try:
            link.open()
            link.write(zpl)
        finally:
            link.close()

    def status(self) -> PrinterStatus:
        """Ask ``~HS``; never raises: failures and silence come back as unknown flags."""
        if isinstance(self.url, CupsUrl):
            return unknown_status(NO_STATUS_REASON)
        return link_status(self._link_factory(self.url, self.timeout), query_zpl, self.timeout)

    def print_job(self, data: bytes, *, force: bool = False) -> PrintResult:
        """Check the status, then send ``data`` on the same connection; never raises."""
        if isinstance(self.url, CupsUrl):
            if not force:
                blind = self.status()
                return PrintResult(sent=False, reason=str(refusal_reason(blind)), status=blind)
            return LpPrinter(self.url.queue).print_bytes(data, raw=True)
        link = self._link_factory(self.url, self.timeout)
        status: PrinterStatus | None = None
        try:
            link.open()
            if not force:
                status = (
                    query_zpl(link, self.timeout)
                    if link.can_read
                    else unknown_status(f"{link.where} is written to only and gives no status")
                )
                refusal = refusal_reason(status)
                if refusal is not None:
                    return PrintResult(sent=False, reason=refusal, status=status)
            link.write(data)
        except TransportError as err:
            return PrintResult(sent=False, reason=str(err), status=status, forced=force)
        finally:
            link.close()
        return PrintResult(sent=True, reason="sent", status=status, forced=force)
