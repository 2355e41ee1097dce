"""What the emulated scales send, by exact bytes: pure firmware, then over a real pty."""

from __future__ import annotations

import pytest

from drivers.scale.firmware import Exchange, Panel, firmware_for
from drivers.scale.model import ScaleState

PANEL = Panel(weight="1.234", unit="kg")


def answers(protocol: str, data: bytes, panel: Panel = PANEL) -> list[bytes]:
    exchanges, _ = firmware_for(protocol).feed(data, panel)
    return [e.reply for e in exchanges]


@pytest.mark.parametrize(
    ("state", "si", "s"),
    [
        (ScaleState.STABLE, b"S S      1.234 kg\r\n", b"S S      1.234 kg\r\n"),
        (ScaleState.MOVING, b"S D      1.234 kg\r\n", b"S I\r\n"),
        (ScaleState.NEGATIVE, b"S S     -1.234 kg\r\n", b"S S     -1.234 kg\r\n"),
        (ScaleState.OVERLOAD, b"S +\r\n", b"S +\r\n"),
        (ScaleState.UNDERLOAD, b"S -\r\n", b"S -\r\n"),
        (ScaleState.FAULT, b"S S Error 1b\r\n", b"S S Error 1b\r\n"),
    ],
)
def test_mtsics_weight_replies(state, si, s):
    panel = Panel(state=state, weight="1.234", unit="kg")
    assert answers("mtsics", b"SI\r\nS\r\n", panel) == [si, s]


def test_mtsics_commands_and_a_command_split_across_reads():
    firmware = firmware_for("mtsics")
    first, panel = firmware.feed(b"Z\r", PANEL)
    assert first == []
    second, panel = firmware.feed(b"\nT\r\nTAC\r\n@\r\nXYZ\r\n", panel)
    assert second == [
        Exchange(b"Z\r\n", b"Z A\r\n"),
        Exchange(b"T\r\n", b"T S      0.000 kg\r\n"),  # tare after zero: 0
        Exchange(b"TAC\r\n", b"TAC A\r\n"),
        Exchange(b"@\r\n", b'I4 A "B021002593"\r\n'),
        Exchange(b"XYZ\r\n", b"ES\r\n"),
    ]


@pytest.mark.parametrize(
    ("state", "reply"),
    [
        (ScaleState.STABLE, b"\n  1.234kg\r\n00\r\x03"),
        (ScaleState.MOVING, b"\n  1.234kg\r\n10\r\x03"),
        (ScaleState.NEGATIVE, b"\n -1.234kg\r\n00\r\x03"),
        (ScaleState.OVERLOAD, b"\n02\r\x03"),
        (ScaleState.UNDERLOAD, b"\n01\r\x03"),
        (ScaleState.FAULT, b"\n80\r\x03"),
    ],
)
def test_nci_weight_replies(state, reply):
    assert answers("nci", b"W\r", Panel(state=state, weight="1.234", unit="kg")) == [reply]


def test_nci_other_commands():
    assert answers("nci", b"H\rS\rZ\rQ\r") == [
        b"\n 1.2340kg\r\n00\r\x03",
        b"\n00\r\x03",
        b"\n20\r\x03",  # zeroed: at-zero bit
        b"\n?\r\x03",
    ]


@pytest.mark.parametrize(
    ("state", "reply"),
    [
        (ScaleState.STABLE, b"\x0201.234\r"),
        (ScaleState.MOVING, b"\x02?A\r"),
        (ScaleState.OVERLOAD, b"\x02?B\r"),
        (ScaleState.NEGATIVE, b"\x02?D\r"),
        (ScaleState.FAULT, b"\x02?H\r"),
    ],
)
def test_8217_weight_replies(state, reply):
    assert answers("8217", b"W", Panel(state=state, weight="1.234", unit="lb")) == [reply]


def test_8217_echo_test_zero_and_tare():
    firmware = firmware_for("8217")
    exchanges, panel = firmware.feed(b"EhelloFW", PANEL)
    assert b"".join(e.reply for e in exchanges) == b"\x02E\rhello\x0201.234\r"
    exchanges, panel = firmware.feed(b"TW", panel)
    assert [e.reply for e in exchanges] == [b"", b"\x0200.000N\r"]  # tared: net
    assert panel.tare == "1.234"
    exchanges, panel = firmware.feed(b"CZW", panel)
    assert [e.reply for e in exchanges] == [b"", b"", b"\x0200.000\r"]


def test_emulator_speaks_the_same_bytes_over_a_pty(emulators, raw_port):
    emulator = emulators("nci", weight="2.50", unit="lb")
    port = raw_port(emulator.port)
    assert port.ask(b"W\r", 14) == b"\n   2.50lb\r\n00\r\x03"
    assert emulator.commands == [b"W\r"]


def test_emulator_garbage_and_split_replies(emulators, raw_port):
    emulator = emulators("mtsics")
    emulator.set_garbage(b"\xff\x00")
    emulator.set_split(4, 0.005)
    port = raw_port(emulator.port)
    assert port.ask(b"SI\r\n", 21) == b"\xff\x00S S      1.234 kg\r\n"


def test_silent_emulator_receives_but_never_answers(emulators, raw_port):
    emulator = emulators("mtsics")
    emulator.set_silent(True)
    port = raw_port(emulator.port)
    assert port.ask(b"SI\r\n", 1, timeout_s=0.2) == b""
    assert emulator.wait_for_command(b"SI\r\n")


def test_unplug_hangs_up_the_port(emulators, raw_port):
    emulator = emulators("mtsics")
    port = raw_port(emulator.port)
    emulator.unplug()
    with pytest.raises(OSError):
        port.ask(b"SI\r\n", 1, timeout_s=0.5)
