"""Pure parser for ESC/POS real-time status bytes (``DLE EOT n``). No I/O.

Each query ``10 04 n`` is answered with one byte whose bits 0 and 7 are fixed off and bits
1 and 4 fixed on, so a valid answer always has ``byte & 0x93 == 0x12`` (Epson ESC/POS
Command Reference, ``DLE EOT``; e.g. TM-L60II technical reference p.1215-1217; the same
tables in the Bixolon SRP-350 manual):

- ``n=1`` printer status: bit 3 (0x08) off-line; bit 2 drawer pin 3.
- ``n=2`` off-line cause: bit 2 (0x04) cover open, bit 3 (0x08) paper being fed by the
  feed button, bit 5 (0x20) printing stopped by paper end, bit 6 (0x40) error occurred.
- ``n=4`` roll paper sensor: bits 2-3 (0x0C) near end, bits 5-6 (0x60) paper not present.

python-escpos 3.1 agrees (``escpos/constants.py``): ``RT_MASK_ONLINE = 8`` (0x08),
``RT_MASK_PAPER = 18`` (0x12, only the fixed bits: paper OK), ``RT_MASK_LOWPAPER = 30``
(0x1E = 0x12 | 0x0C), ``RT_MASK_NOPAPER = 114`` (0x72 = 0x12 | 0x60). Its
``paper_status()`` returns "paper adequate" when no byte comes back at all; here no reply
is unknown, because a printer that does not answer may well be the one without paper.
"""

from __future__ import annotations

from drivers.printer.model import PrinterStatus

DLE_EOT = b"\x10\x04"
QUERY_PRINTER = DLE_EOT + b"\x01"
QUERY_OFFLINE_CAUSE = DLE_EOT + b"\x02"
QUERY_PAPER = DLE_EOT + b"\x04"

_FIXED_MASK, _FIXED_VALUE = 0x93, 0x12
_OFFLINE = 0x08
_COVER_OPEN, _FEED_BUTTON, _PAPER_END_STOP, _ERROR = 0x04, 0x08, 0x20, 0x40
_NEAR_END, _PAPER_ABSENT = 0x0C, 0x60

NO_ANSWER_REASON = "no answer to DLE EOT 1 (printer off, busy, or not ESC/POS)"


def _valid(reply: bytes | None) -> int | None:
    """The status byte if ``reply`` is exactly one well-formed byte, else None."""
    if reply is None or len(reply) != 1 or reply[0] & _FIXED_MASK != _FIXED_VALUE:
        return None
    return reply[0]


def _describe(n: int, reply: bytes | None) -> str:
    if reply is None or reply == b"":
        return f"{n}=none"
    return f"{n}=" + reply.hex()


def parse_realtime_status(
    printer: bytes | None, offline_cause: bytes | None, paper: bytes | None
) -> PrinterStatus:
    """Combine the answers to ``DLE EOT 1``, ``2`` and ``4`` (None or b"" = no answer).

    Any unreadable byte leaves the flags it would have set unknown and names itself in
    the reason; an absent ``DLE EOT 1`` answer makes the whole status unknown.
    """
    raw = " ".join(_describe(n, r) for n, r in ((1, printer), (2, offline_cause), (4, paper)))
    b1, b2, b4 = _valid(printer), _valid(offline_cause), _valid(paper)
    notes: list[str] = []
    for n, reply, byte in ((1, printer, b1), (2, offline_cause, b2), (4, paper, b4)):
        if byte is None:
            notes.append(
                f"no answer to DLE EOT {n}"
                if not reply
                else f"unreadable answer {reply.hex()} to DLE EOT {n}"
            )
    if not printer:
        return PrinterStatus(
            online=None,
            paper_out=None,
            head_open=None,
            paused=None,
            ribbon_out=None,
            buffer_full=None,
            raw=raw,
            reason=NO_ANSWER_REASON,
        )

    online = None if b1 is None else not b1 & _OFFLINE
    head_open = None if b2 is None else bool(b2 & _COVER_OPEN)
    # Either sensor bit counts: an undefined half pattern is treated as the worse case.
    paper_out = None if b4 is None else bool(b4 & _PAPER_ABSENT)
    near_end = None if b4 is None else bool(b4 & _NEAR_END)
    if b2 is not None and b2 & _PAPER_END_STOP:
        paper_out = True

    causes: list[str] = []
    if paper_out:
        causes.append("paper out")
    if head_open:
        causes.append("cover open")
    if b2 is not None and b2 & _FEED_BUTTON:
        causes.append("paper being fed with the feed button")
    if b2 is not None and b2 & _ERROR:
        causes.append("printer error (cutter jam or mechanism fault)")
    if online is False and not causes:
        causes.append("printer offline")
    warnings = ["paper near end"] if near_end and not paper_out else []
    if online is None:
        online = False if (paper_out or head_open) else None
    elif online and causes:
        # DLE EOT 1 says online while the paper sensor (4) or the offline causes (2) say
        # otherwise, as a printer does between paper end and its stop: it is not ready.
        online = False
    elif online and notes:
        # A printer that answers one query but not the next is out of step with us; its
        # "online" cannot vouch for the paper we failed to read.
        online = None

    parts = causes + warnings + notes
    return PrinterStatus(
        online=online,
        paper_out=paper_out,
        head_open=head_open,
        # ESC/POS reports neither a pause nor a ribbon nor its buffer: unknown, not False.
        paused=None,
        ribbon_out=None,
        buffer_full=None,
        raw=raw,
        reason="; ".join(parts) if parts else "ready",
        paper_near_end=near_end,
    )
