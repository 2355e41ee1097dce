"""Printer status replies under fuzzing: no exception, and never "ready" when it is not sure.

``~HS`` (ZPL host status) and ``DLE EOT n`` (ESC/POS) answers are made by the emulator's
encoders (drivers/printer/emulator_protocol.py, written apart from the parsers) for random
printer states, then torn, wrapped in noise, or replaced by arbitrary bytes. The parsers
must give back the state's flags from a whole answer, and must not say the printer is
ready (``online`` True) from an answer that is torn, noisy or unreadable.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from drivers.printer.emulator_protocol import PrinterState, escpos_status_byte, zpl_host_status
from drivers.printer.escpos_status import parse_realtime_status
from drivers.printer.model import PrinterStatus
from drivers.printer.zpl_status import parse_host_status
from tests.fuzz.budget import counted, fuzz_settings

states = st.builds(
    PrinterState,
    paper_out=st.booleans(),
    head_open=st.booleans(),
    paused=st.booleans(),
    ribbon_out=st.booleans(),
    buffer_full=st.booleans(),
    paper_near_end=st.booleans(),
    offline=st.booleans(),
)
# Noise that cannot pass for a field: no digits, commas, STX or ETX (a stray "0," would be a
# different answer, which no parser can tell from the real one).
ZPL_NOISE = bytes(b for b in range(256) if b not in b"0123456789,\x02\x03")


def assert_consistent(status: PrinterStatus) -> None:
    assert isinstance(status.reason, str) and status.reason
    if status.online:
        assert not any((status.paper_out, status.head_open, status.paused, status.ribbon_out))
    if status.paper_out or status.head_open:
        assert status.online is not True


def zpl_ready(state: PrinterState) -> bool:
    return not (state.paper_out or state.head_open or state.paused or state.ribbon_out)


@given(st.binary(max_size=300))
@fuzz_settings(weight=1)
@counted("printer: ~HS arbitrary bytes")
def test_host_status_of_arbitrary_bytes(data: bytes) -> None:
    assert_consistent(parse_host_status(data))


@given(state=states, data=st.data())
@fuzz_settings(weight=1)
@counted("printer: ~HS encoded, torn, noisy")
def test_host_status_round_trip_and_damage(state: PrinterState, data: st.DataObject) -> None:
    answer = zpl_host_status(state)
    whole = parse_host_status(answer)
    assert (whole.paper_out, whole.head_open, whole.paused, whole.ribbon_out) == (
        state.paper_out,
        state.head_open,
        state.paused,
        state.ribbon_out,
    )
    assert whole.buffer_full == state.buffer_full
    assert whole.online is zpl_ready(state) or (not zpl_ready(state) and whole.online is False)

    # Torn before the last ETX (after it, only the final CR LF is lost: the answer is whole).
    torn = answer[: data.draw(st.integers(0, answer.rindex(b"\x03")), label="torn at")]
    noise = data.draw(st.binary(min_size=1, max_size=8), label="noise")
    noise = bytes(ZPL_NOISE[b % len(ZPL_NOISE)] for b in noise).strip(b"\r\n") or b"#"
    at = data.draw(st.integers(0, len(answer)), label="noise at")
    for damaged in (torn, answer[:at] + noise + answer[at:], answer + answer[: max(at, 1)]):
        status = parse_host_status(damaged)
        assert_consistent(status)
        # Damage may leave the printer's problems known, never a clean bill of health.
        assert status.online is not True, (damaged, status)
        if status.paper_out is not None:
            assert status.paper_out == state.paper_out


status_replies = st.one_of(
    st.none(), st.just(b""), st.binary(max_size=3), st.integers(0, 255).map(lambda b: bytes([b]))
)


@given(status_replies, status_replies, status_replies)
@fuzz_settings(weight=1)
@counted("printer: DLE EOT arbitrary bytes")
def test_realtime_status_of_arbitrary_replies(
    printer: bytes | None, cause: bytes | None, paper: bytes | None
) -> None:
    status = parse_realtime_status(printer, cause, paper)
    assert_consistent(status)
    valid = [r is not None and len(r) == 1 and r[0] & 0x93 == 0x12 for r in (printer, cause, paper)]
    if status.online:
        assert all(valid), (printer, cause, paper)


@given(state=states, broken=st.sets(st.sampled_from([1, 2, 4])), data=st.data())
@fuzz_settings(weight=1)
@counted("printer: DLE EOT encoded and damaged")
def test_realtime_status_round_trip_and_damage(
    state: PrinterState, broken: set[int], data: st.DataObject
) -> None:
    replies: dict[int, bytes | None] = {n: escpos_status_byte(state, n) for n in (1, 2, 4)}
    whole = parse_realtime_status(replies[1], replies[2], replies[4])
    assert whole.paper_out == state.paper_out
    assert whole.head_open == state.head_open
    assert whole.online is not (state.offline or state.head_open or state.paper_out)
    for n in broken:
        # No answer, a byte with the fixed bits wrong, or more than one byte.
        replies[n] = data.draw(
            st.one_of(
                st.none(),
                st.integers(0, 255).filter(lambda b: b & 0x93 != 0x12).map(lambda b: bytes([b])),
                st.binary(min_size=2, max_size=3),
            )
        )
    damaged = parse_realtime_status(replies[1], replies[2], replies[4])
    assert_consistent(damaged)
    if broken:
        assert damaged.online is not True


def test_online_with_the_paper_sensor_at_end_is_not_ready() -> None:
    """Found by fuzzing: DLE EOT 1 said online (0x12) while DLE EOT 4 said paper end (0x32)."""
    status = parse_realtime_status(b"\x12", b"\x12", b"\x32")
    assert status.paper_out is True
    assert status.online is False
    assert "paper out" in status.reason


def test_noise_that_python_reads_as_a_digit_or_a_space_is_not_a_clean_answer() -> None:
    # Found by a fresh fuzz draw: a line-noise byte inside the first field (a tab, "\x85",
    # "\x1c", a superscript digit) was stripped or read as a digit, and the answer said "ready".
    answer = zpl_host_status(PrinterState())
    for noise in (b"\t", b" ", b"\x0b", b"\x1c", b"\x85", b"\xa0", b"\xb2", b"\xac"):
        status = parse_host_status(answer[:1] + noise + answer[1:])
        assert status.online is not True, (noise, status)
        assert "unreadable line 1" in status.reason
