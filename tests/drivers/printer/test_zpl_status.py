"""The ~HS parser, fed exact bytes: every flag, torn, garbled and silent answers."""

from __future__ import annotations

import pytest

from drivers.printer.zpl_status import (
    NO_ANSWER_REASON,
    answer_complete,
    parse_host_status,
)

LINE1 = "030,{b},{c},1218,000,{f},0,{h},000,{j},{k},{l}"
LINE2 = "001,0,{o},{p},1,2,6,{t},00000000,1,000"
LINE3 = "1234,0"


def answer(**flags: int) -> bytes:
    values = {k: flags.get(k, 0) for k in "bcfhjklopt"}
    lines = (LINE1.format(**values), LINE2.format(**values), LINE3)
    return b"".join(b"\x02" + line.encode() + b"\x03\r\n" for line in lines)


def test_all_clear_is_ready() -> None:
    data = answer()
    assert data == (
        b"\x02030,0,0,1218,000,0,0,0,000,0,0,0\x03\r\n"
        b"\x02001,0,0,0,1,2,6,0,00000000,1,000\x03\r\n"
        b"\x021234,0\x03\r\n"
    )
    status = parse_host_status(data)
    assert (status.online, status.paper_out, status.head_open) == (True, False, False)
    assert (status.paused, status.ribbon_out, status.buffer_full) == (False, False, False)
    assert status.ready is True
    assert status.reason == "ready"
    assert status.raw == data.decode("latin-1")


@pytest.mark.parametrize(
    ("flag", "field", "reason"),
    [
        ("b", "paper_out", "paper out"),
        ("c", "paused", "paused"),
        ("o", "head_open", "print head open"),
        ("p", "ribbon_out", "ribbon out"),
    ],
)
def test_each_blocking_flag(flag: str, field: str, reason: str) -> None:
    status = parse_host_status(answer(**{flag: 1}))
    assert getattr(status, field) is True
    others = {"paper_out", "paused", "head_open", "ribbon_out"} - {field}
    assert all(getattr(status, name) is False for name in others)
    assert status.online is False
    assert status.ready is False
    assert status.reason == reason


def test_several_problems_are_all_named() -> None:
    status = parse_host_status(answer(b=1, o=1, p=1))
    assert status.reason == "paper out; print head open; ribbon out"


def test_buffer_full_is_reported_but_does_not_block() -> None:
    status = parse_host_status(answer(f=1))
    assert status.buffer_full is True
    assert status.online is True
    assert status.reason == "receive buffer full"


@pytest.mark.parametrize(
    ("flags", "reason", "online"),
    [
        ({"j": 1}, "corrupt RAM (configuration lost)", False),
        ({"l": 1}, "print head too hot", False),
        ({"k": 1}, "print head too cold", True),
        ({"t": 1}, "label waiting to be taken", True),
        ({"h": 1}, "ready", True),  # a partial format in progress is normal mid-job
    ],
)
def test_other_flags(flags: dict[str, int], reason: str, online: bool) -> None:
    status = parse_host_status(answer(**flags))
    assert status.reason == reason
    assert status.online is online


def test_silence_is_unknown_not_fine() -> None:
    status = parse_host_status(b"")
    assert status.reason == NO_ANSWER_REASON == "no answer to ~HS (printer may be in error)"
    assert (status.online, status.paper_out, status.head_open, status.paused) == (None,) * 4
    assert (status.ribbon_out, status.buffer_full) == (None, None)
    assert status.ready is None


def test_torn_after_first_line_keeps_line_one_and_says_so() -> None:
    data = answer(b=0)[:60]
    assert data.count(b"\x03\r\n") == 1
    status = parse_host_status(data)
    assert status.paper_out is False
    assert status.paused is False
    assert status.head_open is None
    assert status.ribbon_out is None
    assert status.online is None
    assert status.ready is None
    assert status.reason == "answer to ~HS cut off after 1 of 3 lines"


def test_torn_answer_still_reports_known_problem() -> None:
    status = parse_host_status(answer(b=1)[:40])
    assert status.paper_out is True
    assert status.online is False
    assert status.reason == "paper out; answer to ~HS cut off after 1 of 3 lines"


def test_torn_inside_first_line() -> None:
    status = parse_host_status(b"\x02030,1,0,12")
    assert status.paper_out is None
    assert status.online is None
    assert status.reason == "answer to ~HS cut off after 0 of 3 lines"


def test_missing_last_terminator_is_torn() -> None:
    data = answer()[:-5]
    assert not answer_complete(data)
    status = parse_host_status(data)
    assert status.head_open is False
    assert status.online is None
    assert status.reason == "answer to ~HS cut off after 2 of 3 lines"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"hello printer", "unreadable answer to ~HS (no <STX>...<ETX> line)"),
        (b"\xff\xfe\x00", "unreadable answer to ~HS (no <STX>...<ETX> line)"),
        (
            b"\x02abc\x03\r\n\x02def\x03\r\n\x02ghi\x03\r\n",
            "unreadable line 1, 2, 3 in answer to ~HS",
        ),
        (b"\x02030,0,0\x03\r\n" + answer()[36:], "unreadable line 1 in answer to ~HS"),
    ],
)
def test_garbage_is_unknown(data: bytes, reason: str) -> None:
    status = parse_host_status(data)
    assert status.reason == reason
    assert status.online is None
    assert status.ready is None


def test_flag_values_other_than_0_or_1_are_unknown() -> None:
    data = answer().replace(b"030,0,0,", b"030,7,0,")
    status = parse_host_status(data)
    assert status.paper_out is None
    assert status.online is None


def test_stray_bytes_make_the_answer_untrusted() -> None:
    status = parse_host_status(b"junk" + answer())
    assert status.paper_out is False
    assert status.online is None
    assert status.reason == "unexpected bytes around the answer to ~HS"


def test_two_answers_back_to_back_are_not_trusted() -> None:
    status = parse_host_status(answer() + answer(b=1))
    assert status.paper_out is False  # the first, stale answer: hence not trusted
    assert status.online is None
    assert status.reason.endswith("6 lines instead of 3 in answer to ~HS (stale or mixed answers)")


def test_answer_complete_needs_three_terminated_lines() -> None:
    full = answer()
    assert answer_complete(full)
    assert not answer_complete(full[:-1])
    assert not answer_complete(b"")
