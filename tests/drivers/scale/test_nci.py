"""NCI / Avery Weigh-Tronix / Brecknell ECR protocol, by exact bytes and every status bit."""

from __future__ import annotations

import pytest

from drivers.scale import nci
from drivers.scale.model import CodecError, CommandReply, ScaleReading, ScaleState


def test_commands():
    assert (nci.WEIGHT, nci.STATUS, nci.ZERO, nci.HIGH_RESOLUTION) == (
        b"W\r",
        b"S\r",
        b"Z\r",
        b"H\r",
    )


def reading(frame: bytes) -> ScaleReading:
    reply = nci.decode(frame)
    assert isinstance(reply, ScaleReading)
    return reply


def test_weight_reply():
    assert reading(b"\n  1.234kg\r\n00\r\x03") == ScaleReading(
        ScaleState.STABLE, 1234.0, 1.0, "  1.234kg\r\n00", net=False, unit_raw="kg"
    )


def test_weight_in_pounds_with_upper_case_unit_and_s_prefixed_status():
    # DIVA variant: upper-case units and "S" before the status bytes.
    got = reading(b"\n0001.50LB\r\nS00\r\x03")
    assert (got.state, got.unit_raw) == (ScaleState.STABLE, "LB")
    assert got.weight_g == pytest.approx(680.388555)
    assert got.resolution_g == pytest.approx(4.5359237)


def test_grams_padded_with_underscores():
    got = reading(b"\n_1234g_\r\n00\r\x03")
    assert (got.weight_g, got.resolution_g) == (1234.0, 1.0)


def test_high_resolution_reply_has_one_more_decimal():
    assert reading(b"\n  1.2345kg\r\n00\r\x03").resolution_g == pytest.approx(0.1)


def test_motion_bit_with_a_weight_is_moving_with_its_value():
    got = reading(b"\n  0.850kg\r\n10\r\x03")
    assert (got.state, got.weight_g) == (ScaleState.MOVING, 850.0)


def test_motion_status_only_is_moving_without_weight():
    got = reading(b"\n10\r\x03")
    assert (got.state, got.weight_g, got.detail) == (ScaleState.MOVING, None, "in motion")


def test_minus_sign_in_the_weight_is_negative():
    got = reading(b"\n -0.120kg\r\n00\r\x03")
    assert (got.state, got.weight_g) == (ScaleState.NEGATIVE, None)


@pytest.mark.parametrize(
    ("status", "field"),
    [
        (b"10", "motion"),
        (b"20", "at_zero"),
        (b"40", "ram_error"),
        (b"80", "eeprom_error"),
        (b"01", "under_capacity"),
        (b"02", "over_capacity"),
        (b"04", "rom_error"),
        (b"08", "faulty_calibration"),
        (b"0p4", "net"),  # byte 2 bit 6 announces byte 3; byte 3 bit 2 = 0x34 "4"
        (b"0p8", "initial_zero_error"),
    ],
)
def test_each_status_bit(status, field):
    # bytes are 0x30 | bits; "p" is 0x70 = 0x30 | bit 6 (another byte follows)
    decoded = nci.decode_status(status)
    set_fields = {name for name, value in vars(decoded).items() if value}
    assert set_fields == {field}


def test_parity_bit_is_ignored():
    assert nci.decode_status(bytes((0x31 | 0x80, 0x30))).motion


def test_status_without_the_always_set_bits_is_not_status():
    with pytest.raises(CodecError):
        nci.decode_status(b"\x01\x30")


def test_announced_third_byte_missing_is_an_error():
    with pytest.raises(CodecError):
        nci.decode_status(b"0p")


@pytest.mark.parametrize(
    ("frame", "state", "detail"),
    [
        (b"\n02\r\x03", ScaleState.OVERLOAD, "over capacity"),
        (b"\n01\r\x03", ScaleState.UNDERLOAD, "under capacity"),
        (b"\n40\r\x03", ScaleState.FAULT, "RAM error"),
        (b"\n80\r\x03", ScaleState.FAULT, "EEPROM error"),
        (b"\n04\r\x03", ScaleState.FAULT, "ROM error"),
        (b"\n08\r\x03", ScaleState.FAULT, "faulty calibration"),
        (b"\n0p8\r\x03", ScaleState.FAULT, "initial zero error"),
        (b"\n<4\r\x03", ScaleState.FAULT, "RAM error, EEPROM error, ROM error"),
        (b"\n20\r\x03", ScaleState.UNKNOWN, "at zero"),
        (b"\n00\r\x03", ScaleState.UNKNOWN, "no weight"),
    ],
)
def test_status_only_frames(frame, state, detail):
    got = reading(frame)
    assert (got.state, got.weight_g, got.detail) == (state, None, detail)


def test_a_fault_wins_over_a_weight():
    got = reading(b"\n  1.234kg\r\n80\r\x03")
    assert (got.state, got.weight_g) == (ScaleState.FAULT, None)


def test_net_flag_from_status_byte_3():
    assert reading(b"\n  1.234kg\r\n0p4\r\x03").net


def test_unknown_command_reply():
    assert nci.decode(b"\n?\r\x03") == CommandReply(
        False, "the scale did not recognise the command (?)", "?"
    )


def test_lb_oz_format_is_unknown_not_a_wrong_weight():
    got = reading(b"\n1LB 2.5OZ\r\n00\r\x03")
    assert (got.state, got.weight_g) == (ScaleState.UNKNOWN, None)


@pytest.mark.parametrize("frame", [b"\n\x03", b"\nxx\r\x03", b"  1.234kg\r\n00\r\x03", b"\n00\x03"])
def test_garbage_is_a_codec_error(frame):
    with pytest.raises(CodecError):
        nci.decode(frame)
