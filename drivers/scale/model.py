"""What a scale says, independent of its protocol: a state, and a weight only when it means one.

A moving, negative, overloaded or faulty scale is reported as that state, never as a weight of
0 g: a zero would be accepted by a weight check and ship the wrong parcel.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Grams per unit. The avoirdupois pound is exact by definition (1959 international yard and
# pound agreement); the ounce is 1/16 of it; the metric carat is 0.2 g.
GRAMS_PER_UNIT: dict[str, Decimal] = {
    "mg": Decimal("0.001"),
    "g": Decimal(1),
    "kg": Decimal(1000),
    "ct": Decimal("0.2"),
    "oz": Decimal("28.349523125"),
    "lb": Decimal("453.59237"),
}


# A number as a scale displays it: optional sign, digits, at most one decimal point.
_DISPLAY_NUMBER = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII)


class ScaleState(enum.StrEnum):
    """What the scale reports about its weight."""

    STABLE = "stable"
    MOVING = "moving"
    NEGATIVE = "negative"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    FAULT = "fault"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScaleReading:
    """One decoded answer of a scale.

    ``weight_g`` is set for STABLE, and for MOVING when the protocol sends the moving value
    (useful for a live display, never for acceptance). It is None for every other state.
    ``resolution_g`` is one step of the display (one unit of the last decimal shown) in grams.
    ``raw`` is the reply as received (for logs and error texts); ``unit_raw`` the unit as the
    scale spelled it, or as configured when the protocol sends none (Toledo 8217).
    ``detail`` says why a state is what it is (``"Error 1b"``, ``"EEPROM error"``).
    """

    state: ScaleState
    weight_g: float | None
    resolution_g: float | None
    raw: str
    net: bool = False
    unit_raw: str | None = None
    detail: str = ""

    @property
    def stable(self) -> bool:
        """True only when the scale itself says the weight is stable."""
        return self.state is ScaleState.STABLE


@dataclass(frozen=True)
class CommandReply:
    """A scale's answer to a command that is not a weight (zero, tare, reset, probe)."""

    ok: bool
    detail: str
    raw: str


class CodecError(ValueError):
    """Bytes that are not a valid reply of the protocol (garbage, a torn frame, wrong protocol)."""


class ScaleError(Exception):
    """A weight could not be read; ``message`` is for people, ``state`` and ``raw`` for logs."""

    def __init__(self, message: str, state: ScaleState = ScaleState.UNKNOWN, raw: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.state = state
        self.raw = raw


def normalise_unit(unit: str) -> str:
    """``"KG"`` -> ``"kg"``, ``"lbs"`` -> ``"lb"``; unknown units pass through lower-cased."""
    lowered = unit.strip().lower()
    return {"lbs": "lb", "gr": "g"}.get(lowered, lowered)


def reading_from_text(
    state: ScaleState,
    number: str,
    unit: str,
    raw: str,
    *,
    net: bool = False,
    detail: str = "",
) -> ScaleReading:
    """A reading from a displayed number and unit, converted to grams at the display's resolution.

    The resolution comes from the decimals shown (``"1.230"`` kg -> 1 g), so trailing zeros
    matter and the number is parsed as a Decimal, not a float. A negative number always
    gives a NEGATIVE reading without a weight. A unit that cannot be converted gives UNKNOWN.
    """
    digits = number.replace(" ", "")
    # Only what a display shows: Decimal() also takes "1E999999" (an infinite float weight),
    # "1E9999999" (decimal.Overflow on conversion) and "1_0" (ten), which no scale sends.
    if _DISPLAY_NUMBER.fullmatch(digits) is None:
        raise CodecError(f"not a number: {number!r}")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:
        raise CodecError(f"not a number: {number!r}") from exc
    unit_key = normalise_unit(unit)
    factor = GRAMS_PER_UNIT.get(unit_key)
    # is_signed, not < 0: "-0.000" is a scale under zero by less than one step, not 0 g.
    if value.is_signed():
        return ScaleReading(ScaleState.NEGATIVE, None, None, raw, net, unit, detail or "below zero")
    if factor is None:
        return ScaleReading(
            ScaleState.UNKNOWN, None, None, raw, net, unit, f"unit {unit!r} cannot be converted"
        )
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite Decimals have an int exponent
    step = Decimal(1).scaleb(min(exponent, 0))
    return ScaleReading(state, float(value * factor), float(step * factor), raw, net, unit, detail)
