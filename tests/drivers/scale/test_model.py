"""Readings and unit conversion: grams at the resolution the scale displays."""

from __future__ import annotations

import pytest

from drivers.scale.model import CodecError, ScaleState, reading_from_text


@pytest.mark.parametrize(
    ("number", "unit", "grams", "resolution"),
    [
        ("1.234", "kg", 1234.0, 1.0),
        ("1.230", "kg", 1230.0, 1.0),  # trailing zero still counts as a shown decimal
        ("0.5", "kg", 500.0, 100.0),
        ("100.00", "g", 100.0, 0.01),
        ("12", "g", 12.0, 1.0),
        ("1.00", "lb", 453.59237, 4.5359237),
        ("2.5", "oz", 70.8738078125, 2.8349523125),
        ("250", "mg", 0.25, 0.001),
        ("  1.234", "KG", 1234.0, 1.0),
        ("5", "ct", 1.0, 0.2),
    ],
)
def test_converts_to_grams_at_the_display_resolution(number, unit, grams, resolution):
    reading = reading_from_text(ScaleState.STABLE, number, unit, "raw")
    assert reading.state is ScaleState.STABLE
    assert reading.weight_g == pytest.approx(grams, abs=1e-9)
    assert reading.resolution_g == pytest.approx(resolution, abs=1e-12)
    assert reading.unit_raw == unit
    assert reading.stable


def test_a_negative_number_is_a_state_without_weight():
    reading = reading_from_text(ScaleState.STABLE, "-0.120", "kg", "S S -0.120 kg")
    assert reading.state is ScaleState.NEGATIVE
    assert reading.weight_g is None
    assert reading.resolution_g is None
    assert not reading.stable


@pytest.mark.parametrize("number", ["-0", "-0.000", "- 0.0"])
def test_minus_zero_is_negative_not_a_weight_of_zero(number):
    # Found by tests/fuzz: "S S -0.000 kg" (under zero by less than a step) read as 0 g stable.
    reading = reading_from_text(ScaleState.STABLE, number, "kg", f"S S {number} kg")
    assert reading.state is ScaleState.NEGATIVE
    assert reading.weight_g is None


def test_an_unknown_unit_gives_unknown_not_a_wrong_weight():
    reading = reading_from_text(ScaleState.STABLE, "1.5", "dwt", "1.5 dwt")
    assert reading.state is ScaleState.UNKNOWN
    assert reading.weight_g is None
    assert reading.detail == "unit 'dwt' cannot be converted"


# Found by tests/fuzz: Decimal() read exponents and underscores, so "S S 1E999999 g" was a
# stable infinite weight and "1E9999999" raised decimal.Overflow out of the codec.
@pytest.mark.parametrize(
    "number", ["abc", "", "1.2.3", "nan", "inf", "1E999999", "1E9999999", "1E-9999999", "1_0", "."]
)
def test_not_a_number_raises(number):
    with pytest.raises(CodecError):
        reading_from_text(ScaleState.STABLE, number, "kg", number)


def test_moving_keeps_its_value_but_is_not_stable():
    reading = reading_from_text(ScaleState.MOVING, "0.850", "kg", "S D 0.850 kg")
    assert reading.weight_g == 850.0
    assert not reading.stable
