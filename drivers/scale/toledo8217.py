"""Mettler Toledo 8217 protocol, as POS scales speak it. Pure: no I/O.

Sources: Mettler Toledo DIVA service manual (8217 status byte table); Odoo's IoT driver
``addons/hw_drivers/iot_handlers/drivers/SerialScaleDriver.py`` (commands, probe, 9600 7E1);
summarised in docs/protocols.md "Scales". Odoo labels status bit 6 "bad command"; the manual says
it is always 1, and reading it as an error would turn every status reply into a fault.

``W`` (no terminator) -> ``<STX>01.234<CR>`` (``N`` before CR for a net weight), or
``<STX>?<status><CR>`` while the weight cannot be given. The reply carries no unit: the scale
is set to lb or kg on its own menu, and the station's configuration must say which.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drivers.scale.frames import FrameSpec
from drivers.scale.model import CodecError, ScaleReading, ScaleState, reading_from_text

STX = b"\x02"
# STX cannot occur inside a reply, so a second one means the first reply was torn.
FRAMING = FrameSpec(start=STX, end=b"\r", resync_on_start=True, max_length=16)

WEIGHT = b"W"
ZERO = b"Z"
TARE = b"T"
CLEAR_TARE = b"C"
PROBE = b"Ehello"  # E starts an echo test; the scale answers <STX>E<CR> and echoes "hello"
PROBE_REPLY = b"\x02E\rhello"
PROBE_END = b"F"  # ends the echo test

_WEIGHT_REPLY = re.compile(rb"\x02(?P<number>[0-9. ]+)(?P<net>N?)\r")
_STATUS_REPLY = re.compile(rb"\x02\?(?P<status>[\x00-\xff])\r", re.DOTALL)


@dataclass(frozen=True)
class Toledo8217Status:
    """The status character of ``<STX>?<c><CR>``, bit by bit."""

    motion: bool = False  # bit 0
    over_capacity: bool = False  # bit 1
    under_zero: bool = False  # bit 2
    outside_zero_range: bool = False  # bit 3: zero could not be captured at power-up
    centre_of_zero: bool = False  # bit 4
    net: bool = False  # bit 5
    # bit 6 is always 1; bit 7 is parity (stripped on a 7E1 line, ignored if it gets through)


def decode_status(char: int) -> Toledo8217Status:
    """Decode the status character. Raises CodecError when bit 6 is not set."""
    if not char & 0x40:
        raise CodecError(f"not an 8217 status character: {char:#04x} (bit 6 must be 1)")
    return Toledo8217Status(
        motion=bool(char & 0x01),
        over_capacity=bool(char & 0x02),
        under_zero=bool(char & 0x04),
        outside_zero_range=bool(char & 0x08),
        centre_of_zero=bool(char & 0x10),
        net=bool(char & 0x20),
    )


def decode(frame: bytes, unit: str) -> ScaleReading:
    """Decode one reply (``<STX>`` ... ``<CR>``); ``unit`` is the unit the scale is set to."""
    raw = frame.strip(b"\x02\r").decode("ascii", errors="backslashreplace")
    if match := _WEIGHT_REPLY.fullmatch(frame):
        number = match["number"].decode("ascii")
        if not any(c.isdigit() for c in number):
            raise CodecError(f"not an 8217 weight: {frame!r}")
        return reading_from_text(ScaleState.STABLE, number, unit, raw, net=bool(match["net"]))
    if match := _STATUS_REPLY.fullmatch(frame):
        return _reading(decode_status(match["status"][0]), raw, unit)
    raise CodecError(f"not an 8217 reply: {frame!r}")


def _reading(status: Toledo8217Status, raw: str, unit: str) -> ScaleReading:
    # The most severe condition wins: a scale both moving and over capacity is over capacity.
    if status.over_capacity:
        state, detail = ScaleState.OVERLOAD, "over capacity"
    elif status.outside_zero_range:
        state, detail = ScaleState.FAULT, "outside the zero capture range"
    elif status.under_zero:
        state, detail = ScaleState.NEGATIVE, "under zero"
    elif status.motion:
        state, detail = ScaleState.MOVING, "in motion"
    else:
        state, detail = ScaleState.UNKNOWN, "status reply without a condition"
    return ScaleReading(state, None, None, raw, status.net, unit, detail)
