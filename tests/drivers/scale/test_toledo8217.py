"""Mettler Toledo 8217, by exact bytes and every status bit."""

from __future__ import annotations

import pytest

from drivers.scale import toledo8217
from drivers.scale.model import CodecError, ScaleReading, ScaleState


def test_commands_have_no_terminator():
    assert (toledo8217.WEIGHT, toledo8217.ZERO, toledo8217.TARE, toledo8217.CLEAR_TARE) == (
        b"W",
        b"Z",
        b"T",
        b"C",
    )
    assert (toledo8217.PROBE, toledo8217.PROBE_REPLY, toledo8217.PROBE_END) == (
        b"Ehello",
        b"\x02E\rhello",
        b"F",
    )


def test_weight_reply_takes_the_configured_unit():
    assert toledo8217.decode(b"\x0201.234\r", "kg") == ScaleReading(
        ScaleState.STABLE, 1234.0, 1.0, "01.234", net=False, unit_raw="kg"
    )
    in_pounds = toledo8217.decode(b"\x0201.234\r", "lb")
    assert in_pounds.weight_g == pytest.approx(559.73298458)
    assert in_pounds.resolution_g == pytest.approx(0.45359237)


def test_net_weight_reply():
    got = toledo8217.decode(b"\x0200.500N\r", "kg")
    assert (got.state, got.weight_g, got.net) == (ScaleState.STABLE, 500.0, True)


@pytest.mark.parametrize(
    ("char", "field"),
    [
        (0x41, "motion"),
        (0x42, "over_capacity"),
        (0x44, "under_zero"),
        (0x48, "outside_zero_range"),
        (0x50, "centre_of_zero"),
        (0x60, "net"),
    ],
)
def test_each_status_bit(char, field):
    decoded = toledo8217.decode_status(char)
    assert {name for name, value in vars(decoded).items() if value} == {field}


def test_bit_6_alone_means_no_condition_not_bad_command():
    # Odoo reads bit 6 as "bad command"; the manual says it is always 1.
    assert not any(vars(toledo8217.decode_status(0x40)).values())


def test_bit_7_parity_is_ignored():
    assert toledo8217.decode_status(0x41 | 0x80) == toledo8217.decode_status(0x41)


def test_a_status_char_without_bit_6_is_rejected():
    with pytest.raises(CodecError):
        toledo8217.decode_status(0x01)


@pytest.mark.parametrize(
    ("frame", "state", "detail"),
    [
        (b"\x02?A\r", ScaleState.MOVING, "in motion"),
        (b"\x02?B\r", ScaleState.OVERLOAD, "over capacity"),
        (b"\x02?D\r", ScaleState.NEGATIVE, "under zero"),
        (b"\x02?H\r", ScaleState.FAULT, "outside the zero capture range"),
        (b"\x02?P\r", ScaleState.UNKNOWN, "status reply without a condition"),
        (b"\x02?C\r", ScaleState.OVERLOAD, "over capacity"),  # moving and over: over wins
        (b"\x02?E\r", ScaleState.NEGATIVE, "under zero"),  # moving and under zero
        (b"\x02?\xc1\r", ScaleState.MOVING, "in motion"),  # parity bit set on an 8-bit line
    ],
)
def test_status_replies_are_states_without_weight(frame, state, detail):
    got = toledo8217.decode(frame, "lb")
    assert (got.state, got.weight_g, got.detail, got.unit_raw) == (state, None, detail, "lb")


def test_net_bit_in_a_status_reply():
    assert toledo8217.decode(b"\x02?a\r", "kg").net  # 0x61: motion + net


@pytest.mark.parametrize("frame", [b"\x02\r", b"\x02..\r", b"\x02?\r", b"\x02?\x01\r", b"01.0\r"])
def test_garbage_is_a_codec_error(frame):
    with pytest.raises(CodecError):
        toledo8217.decode(frame, "kg")
