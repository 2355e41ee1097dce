"""MT-SICS level 0/1, by exact bytes."""

from __future__ import annotations

import pytest

from drivers.scale import mtsics
from drivers.scale.model import CodecError, CommandReply, ScaleReading, ScaleState


def test_commands_are_upper_case_and_end_in_cr_lf():
    assert mtsics.STABLE_WEIGHT == b"S\r\n"
    assert mtsics.IMMEDIATE_WEIGHT == b"SI\r\n"
    assert mtsics.ZERO == b"Z\r\n"
    assert mtsics.TARE == b"T\r\n"
    assert mtsics.CLEAR_TARE == b"TAC\r\n"
    assert mtsics.RESET == b"@\r\n"


def weight(frame: bytes) -> ScaleReading:
    reply = mtsics.decode(frame)
    assert isinstance(reply, ScaleReading)
    return reply


def test_stable_weight():
    reading = weight(b"S S     100.00 g\r\n")
    assert reading == ScaleReading(
        ScaleState.STABLE, 100.0, 0.01, "S S     100.00 g", net=False, unit_raw="g"
    )


def test_stable_weight_in_kilograms():
    reading = weight(b"S S      1.234 kg\r\n")
    assert (reading.state, reading.weight_g, reading.resolution_g) == (
        ScaleState.STABLE,
        1234.0,
        1.0,
    )


def test_dynamic_weight_is_moving_with_its_value():
    reading = weight(b"S D     99.50 g\r\n")
    assert reading.state is ScaleState.MOVING
    assert reading.weight_g == 99.5
    assert not reading.stable


def test_negative_weight_is_negative_without_weight():
    reading = weight(b"S S     -12.34 g\r\n")
    assert (reading.state, reading.weight_g) == (ScaleState.NEGATIVE, None)


def test_moving_below_zero_is_negative():
    assert weight(b"S D -0.5 g\r\n").state is ScaleState.NEGATIVE


@pytest.mark.parametrize(
    ("frame", "state", "detail"),
    [
        (b"S +\r\n", ScaleState.OVERLOAD, "upper limit of the weighing range exceeded"),
        (b"S -\r\n", ScaleState.UNDERLOAD, "lower limit of the weighing range exceeded"),
        (
            b"S I\r\n",
            ScaleState.UNKNOWN,
            "not executable: the scale is busy or did not settle in time",
        ),
        (b"S S Error 1b\r\n", ScaleState.FAULT, "Error 1b"),
        (b"S S Error 10t\r\n", ScaleState.FAULT, "Error 10t"),
    ],
)
def test_states_without_weight(frame, state, detail):
    reading = weight(frame)
    assert (reading.state, reading.weight_g, reading.detail) == (state, None, detail)
    assert reading.raw == frame.decode().strip()


@pytest.mark.parametrize(
    ("frame", "detail"),
    [
        (b"ES\r\n", "syntax error: the scale did not recognise the command (ES)"),
        (b"ET\r\n", "transmission error: the scale received a corrupted command (ET)"),
        (b"EL\r\n", "logical error: the command cannot be executed (EL)"),
    ],
)
def test_error_replies(frame, detail):
    assert mtsics.decode(frame) == CommandReply(False, detail, frame.decode().strip())


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (b"Z A\r\n", CommandReply(True, "", "Z A")),
        (
            b"Z I\r\n",
            CommandReply(
                False, "not executable: the scale is busy or did not settle in time", "Z I"
            ),
        ),
        (b"Z +\r\n", CommandReply(False, "upper limit of the weighing range exceeded", "Z +")),
        (b"Z -\r\n", CommandReply(False, "lower limit of the weighing range exceeded", "Z -")),
        (b"T S     100.00 g\r\n", CommandReply(True, "tare 100.00 g", "T S     100.00 g")),
        (
            b"T I\r\n",
            CommandReply(
                False, "not executable: the scale is busy or did not settle in time", "T I"
            ),
        ),
        (b"TAC A\r\n", CommandReply(True, "", "TAC A")),
        (b'I4 A "B021002593"\r\n', CommandReply(True, "B021002593", 'I4 A "B021002593"')),
    ],
)
def test_acknowledgements(frame, expected):
    assert mtsics.decode(frame) == expected


@pytest.mark.parametrize(
    "frame", [b"\r\n", b"00.00 g\r\n", b"S X 1 g\r\n", b"S S 1\r\n", b"Q A\r\n", b"\xff\r\n"]
)
def test_anything_else_is_a_codec_error(frame):
    with pytest.raises(CodecError):
        mtsics.decode(frame)
