"""NCI / Avery Weigh-Tronix / Brecknell "ECR" serial protocol (SCP-01). Pure: no I/O.

Sources: Avery Weigh-Tronix 7821 user instructions p.25, NCI 7800 user's manual p.32,
Salter Brecknell 3700LP manual p.11, Mettler Toledo DIVA service manual 6.1.1 (NCI-ECR:
seven data bits, one stop bit, configurable parity; status-only reply to ``W`` when the weight
is negative, moving, out of capacity or in zero error; some models prefix the status with
``S`` and send upper-case units); summarised in docs/protocols.md "Scales".

``W<CR>`` -> ``<LF>xxxx.xxuu<CR><LF>hh<CR><ETX>``; ``S<CR>`` and ``Z<CR>`` -> ``<LF>hh<CR><ETX>``;
``H<CR>`` is ``W`` at ten times the resolution; an unknown command -> ``<LF>?<CR><ETX>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drivers.scale.frames import FrameSpec
from drivers.scale.model import (
    CodecError,
    CommandReply,
    ScaleReading,
    ScaleState,
    reading_from_text,
)

FRAMING = FrameSpec(start=b"\n", end=b"\x03")

WEIGHT = b"W\r"
STATUS = b"S\r"  # also the probe: any scale speaking NCI answers with its status
ZERO = b"Z\r"
HIGH_RESOLUTION = b"H\r"

_WEIGHT_FRAME = re.compile(rb"\n(?P<weight>[^\r\n]+)\r\n(?P<status>[^\r\n]+)\r\x03")
_STATUS_FRAME = re.compile(rb"\n(?P<status>[^\r\n]+)\r\x03")
_WEIGHT_FIELD = re.compile(r"(?P<number>-?[0-9]*\.?[0-9]+)(?P<unit>[A-Za-z]+)")
_UNKNOWN_COMMAND = b"\n?\r\x03"


@dataclass(frozen=True)
class NciStatus:
    """The status bytes, bit by bit (bit 7 of each is parity and ignored)."""

    motion: bool = False  # byte 1 bit 0
    at_zero: bool = False  # byte 1 bit 1
    ram_error: bool = False  # byte 1 bit 2
    eeprom_error: bool = False  # byte 1 bit 3
    under_capacity: bool = False  # byte 2 bit 0
    over_capacity: bool = False  # byte 2 bit 1
    rom_error: bool = False  # byte 2 bit 2
    faulty_calibration: bool = False  # byte 2 bit 3
    net: bool = False  # byte 3 bit 2
    initial_zero_error: bool = False  # byte 3 bit 3

    @property
    def faults(self) -> list[str]:
        """The hardware faults set, in words."""
        names = {
            "RAM error": self.ram_error,
            "EEPROM error": self.eeprom_error,
            "ROM error": self.rom_error,
            "faulty calibration": self.faulty_calibration,
            "initial zero error": self.initial_zero_error,
        }
        return [name for name, on in names.items() if on]


def decode_status(data: bytes) -> NciStatus:
    """Decode two or more status bytes; an optional leading ``S`` (DIVA variant) is skipped.

    Bits 4 and 5 are always 1 in every status byte, which tells status bytes from noise.
    Byte 2 bit 6 announces byte 3 (net weight, initial zero error).
    """
    if data[:1] == b"S":
        data = data[1:]
    values = [b & 0x7F for b in data]
    if len(values) < 2 or any(v & 0x30 != 0x30 for v in values):
        raise CodecError(f"not NCI status bytes: {data!r}")
    first, second = values[0], values[1]
    third = values[2] if second & 0x40 and len(values) >= 3 else 0
    if second & 0x40 and len(values) < 3:
        raise CodecError(f"status byte 3 announced but missing: {data!r}")
    return NciStatus(
        motion=bool(first & 0x01),
        at_zero=bool(first & 0x02),
        ram_error=bool(first & 0x04),
        eeprom_error=bool(first & 0x08),
        under_capacity=bool(second & 0x01),
        over_capacity=bool(second & 0x02),
        rom_error=bool(second & 0x04),
        faulty_calibration=bool(second & 0x08),
        net=bool(third & 0x04),
        initial_zero_error=bool(third & 0x08),
    )


def decode(frame: bytes) -> ScaleReading | CommandReply:
    """Decode one frame (``<LF>`` ... ``<ETX>``) into a reading, or a CommandReply for ``?``.

    A status-only frame gives a reading without weight. Raises CodecError for anything else.
    """
    if frame == _UNKNOWN_COMMAND:
        return CommandReply(False, "the scale did not recognise the command (?)", "?")
    raw = frame.strip(b"\n\r\x03").decode("ascii", errors="backslashreplace")
    if match := _WEIGHT_FRAME.fullmatch(frame):
        status = decode_status(match["status"])
        return _reading(status, match["weight"].decode("ascii", errors="replace"), raw)
    if match := _STATUS_FRAME.fullmatch(frame):
        return _reading(decode_status(match["status"]), None, raw)
    raise CodecError(f"not an NCI reply: {frame!r}")


def _reading(status: NciStatus, weight: str | None, raw: str) -> ScaleReading:
    def without_weight(state: ScaleState, detail: str) -> ScaleReading:
        return ScaleReading(state, None, None, raw, status.net, None, detail)

    if status.faults:
        return without_weight(ScaleState.FAULT, ", ".join(status.faults))
    if status.over_capacity:
        return without_weight(ScaleState.OVERLOAD, "over capacity")
    if status.under_capacity:
        return without_weight(ScaleState.UNDERLOAD, "under capacity")
    state = ScaleState.MOVING if status.motion else ScaleState.STABLE
    if weight is None:
        if status.motion:
            return without_weight(ScaleState.MOVING, "in motion")
        return without_weight(ScaleState.UNKNOWN, "at zero" if status.at_zero else "no weight")
    # Some models pad with spaces or underscores ("_1234g_"); the lb-oz format is not decoded.
    match = _WEIGHT_FIELD.fullmatch(weight.replace(" ", "").replace("_", ""))
    if match is None:
        return without_weight(ScaleState.UNKNOWN, f"weight field not understood: {weight!r}")
    return reading_from_text(state, match["number"], match["unit"], raw, net=status.net)
