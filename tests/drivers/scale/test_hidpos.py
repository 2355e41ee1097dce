"""USB HID POS scale reports, by value."""

from __future__ import annotations

import pytest

from drivers.scale import hidpos
from drivers.scale.model import CodecError, ScaleState


def test_zero_output_report():
    assert hidpos.ZERO_REPORT == b"\x02\x02"


def test_stable_grams():
    got = hidpos.decode([3, 4, 2, 0, 0xE8, 0x03])  # 1000 g
    assert (got.state, got.weight_g, got.resolution_g, got.unit_raw) == (
        ScaleState.STABLE,
        1000.0,
        1.0,
        "g",
    )
    assert got.raw == "03 04 02 00 e8 03"


def test_signed_exponent_in_ounces():
    got = hidpos.decode(bytes([3, 4, 11, 0xFF, 0x30, 0x00]))  # 48 * 10**-1 = 4.8 oz
    assert got.weight_g == pytest.approx(4.8 * 28.349523125)
    assert got.resolution_g == pytest.approx(2.8349523125)
    assert got.unit_raw == "oz"


def test_pounds_and_kilograms():
    assert hidpos.decode([3, 4, 12, 0xFE, 0x64, 0x00]).weight_g == pytest.approx(453.59237)
    assert hidpos.decode([3, 4, 3, 0xFD, 0xD2, 0x04]).weight_g == pytest.approx(1234.0)


def test_stable_at_zero():
    got = hidpos.decode([3, 2, 2, 0, 0, 0])
    assert (got.state, got.weight_g, got.detail) == (ScaleState.STABLE, 0.0, "stable at zero")


def test_in_motion_carries_its_value():
    got = hidpos.decode([3, 3, 2, 0, 0x10, 0x00])
    assert (got.state, got.weight_g, got.stable) == (ScaleState.MOVING, 16.0, False)


@pytest.mark.parametrize(
    ("status", "state", "detail"),
    [
        (1, ScaleState.FAULT, "fault"),
        (5, ScaleState.NEGATIVE, "under zero"),
        (6, ScaleState.OVERLOAD, "over weight"),
        (7, ScaleState.FAULT, "calibration needed"),
        (8, ScaleState.FAULT, "re-zero needed"),
    ],
)
def test_states_without_weight(status, state, detail):
    got = hidpos.decode([3, status, 2, 0, 0x10, 0x00])
    assert (got.state, got.weight_g, got.detail) == (state, None, detail)


def test_an_unknown_unit_code_is_unknown_not_a_wrong_weight():
    got = hidpos.decode([3, 4, 9, 0, 1, 0])
    assert (got.state, got.weight_g, got.unit_raw) == (ScaleState.UNKNOWN, None, "unit code 9")


@pytest.mark.parametrize(
    "report", [[3, 4, 2, 0, 0], [4, 4, 2, 0, 0, 0], [3, 0, 2, 0, 0, 0], [3, 9, 2, 0, 0, 0]]
)
def test_not_scale_data(report):
    with pytest.raises(CodecError):
        hidpos.decode(report)
