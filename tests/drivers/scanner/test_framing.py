"""Serial scanner framing, by exact bytes."""

from __future__ import annotations

import logging
from typing import Literal

import pytest

from drivers.scanner.framing import FrameDecoder, FramingConfig, Suffix, aim_symbology

EAN = "5901234123457"


def decoder(
    suffix: Suffix = Suffix.AUTO,
    *,
    encoding: Literal["utf-8", "latin-1"] = "utf-8",
    max_length: int = 8192,
) -> FrameDecoder:
    return FrameDecoder(FramingConfig(suffix=suffix, encoding=encoding, max_length=max_length))


@pytest.mark.parametrize(
    ("suffix", "wire"),
    [
        (Suffix.CR, b"5901234123457\r"),
        (Suffix.LF, b"5901234123457\n"),
        (Suffix.CRLF, b"5901234123457\r\n"),
        (Suffix.TAB, b"5901234123457\t"),
        (Suffix.AUTO, b"5901234123457\r"),
        (Suffix.AUTO, b"5901234123457\n"),
        (Suffix.AUTO, b"5901234123457\r\n"),
    ],
)
def test_each_suffix_ends_a_frame(suffix: Suffix, wire: bytes) -> None:
    dec = decoder(suffix)
    assert dec.feed(wire + wire) == [EAN, EAN]


def test_auto_crlf_split_between_reads_gives_no_empty_frame() -> None:
    dec = decoder(Suffix.AUTO)
    assert dec.feed(b"ABC1\r") == ["ABC1"]
    assert dec.feed(b"\nABC2\r") == ["ABC2"]
    assert dec.feed(b"\n") == []
    assert dec.pending == 0


def test_crlf_needs_both_bytes_even_across_reads() -> None:
    dec = decoder(Suffix.CRLF)
    assert dec.feed(b"ABC1\r") == []
    assert dec.pending == 5
    assert dec.feed(b"\n") == ["ABC1"]


def test_frame_reassembled_from_single_bytes() -> None:
    dec = decoder(Suffix.CR)
    out: list[str] = []
    for byte in b"]E05901234123457\r":
        out += dec.feed(bytes([byte]))
    assert out == ["]E05901234123457"]


def test_utf8_character_split_across_reads() -> None:
    dec = decoder(Suffix.CR)
    wire = "LOT-Ä1\r".encode()
    assert dec.feed(wire[:5]) == []
    assert dec.feed(wire[5:]) == ["LOT-Ä1"]


def test_gs_is_kept() -> None:
    dec = decoder(Suffix.CR)
    assert dec.feed(b"]d20109501101530003\x1d10ABC\r") == ["]d20109501101530003\x1d10ABC"]


def test_noise_is_dropped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    dec = decoder(Suffix.CR)
    with caplog.at_level(logging.WARNING, logger="drivers.scanner.framing"):
        assert dec.feed(b"\x00\xff59012\x0134123\x80457\x7f\r") == [EAN]
    assert "dropped 5 noise byte(s) from a frame: 00 ff 01 80 7f" in caplog.text


def test_latin1_keeps_high_letters_drops_c1_controls(caplog: pytest.LogCaptureFixture) -> None:
    dec = decoder(Suffix.CR, encoding="latin-1")
    with caplog.at_level(logging.WARNING):
        assert dec.feed(b"CAF\xc9\x85\r") == ["CAFÉ"]
    assert "85" in caplog.text


def test_a_frame_of_noise_only_yields_nothing(caplog: pytest.LogCaptureFixture) -> None:
    dec = decoder(Suffix.CR)
    with caplog.at_level(logging.WARNING):
        assert dec.feed(b"\x00\x00\r1234\r") == ["1234"]
    assert "dropped 2 noise byte(s)" in caplog.text


def test_wrong_single_suffix_shows_up_as_noise(caplog: pytest.LogCaptureFixture) -> None:
    # A CR LF scanner on a port set to CR: the LF starts the next frame and is dropped.
    dec = decoder(Suffix.CR)
    with caplog.at_level(logging.WARNING):
        assert dec.feed(b"1234\r\n5678\r\n") == ["1234", "5678"]
    assert "0a" in caplog.text


def test_lone_cr_in_crlf_mode_is_noise() -> None:
    dec = decoder(Suffix.CRLF)
    assert dec.feed(b"12\r34\r\n") == ["1234"]


def test_overlong_frame_is_cut_up_to_its_suffix(caplog: pytest.LogCaptureFixture) -> None:
    dec = decoder(Suffix.CR, max_length=8)
    with caplog.at_level(logging.WARNING):
        assert dec.feed(b"123456789") == []
        assert dec.pending == 0
        assert dec.feed(b"ABC\rGOOD1\r") == ["GOOD1"]
    assert "no CR suffix within 8 bytes" in caplog.text


def test_empty_frames_are_ignored() -> None:
    assert decoder(Suffix.LF).feed(b"\n\n1234\n\n") == ["1234"]


@pytest.mark.parametrize(
    ("data", "aim"),
    [
        ("]E05901234123457", "]E0"),
        ("]C1011234567890123110ABC", "]C1"),
        ("]d2010950110153000310ABC", "]d2"),
        ("]Q3hello", "]Q3"),
        ("5901234123457", None),
        ("]E", None),
        ("]]E0", None),
    ],
)
def test_aim_symbology(data: str, aim: str | None) -> None:
    assert aim_symbology(data) == aim


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="max_length"):
        FramingConfig(max_length=0)
