"""read_weight and probe, the synchronous helpers the command line uses, against emulators."""

from __future__ import annotations

import pytest

from drivers.scale.driver import ScaleConfig
from drivers.scale.model import ScaleError, ScaleState
from drivers.scale.oneshot import probe, read_weight


def config(port: str, protocol: str, unit: str | None = "kg") -> ScaleConfig:
    return ScaleConfig(port, protocol, unit=unit, poll_interval_s=0.02, reply_timeout_s=0.3)


@pytest.mark.parametrize("protocol", ["mtsics", "nci", "8217"])
def test_reads_a_stable_weight(protocol, emulators):
    emulator = emulators(protocol, weight="1.234")
    reading = read_weight(config(emulator.port, protocol), stable=True, timeout_s=2.0)
    assert (reading.state, reading.weight_g, reading.resolution_g) == (
        ScaleState.STABLE,
        1234.0,
        1.0,
    )
    assert len(emulator.commands) == 3  # the stable rule wants three agreeing readings


# What each protocol's scale sends when a glitch hits one exchange: noise in place of the
# reply, or the command arriving corrupted (MT-SICS "ES"/"ET", NCI "?").
GLITCHES = [
    ("mtsics", b"\xff\x00#@!"),
    ("mtsics", b"ET\r\n"),
    ("mtsics", b"ES\r\n"),
    ("nci", b"\xff\x00#@!"),
    ("nci", b"\n?\r\x03"),
    ("nci", b"\n1.2\r\x03"),
    ("8217", b"\xff\x00#@!"),
    ("8217", b"\x02?\x00\r"),
]


@pytest.mark.parametrize(("protocol", "noise"), GLITCHES)
@pytest.mark.parametrize("stable", [True, False])
def test_a_glitch_is_asked_again_until_the_time_out(protocol, noise, stable, emulators):
    emulator = emulators(protocol, weight="1.234")
    emulator.glitch(noise)
    reading = read_weight(config(emulator.port, protocol), stable=stable, timeout_s=5.0)
    assert (reading.state, reading.weight_g) == (ScaleState.STABLE, 1234.0)
    assert len(emulator.commands) == (4 if stable else 2)


def test_glitches_until_the_time_out_say_how_often_the_scale_was_asked(emulators):
    emulator = emulators("mtsics")
    emulator.glitch(b"ET\r\n", times=100)
    with pytest.raises(ScaleError) as caught:
        read_weight(config(emulator.port, "mtsics"), stable=False, timeout_s=0.5)
    asked = len(emulator.commands)
    assert asked >= 2
    assert caught.value.message == (
        "the scale refused the weight request: transmission error: the scale received a "
        f"corrupted command (ET) (asked {asked} times in 0.5 s)"
    )


def test_the_8217_takes_its_unit_from_configuration(emulators):
    emulator = emulators("8217", weight="2.00")
    reading = read_weight(config(emulator.port, "8217", unit="lb"), stable=False, timeout_s=1.0)
    assert reading.weight_g == pytest.approx(907.18474)
    assert reading.unit_raw == "lb"
    assert emulator.commands == [b"W"]


def test_the_8217_without_a_unit_is_refused_before_any_io():
    with pytest.raises(ValueError, match="the 8217 protocol sends no unit"):
        read_weight(config("/dev/null", "8217", unit=None), stable=False, timeout_s=1.0)


def test_without_stable_a_moving_reading_is_returned_as_it_is(emulators):
    emulator = emulators("mtsics", weight="0.500")
    emulator.set_moving()
    reading = read_weight(config(emulator.port, "mtsics"), stable=False, timeout_s=1.0)
    assert (reading.state, reading.weight_g, reading.stable) == (ScaleState.MOVING, 500.0, False)


