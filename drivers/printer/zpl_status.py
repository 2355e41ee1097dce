"""Pure parser for a Zebra's ``~HS`` (host status) answer. No I/O.

The answer is three lines, each ``<STX>fields<ETX><CR><LF>`` (ZPL II Programming Guide
45541L p.171-172, docs.zebra.com ``~HS``):

1. ``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l``: b paper out, c paused, dddd label length,
   eee formats in buffer, f buffer full, g diagnostic mode, h partial format, iii unused,
   j corrupt RAM, k under temperature, l over temperature.
2. ``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www``: o head up, p ribbon out, q thermal transfer,
   r print mode, s print width, t label waiting, u labels remaining, v always 1,
   www graphics stored.
3. ``xxxx,y``: password, static RAM installed.

A Zebra may not answer at all while media is out or the head is open, so silence is
"unknown, maybe in error", and a torn or garbled answer keeps whatever it proved and says
what is missing. Nothing here raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drivers.printer.model import PrinterStatus, unknown_status

HOST_STATUS_QUERY = b"~HS"
LINE_END = b"\x03\r\n"
NO_ANSWER_REASON = "no answer to ~HS (printer may be in error)"
_STX, _ETX = "\x02", "\x03"
# Fewer fields than this and the flags we read are not there; clones may append more.
_MIN_FIELDS = (12, 11, 2)
# A Zebra sends bare ASCII digits. str.isdigit() and str.strip() would let line noise through
# ("\xb2" is a digit to Python, "\x85" and "\x1c" are whitespace), turning a garbled answer
# into a clean "ready".
_DIGITS = re.compile(r"[0-9]+")


def answer_complete(data: bytes) -> bool:
    """True once all three lines have arrived with their terminators."""
    return data.count(LINE_END) >= 3


def no_answer_status() -> PrinterStatus:
    """The status for a time-out: nothing known, and a reason that does not say "fine"."""
    return unknown_status(NO_ANSWER_REASON)


@dataclass(frozen=True)
class _Frames:
    lines: list[str]  # complete <STX>...<ETX> bodies, in order
    torn: bool  # an <STX> without its <ETX>
    stray: bool  # bytes outside frames other than CR/LF


def _split_frames(text: str) -> _Frames:
    lines: list[str] = []
    torn = stray = False
    rest = text
    while rest:
        start = rest.find(_STX)
        before = rest if start < 0 else rest[:start]
        if before.strip("\r\n"):
            stray = True
        if start < 0:
            break
        end = rest.find(_ETX, start + 1)
        restart = rest.find(_STX, start + 1)
        if end < 0 or 0 <= restart < end:
            # A frame cut off, perhaps followed by a fresh one: keep scanning after it.
            torn = True
            if restart < 0:
                break
            rest = rest[restart:]
            continue
        lines.append(rest[start + 1 : end])
        rest = rest[end + 1 :]
    return _Frames(lines, torn, stray)


def _fields(line: str, index: int) -> list[str] | None:
    fields = line.split(",")
    if len(fields) < _MIN_FIELDS[index] or not all(_DIGITS.fullmatch(f) for f in fields):
        return None
    return fields


def _flag(value: str) -> bool | None:
    return {"0": False, "1": True}.get(value)


def parse_host_status(data: bytes) -> PrinterStatus:
    """Read a ``~HS`` answer (possibly torn or garbled) into a :class:`PrinterStatus`."""
    if not data:
        return no_answer_status()
    text = data.decode("latin-1")
    frames = _split_frames(text)
    line1 = _fields(frames.lines[0], 0) if len(frames.lines) > 0 else None
    line2 = _fields(frames.lines[1], 1) if len(frames.lines) > 1 else None
    line3 = _fields(frames.lines[2], 2) if len(frames.lines) > 2 else None

    paper_out = paused = buffer_full = head_open = ribbon_out = None
    notes: list[str] = []
    other_blocking = False
    if line1 is not None:
        paper_out, paused, buffer_full = _flag(line1[1]), _flag(line1[2]), _flag(line1[5])
        corrupt_ram, too_cold, too_hot = _flag(line1[9]), _flag(line1[10]), _flag(line1[11])
        if buffer_full:
            notes.append("receive buffer full")
        if corrupt_ram:
            notes.append("corrupt RAM (configuration lost)")
        if too_hot:
            notes.append("print head too hot")
        if too_cold:
            notes.append("print head too cold")
        other_blocking = bool(corrupt_ram or too_hot)
    if line2 is not None:
        head_open, ribbon_out = _flag(line2[2]), _flag(line2[3])
        if _flag(line2[7]):
            notes.append("label waiting to be taken")

    problems = _problems(paper_out, head_open, paused, ribbon_out) + notes
    cause = _incompleteness(frames, line1, line2, line3)
    flags = (paper_out, head_open, paused, ribbon_out)
    if any(flags) or other_blocking:
        online: bool | None = False
    elif cause is None and all(f is not None for f in flags):
        online = True
    else:
        online = None

    parts = problems if problems else ([] if cause else ["ready"])
    if cause:
        parts.append(cause)
    return PrinterStatus(
        online=online,
        paper_out=paper_out,
        head_open=head_open,
        paused=paused,
        ribbon_out=ribbon_out,
        buffer_full=buffer_full,
        raw=text,
        reason="; ".join(parts),
    )


def _problems(
    paper_out: bool | None, head_open: bool | None, paused: bool | None, ribbon_out: bool | None
) -> list[str]:
    named = [
        ("paper out", paper_out),
        ("print head open", head_open),
        ("paused", paused),
        ("ribbon out", ribbon_out),
    ]
    return [text for text, flag in named if flag]


def _incompleteness(
    frames: _Frames, line1: list[str] | None, line2: list[str] | None, line3: list[str] | None
) -> str | None:
    """Why the answer cannot be fully trusted, or None when it is whole and well formed."""
    got = len(frames.lines)
    if got == 0 and not frames.torn:
        return "unreadable answer to ~HS (no <STX>...<ETX> line)"
    unreadable = [
        str(n)
        for n, (present, parsed) in enumerate(
            [(got > 0, line1), (got > 1, line2), (got > 2, line3)], start=1
        )
        if present and parsed is None
    ]
    if unreadable:
        return f"unreadable line {', '.join(unreadable)} in answer to ~HS"
    if got > 3:
        return f"{got} lines instead of 3 in answer to ~HS (stale or mixed answers)"
    if got < 3 or frames.torn:
        return f"answer to ~HS cut off after {got} of 3 lines"
    if frames.stray:
        return "unexpected bytes around the answer to ~HS"
    return None
