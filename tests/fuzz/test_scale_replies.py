"""Scale replies under fuzzing: never an exception but CodecError, never a wrong weight.

Two properties per protocol (MT-SICS, NCI/ECR, Toledo 8217, HID POS):

- arbitrary bytes, in reads cut anywhere, through the frame assembler and the decoder give
  CodecError or a reading that is sane (a weight only when stable or moving, finite, not
  negative; a stable reading always has one);
- replies made by the emulators' firmware (written from the manuals apart from the decoders)
  for random weights, units and states, with line noise between them, torn replies before
  them and reads cut anywhere, give only readings whose weight equals one encoded, computed
  here from the display text and the unit with Decimal arithmetic. Without noise, every
  encoded reading comes back, in order.

A third runs the real one-shot reader over a pty against an emulator that answers one poll
with noise (of bytes that cannot form a reply): it asks again and gets the weight.

The existing tests in tests/drivers/scale check fixed transcripts; these add the search.
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from drivers.scale import hidpos, mtsics, nci, toledo8217
from drivers.scale.driver import ScaleConfig
from drivers.scale.emulator import ScaleEmulator
from drivers.scale.firmware import Panel, firmware_for
from drivers.scale.frames import PRINTABLE, Frame, FrameAssembler, FrameSpec
from drivers.scale.model import GRAMS_PER_UNIT, CodecError, ScaleReading, ScaleState
from drivers.scale.oneshot import read_weight
from drivers.scale.protocols import Reply, serial_protocol
from tests.fuzz.budget import counted, fuzz_settings

WEIGHED = (ScaleState.STABLE, ScaleState.MOVING)


@dataclass(frozen=True)
class Codec:
    """One serial protocol as the driver sees it: framing, decoder, poll command, units."""

    name: str
    framing: FrameSpec
    decode: Callable[[bytes], Reply]
    poll: bytes
    units: tuple[str, ...]
    noise: bytes  # bytes line noise may hold without forming a reply on its own


def _codec(name: str, poll: bytes, units: tuple[str, ...], noise: bytes) -> Codec:
    unit = units[0] if name == "8217" else None
    protocol = serial_protocol(name, unit)
    return Codec(name, protocol.framing, protocol.decode, poll, units, noise)


ALL_BYTES = bytes(range(256))
CODECS = {
    # MT-SICS lines: any byte outside the printable range spoils the line it lands in.
    "mtsics": _codec(
        "mtsics",
        mtsics.IMMEDIATE_WEIGHT,
        ("g", "kg", "mg", "lb", "oz", "ct"),
        bytes(b for b in ALL_BYTES if b not in PRINTABLE),
    ),
    # NCI: noise without ETX cannot end a frame by itself.
    "nci": _codec("nci", nci.WEIGHT, ("kg", "lb", "g", "oz"), ALL_BYTES.replace(b"\x03", b"")),
    # 8217: noise without CR cannot end a frame; a stray STX resynchronises.
    "8217": _codec("8217", toledo8217.WEIGHT, ("kg",), ALL_BYTES.replace(b"\r", b"")),
}


def decode_stream(codec: Codec, chunks: list[bytes]) -> list[Reply]:
    """What a driver would decode from these reads: replies; CodecErrors are dropped."""
    assembler = FrameAssembler(codec.framing)
    replies: list[Reply] = []
    for chunk in chunks:
        for item in assembler.feed(chunk):
            if isinstance(item, Frame):
                with contextlib.suppress(CodecError):
                    replies.append(codec.decode(item.data))
    return replies


def assert_sane(reading: ScaleReading) -> None:
    """A reading that could not mislead a weight check."""
    assert isinstance(reading.state, ScaleState)
    if reading.weight_g is None:
        assert reading.state is not ScaleState.STABLE or reading.detail, reading
        assert reading.resolution_g is None
        return
    assert reading.state in WEIGHED, reading
    assert math.isfinite(reading.weight_g) and reading.weight_g >= 0, reading
    assert reading.resolution_g is not None and math.isfinite(reading.resolution_g)
    assert reading.resolution_g >= 0


def cut(data: bytes, points: list[int]) -> list[bytes]:
    """``data`` as reads cut at ``points`` (positions in any order, repeats allowed)."""
    edges = sorted({p % (len(data) + 1) for p in points} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(edges)]


# --- arbitrary bytes --------------------------------------------------------------------------


@given(
    name=st.sampled_from(sorted(CODECS)),
    data=st.one_of(
        st.binary(max_size=200),
        # Bytes near the protocols' own: start/end bytes, digits, units, status letters.
        st.lists(
            st.sampled_from(
                [
                    b"\x02",
                    b"\x03",
                    b"\r",
                    b"\n",
                    b"\r\n",
                    b"S",
                    b" ",
                    b"D",
                    b"?",
                    b"0",
                    b"1",
                    b"9",
                    b".",
                    b"-",
                    b"+",
                    b"E",
                    b"kg",
                    b"g",
                    b"lb",
                    b"N",
                    b"\x30",
                    b"\x31",
                    b"\x70",
                    b"\x41",
                    b"Error",
                ]
            ),
            max_size=60,
        ).map(b"".join),
    ),
    points=st.lists(st.integers(0, 200), max_size=8),
)
@fuzz_settings(weight=2)
@counted("scale: arbitrary bytes (serial)")
def test_arbitrary_bytes_give_codec_errors_or_sane_readings(
    name: str, data: bytes, points: list[int]
) -> None:
    codec = CODECS[name]
    for reply in decode_stream(codec, cut(data, points)):
        if isinstance(reply, ScaleReading):
            assert_sane(reply)
    # The decoder alone, on whatever bytes (a frame the assembler would never produce).
    try:
        reply = codec.decode(data)
    except CodecError:
        return
    if isinstance(reply, ScaleReading):
        assert_sane(reply)


@given(
    st.one_of(
        st.binary(max_size=12),
        st.lists(st.integers(0, 255), max_size=12),
        st.tuples(
            st.just(3),
            st.integers(0, 12),
            st.integers(0, 255),
            st.integers(0, 255),
            st.integers(0, 255),
            st.integers(0, 255),
        ).map(list),
    )
)
@fuzz_settings(weight=1)
@counted("scale: arbitrary HID reports")
def test_arbitrary_hid_reports_decode_as_the_reference_says(report: bytes | list[int]) -> None:
    try:
        reading = hidpos.decode(report)
    except CodecError:
        data = bytes(report)
        assert len(data) < 6 or data[0] != 3 or data[1] not in range(1, 9)
        return
    assert_sane(reading)
    data = bytes(report)
    status, unit_code, exponent = data[1], data[2], int.from_bytes(data[3:4], signed=True)
    unit = hidpos.UNITS.get(unit_code)
    if status in (2, 3, 4) and unit is not None:
        # The reference: usage tables 1.02, weight = le16 * 10**exponent in the unit.
        grams = Decimal(int.from_bytes(data[4:6], "little")).scaleb(exponent) * GRAMS_PER_UNIT[unit]
        assert reading.weight_g == float(grams)
        assert reading.state is (ScaleState.MOVING if status == 3 else ScaleState.STABLE)
    else:
        assert reading.weight_g is None


# --- encoded weights, noise, torn replies, reads cut anywhere ---------------------------------

STATES = st.sampled_from(
    [ScaleState.STABLE] * 4
    + [ScaleState.MOVING, ScaleState.NEGATIVE, ScaleState.OVERLOAD, ScaleState.UNDERLOAD]
    + [ScaleState.FAULT]
)


@st.composite
def panels(draw: st.DrawFn, codec: Codec) -> Panel:
    whole = draw(st.integers(0, 99_999))
    decimals = draw(st.integers(0, 4))
    fraction = draw(st.integers(0, 10**decimals - 1)) if decimals else 0
    weight = f"{whole}.{fraction:0{decimals}d}" if decimals else str(whole)
    return Panel(state=draw(STATES), weight=weight, unit=draw(st.sampled_from(codec.units)))


def expected_reading(codec: Codec, panel: Panel) -> tuple[ScaleState, float, float] | None:
    """What the reply to a poll must decode to when it carries a weight, computed apart."""
    if panel.state is ScaleState.STABLE or (
        panel.state is ScaleState.MOVING and codec.name in ("mtsics", "nci")
    ):
        factor = GRAMS_PER_UNIT[panel.unit]
        decimals = len(panel.weight.split(".")[1]) if "." in panel.weight else 0
        weight = float(Decimal(panel.weight) * factor)
        return panel.state, weight, float(Decimal(1).scaleb(-decimals) * factor)
    return None


@st.composite
def streams(draw: st.DrawFn) -> tuple[Codec, list[Panel], list[bytes], bool]:
    codec = CODECS[draw(st.sampled_from(sorted(CODECS)))]
    shown = draw(st.lists(panels(codec), min_size=1, max_size=4))
    firmware = firmware_for(codec.name)
    replies = []
    for panel in shown:
        (exchange,), _ = firmware.feed(codec.poll, panel)
        replies.append(exchange.reply)
    clean = draw(st.booleans())
    noise = st.binary(max_size=12).map(
        lambda b: bytes(codec.noise[x % len(codec.noise)] for x in b)
    )
    data = b""
    for reply in replies:
        if not clean:
            data += draw(noise)
            if draw(st.booleans()):
                # A reply torn off (a line glitch), then a whole one.
                torn = draw(st.sampled_from(replies))
                data += torn[: draw(st.integers(1, max(1, len(torn) - 1)))]
                data += draw(noise)
        data += reply
    points = draw(st.lists(st.integers(0, len(data)), max_size=10))
    return codec, shown, cut(data, points), clean


@given(streams())
@fuzz_settings(weight=3)
@counted("scale: encoded replies with noise")
def test_only_encoded_weights_come_out(
    stream: tuple[Codec, list[Panel], list[bytes], bool],
) -> None:
    codec, shown, chunks, clean = stream
    expected = [expected_reading(codec, panel) for panel in shown]
    allowed = {e for e in expected if e is not None}
    got = []
    for reply in decode_stream(codec, chunks):
        if isinstance(reply, ScaleReading):
            assert_sane(reply)
            if reply.weight_g is not None:
                got.append((reply.state, reply.weight_g, reply.resolution_g))
    for reading in got:
        assert reading in allowed, (reading, allowed, chunks)
    if clean:
        assert got == [e for e in expected if e is not None]


# --- a glitch in place of a reply, through the real driver over a pty ---------------------


@given(
    name=st.sampled_from(sorted(CODECS)),
    glitch=st.binary(min_size=1, max_size=16),
    stable=st.booleans(),
)
@fuzz_settings(weight=0.1)
@counted("scale: one reply replaced by noise, read through a pty")
def test_a_reply_replaced_by_noise_is_asked_again(name: str, glitch: bytes, stable: bool) -> None:
    # Issue 12 point 13 (the exact input is in tests/drivers/scale/test_oneshot.py): a scale
    # that answers one command with noise and then normally still gives its weight.
    codec = CODECS[name]
    noise = bytes(codec.noise[b % len(codec.noise)] for b in glitch)
    unit = "kg" if name == "8217" else None
    config = ScaleConfig("", name, unit=unit, poll_interval_s=0.01, reply_timeout_s=0.05)
    with ScaleEmulator(name, weight="1.234") as emulator:
        emulator.glitch(noise)
        reading = read_weight(replace(config, port=emulator.port), stable=stable, timeout_s=5.0)
    assert (reading.state, reading.weight_g) == (ScaleState.STABLE, 1234.0)