def test_with_stable_a_scale_that_keeps_moving_times_out(emulators):
    emulator = emulators("mtsics", weight="0.500")
    emulator.set_moving()
    with pytest.raises(ScaleError) as caught:
        read_weight(config(emulator.port, "mtsics"), stable=True, timeout_s=0.2)
    assert caught.value.message == "no stable weight within 0.2 s (last reading: moving)"
    assert caught.value.state is ScaleState.MOVING


@pytest.mark.parametrize(
    ("protocol", "make_state", "message", "state"),
    [
        (
            "mtsics",
            "set_overload",
            "the scale is overloaded (upper limit of the weighing range exceeded)",
            ScaleState.OVERLOAD,
        ),
        ("nci", "set_overload", "the scale is overloaded (over capacity)", ScaleState.OVERLOAD),
        (
            "nci",
            "set_underload",
            "the scale is under its range (is the platter on?) (under capacity)",
            ScaleState.UNDERLOAD,
        ),
        ("mtsics", "set_fault", "the scale reports a fault (Error 1b)", ScaleState.FAULT),
        ("nci", "set_fault", "the scale reports a fault (EEPROM error)", ScaleState.FAULT),
        (
            "8217",
            "set_fault",
            "the scale reports a fault (outside the zero capture range)",
            ScaleState.FAULT,
        ),
    ],
)
def test_overload_underload_and_fault_raise(protocol, make_state, message, state, emulators):
    emulator = emulators(protocol)
    getattr(emulator, make_state)()
    with pytest.raises(ScaleError) as caught:
        read_weight(config(emulator.port, protocol), stable=True, timeout_s=1.0)
    assert (caught.value.message, caught.value.state) == (message, state)
    assert caught.value.raw != ""


def test_no_answer(emulators):
    emulator = emulators("mtsics")
    emulator.set_silent(True)
    with pytest.raises(ScaleError) as caught:
        read_weight(config(emulator.port, "mtsics"), stable=False, timeout_s=1.0)
    assert caught.value.message == (
        f"no answer from the scale on {emulator.port} (mtsics) to b'SI\\r\\n' within 0.3 s: "
        "check the cable, the power and that the scale is in this protocol's mode"
        f" (asked {len(emulator.commands)} times in 1 s)"
    )


def test_only_garbage(emulators):
    # An NCI scale asked in MT-SICS answers "?" frames whose ETX no MT-SICS line can hold.
    emulator = emulators("nci")
    with pytest.raises(ScaleError) as caught:
        read_weight(config(emulator.port, "mtsics"), stable=False, timeout_s=1.0)
    assert caught.value.message == (
        f"only unreadable bytes from the scale on {emulator.port} (mtsics) within 0.3 s "
        "(b'\\n?\\r\\x03'): check the protocol and the baud rate"
        f" (asked {len(emulator.commands)} times in 1 s)"
    )
    assert caught.value.raw == "\n?\r\x03"


def test_a_missing_port(tmp_path):
    with pytest.raises(ScaleError, match=r"^cannot open port .*/absent: "):
        read_weight(config(str(tmp_path / "absent"), "mtsics"), stable=False, timeout_s=1.0)


@pytest.mark.parametrize("protocol", ["mtsics", "nci", "8217"])
def test_probe_finds_the_protocol(protocol, emulators):
    emulator = emulators(protocol)
    assert probe(emulator.port, timeout_s=0.3) == protocol


def test_probe_of_the_8217_ends_its_echo_test(emulators):
    emulator = emulators("8217")
    assert probe(emulator.port, timeout_s=0.3) == "8217"
    assert emulator.wait_for_command(b"F")
    # out of echo mode: W is a weight request again
    reading = read_weight(config(emulator.port, "8217"), stable=False, timeout_s=1.0)
    assert reading.weight_g == 1234.0


def test_probe_of_a_silent_port_is_none(emulators):
    emulator = emulators("mtsics")
    emulator.set_silent(True)
    assert probe(emulator.port, timeout_s=0.1) is None
    # every protocol's probe was tried
    assert emulator.commands == [b"Ehello\r\n", b"@\r\n"]
