"""USB HID point-of-sale scales (usage page 0x8D): Dymo, Stamps.com, Mettler, Fairbanks. Pure.

Sources: USB HID Point of Sale Usage Tables 1.02 (scale data report, status and unit codes);
erjiang/usbscale ``usbscale.c`` and ``scales.h``; summarised in docs/protocols.md "Scales".

Input report: ``[3, status, unit, exponent (signed), weight LSB, weight MSB]``,
weight = le16 * 10**exponent in the report's unit.
"""

from __future__ import annotations

from decimal import Decimal

from drivers.scale.model import CodecError, ScaleReading, ScaleState, reading_from_text

REPORT_ID = 3
ZERO_REPORT = b"\x02\x02"  # output report 2 ("enforced zero return"), value 2: zero the scale

# (vendor id, product id) of known scales, for discovery.
KNOWN_DEVICES: dict[tuple[int, int], str] = {
    (0x0922, 0x8003): "Dymo M10",
    (0x0922, 0x8004): "Dymo M25",
    (0x1446, 0x6A73): "Stamps.com",
    (0x0EB8, 0xF000): "Mettler Toledo",
    (0x0B67, 0x555E): "Fairbanks",
}

UNITS: dict[int, str] = {1: "mg", 2: "g", 3: "kg", 4: "ct", 11: "oz", 12: "lb"}

_STATUS: dict[int, tuple[ScaleState, str]] = {
    1: (ScaleState.FAULT, "fault"),
    2: (ScaleState.STABLE, "stable at zero"),
    3: (ScaleState.MOVING, "in motion"),
    4: (ScaleState.STABLE, ""),
    5: (ScaleState.NEGATIVE, "under zero"),
    6: (ScaleState.OVERLOAD, "over weight"),
    7: (ScaleState.FAULT, "calibration needed"),
    8: (ScaleState.FAULT, "re-zero needed"),
}


def decode(report: bytes | list[int]) -> ScaleReading:
    """Decode one input report. Raises CodecError for a report that is not scale data."""
    data = bytes(report)
    raw = data.hex(" ")
    if len(data) < 6 or data[0] != REPORT_ID:
        raise CodecError(f"not a scale data report: {raw}")
    status, unit_code, exponent_byte = data[1], data[2], data[3]
    if status not in _STATUS:
        raise CodecError(f"unknown scale status {status} in {raw}")
    state, detail = _STATUS[status]
    unit = UNITS.get(unit_code, f"unit code {unit_code}")
    if state not in (ScaleState.STABLE, ScaleState.MOVING):
        return ScaleReading(state, None, None, raw, unit_raw=unit, detail=detail)
    exponent = exponent_byte - 256 if exponent_byte > 127 else exponent_byte
    value = Decimal(int.from_bytes(data[4:6], "little")).scaleb(exponent)
    # Format with the exponent's decimals so the resolution is 10**exponent, as the scale says.
    number = f"{value:.{max(-exponent, 0)}f}"
    return reading_from_text(state, number, unit, raw, detail=detail)
