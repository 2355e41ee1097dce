"""The frame assembler: torn replies, several replies in one read, and line noise."""

from __future__ import annotations

from drivers.scale import mtsics, nci, toledo8217
from drivers.scale.frames import Frame, FrameAssembler, Garbage


def feed_all(assembler: FrameAssembler, *chunks: bytes) -> list[Frame | Garbage]:
    out: list[Frame | Garbage] = []
    for chunk in chunks:
        out += assembler.feed(chunk)
    return out


def test_a_reply_torn_into_pieces_is_one_frame():
    assembler = FrameAssembler(mtsics.FRAMING)
    assert assembler.feed(b"S S   ") == []
    assert assembler.pending == b"S S   "
    assert assembler.feed(b"  100.00 g\r") == []
    assert assembler.feed(b"\n") == [Frame(b"S S     100.00 g\r\n")]
    assert assembler.pending == b""


def test_two_replies_in_one_read_are_two_frames():
    assembler = FrameAssembler(mtsics.FRAMING)
    assert assembler.feed(b"Z A\r\nS S 1 g\r\n") == [Frame(b"Z A\r\n"), Frame(b"S S 1 g\r\n")]


def test_noise_before_a_line_is_dropped_with_a_reason():
    out = FrameAssembler(mtsics.FRAMING).feed(b"\xff\x00S S 1 g\r\n")
    assert out == [
        Garbage(b"\xff\x00", "bytes outside the protocol's characters (and the line they spoilt)"),
        Frame(b"S S 1 g\r\n"),
    ]


def test_a_foreign_byte_inside_a_line_spoils_the_whole_line():
    # Dropping only the byte would turn "1\xff00.00" into a plausible 100.00 g.
    out = FrameAssembler(mtsics.FRAMING).feed(b"S S 1\xff00.00 g\r\n")
    assert out[0] == Garbage(
        b"S S 1\xff", "bytes outside the protocol's characters (and the line they spoilt)"
    )
    assert out[1] == Frame(b"00.00 g\r\n")  # the remainder: the codec rejects it


def test_bytes_before_the_start_byte_are_dropped():
    out = FrameAssembler(nci.FRAMING).feed(b"#?!\n  1.234kg\r\n00\r\x03")
    assert out == [
        Garbage(b"#?!", "bytes before the start of a reply"),
        Frame(b"\n  1.234kg\r\n00\r\x03"),
    ]


def test_an_nci_reply_keeps_its_inner_line_feed_and_spans_reads():
    out = feed_all(FrameAssembler(nci.FRAMING), b"\n  1.2", b"34kg\r", b"\n0", b"0\r", b"\x03")
    assert out == [Frame(b"\n  1.234kg\r\n00\r\x03")]


def test_a_second_start_byte_resynchronises_a_torn_8217_reply():
    out = FrameAssembler(toledo8217.FRAMING).feed(b"\x0201.2\x0201.234\r")
    assert out == [Garbage(b"\x0201.2", "reply torn: a new one began"), Frame(b"\x0201.234\r")]


def test_a_frame_without_terminator_is_dropped_at_the_maximum_length():
    assembler = FrameAssembler(toledo8217.FRAMING)
    out = assembler.feed(b"\x02" + b"1" * 20)
    assert out == [
        Garbage(b"\x02" + b"1" * 16, "no terminator within the maximum length"),
        Garbage(b"1111", "bytes before the start of a reply"),
    ]
    assert assembler.feed(b"\x0201.000\r") == [Frame(b"\x0201.000\r")]


def test_reset_forgets_a_partial_reply():
    assembler = FrameAssembler(mtsics.FRAMING)
    assembler.feed(b"S S 1")
    assembler.reset()
    assert assembler.feed(b"Z A\r\n") == [Frame(b"Z A\r\n")]
