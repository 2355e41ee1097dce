"""Asking a printer for its status over a :class:`Link`, in ZPL or ESC/POS.

The exchange is I/O; the meaning of the answer is left to the pure parsers. Each function
drops stale input first so a late answer to an earlier query is not read as this one's.
"""

from __future__ import annotations

from collections.abc import Callable

from drivers.base import TransportError
from drivers.printer import escpos_status, zpl_status
from drivers.printer.link import Link, LinkFactory
from drivers.printer.model import PrinterStatus, unknown_status
from drivers.printer.url import PrinterUrl

StatusQuery = Callable[[Link, float], PrinterStatus]


def query_zpl(link: Link, timeout: float) -> PrinterStatus:
    """Send ``~HS`` and read its three lines to their terminators or the time-out."""
    link.discard_input()
    link.write(zpl_status.HOST_STATUS_QUERY)
    answer = link.read_until(zpl_status.answer_complete, timeout)
    return zpl_status.parse_host_status(answer)


def query_escpos(link: Link, timeout: float) -> PrinterStatus:
    """Ask ``DLE EOT 1``, ``2`` and ``4`` one at a time, one byte each.

    One at a time so that a missing answer cannot shift the next answer onto the wrong
    question; and if ``DLE EOT 1`` gets no answer the others are not waited for.
    """
    link.discard_input()
    replies: list[bytes | None] = []
    for query in (
        escpos_status.QUERY_PRINTER,
        escpos_status.QUERY_OFFLINE_CAUSE,
        escpos_status.QUERY_PAPER,
    ):
        link.write(query)
        reply = link.read_until(lambda got: len(got) >= 1, timeout)
        replies.append(reply or None)
        if not reply:
            replies += [None] * (3 - len(replies))
            break
    return escpos_status.parse_realtime_status(*replies)


def link_status(link: Link, query: StatusQuery, timeout: float) -> PrinterStatus:
    """Query over an already chosen link, opening and closing it; never raises."""
    if not link.can_read:
        return unknown_status(f"{link.where} is written to only and gives no printer status")
    try:
        link.open()
        return query(link, timeout)
    except TransportError as err:
        return unknown_status(str(err))
    finally:
        link.close()


def url_status(
    url: PrinterUrl, query: StatusQuery, timeout: float, link_factory: LinkFactory
) -> PrinterStatus:
    """Query the printer at ``url`` over a fresh direct connection; never raises."""
    return link_status(link_factory(url, timeout), query, timeout)
