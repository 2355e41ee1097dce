"""DLE EOT status bytes, checked bit by bit against the Epson tables and python-escpos."""

from __future__ import annotations

import pytest
from escpos import constants

from drivers.printer.escpos_status import (
    NO_ANSWER_REASON,
    QUERY_OFFLINE_CAUSE,
    QUERY_PAPER,
    QUERY_PRINTER,
    parse_realtime_status,
)

OK = b"\x12"  # only the fixed bits 1 and 4 set


def test_queries_match_python_escpos() -> None:
    assert QUERY_PRINTER == constants.RT_STATUS_ONLINE == b"\x10\x04\x01"
    assert QUERY_PAPER == constants.RT_STATUS_PAPER == b"\x10\x04\x04"
    assert QUERY_OFFLINE_CAUSE == b"\x10\x04\x02"
    # The paper masks python-escpos uses are the values docs/protocols.md lists.
    assert (constants.RT_MASK_PAPER, constants.RT_MASK_LOWPAPER) == (0x12, 0x1E)
    assert (constants.RT_MASK_NOPAPER, constants.RT_MASK_ONLINE) == (0x72, 0x08)


def test_all_clear() -> None:
    status = parse_realtime_status(OK, OK, OK)
    assert (status.online, status.paper_out, status.head_open) == (True, False, False)
    assert status.paper_near_end is False
    # ESC/POS has no pause, ribbon or buffer flag: unknown, not False.
    assert (status.paused, status.ribbon_out, status.buffer_full) == (None, None, None)
    assert status.ready is True
    assert status.reason == "ready"
    assert status.raw == "1=12 2=12 4=12"


def test_paper_out_0x72() -> None:
    status = parse_realtime_status(b"\x1a", b"\x32", b"\x72")
    assert status.paper_out is True
    assert status.online is False
    assert status.ready is False
    assert status.reason == "paper out"
    assert status.raw == "1=1a 2=32 4=72"


def test_paper_out_with_near_end_bits_too() -> None:
    # Real printers often report the near-end sensor as well once the roll has run out.
    status = parse_realtime_status(b"\x1a", b"\x32", b"\x7e")
    assert status.paper_out is True
    assert status.paper_near_end is True
    assert status.reason == "paper out"


def test_paper_near_end_0x1e_still_prints() -> None:
    status = parse_realtime_status(OK, OK, b"\x1e")
    assert status.paper_out is False
    assert status.paper_near_end is True
    assert status.online is True
    assert status.ready is True
    assert status.reason == "paper near end"


def test_offline_without_cause() -> None:
    status = parse_realtime_status(b"\x1a", OK, OK)
    assert status.online is False
    assert status.ready is False
    assert status.reason == "printer offline"


def test_cover_open() -> None:
    status = parse_realtime_status(b"\x1a", b"\x16", OK)
    assert status.head_open is True
    assert status.online is False
    assert status.reason == "cover open"


def test_feed_button_and_error_bits() -> None:
    status = parse_realtime_status(b"\x1a", b"\x5a", OK)
    assert status.reason == (
        "paper being fed with the feed button; printer error (cutter jam or mechanism fault)"
    )
    assert status.online is False


def test_paper_end_stop_in_offline_cause_means_paper_out() -> None:
    status = parse_realtime_status(b"\x1a", b"\x32", None)
    assert status.paper_out is True
    assert status.online is False
    assert status.reason == "paper out; no answer to DLE EOT 4"


def test_drawer_pin_bit_is_not_a_problem() -> None:
    assert parse_realtime_status(b"\x16", OK, OK).reason == "ready"


@pytest.mark.parametrize("silence", [None, b""])
def test_no_reply_is_unknown_not_paper_ok(silence: bytes | None) -> None:
    status = parse_realtime_status(silence, silence, silence)
    assert status.reason == NO_ANSWER_REASON
    assert (status.online, status.paper_out, status.head_open) == (None, None, None)
    assert status.ready is None
    assert status.raw == "1=none 2=none 4=none"


def test_paper_query_unanswered_is_not_ready() -> None:
    status = parse_realtime_status(OK, OK, None)
    assert status.paper_out is None
    assert status.online is None
    assert status.ready is None
    assert status.reason == "no answer to DLE EOT 4"


@pytest.mark.parametrize("garbage", [b"\x00", b"\xff", b"\x12\x12", b"A"])
def test_garbage_byte_is_unreadable(garbage: bytes) -> None:
    status = parse_realtime_status(OK, OK, garbage)
    assert status.paper_out is None
    assert status.ready is None
    assert status.reason == f"unreadable answer {garbage.hex()} to DLE EOT 4"


def test_garbage_printer_byte_leaves_online_unknown() -> None:
    status = parse_realtime_status(b"\x80", OK, OK)
    assert status.online is None
    assert status.paper_out is False
    assert status.reason == "unreadable answer 80 to DLE EOT 1"
