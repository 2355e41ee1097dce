"""Serial scanner framing under fuzzing: no exception, no half code, noise never changes a code.

tests/drivers/scanner/test_framing.py checks each rule by exact bytes; here random codes are
framed as the emulator frames them (code, then the suffix), with line noise inserted between
characters and reads cut anywhere, for every suffix setting and both encodings.
"""

from __future__ import annotations

from typing import Literal

from hypothesis import given
from hypothesis import strategies as st

from drivers.scanner.framing import GS, FrameDecoder, FramingConfig, Suffix
from tests.fuzz.budget import counted, fuzz_settings
from tests.fuzz.test_scale_replies import cut

WIRE_SUFFIX = {
    Suffix.CR: [b"\r"],
    Suffix.LF: [b"\n"],
    Suffix.CRLF: [b"\r\n"],
    Suffix.TAB: [b"\t"],
    Suffix.AUTO: [b"\r", b"\n", b"\r\n"],
}
# Control characters that are line noise under every setting (not CR, LF, TAB or GS).
C0_NOISE = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D, 0x1D)) + b"\x7f"
# Bytes that can never be part of a UTF-8 character, and C1 controls for latin-1.
NOISE = {
    "utf-8": C0_NOISE + b"\xff\xfe\xc0\xc1\xf5",
    "latin-1": C0_NOISE + bytes(range(0x80, 0xA0)),
}

Encoding = Literal["utf-8", "latin-1"]


def code_text(encoding: Encoding) -> st.SearchStrategy[str]:
    """What a barcode may hold: printable text (latin-1 range if so encoded) and GS."""
    top = 0xFF if encoding == "latin-1" else 0x10FFFF
    # Python's "printable" (the decoder's rule): letters, digits, punctuation, symbols, and
    # the ASCII space; other spaces (NBSP...) are dropped as noise, and no barcode holds them.
    printable = st.characters(
        max_codepoint=top, categories=("L", "N", "P", "S"), include_characters=" "
    ).filter(str.isprintable)
    return st.lists(st.one_of(printable, st.just(GS)), min_size=1, max_size=40).map("".join)


@given(
    suffix=st.sampled_from(list(Suffix)),
    encoding=st.sampled_from(["utf-8", "latin-1"]),
    max_length=st.sampled_from([1, 5, 64, 8192]),
    data=st.binary(max_size=300),
    points=st.lists(st.integers(0, 300), max_size=10),
)
@fuzz_settings(weight=1)
@counted("scanner: arbitrary bytes")
def test_arbitrary_bytes_give_clean_bounded_frames(
    suffix: Suffix, encoding: Encoding, max_length: int, data: bytes, points: list[int]
) -> None:
    decoder = FrameDecoder(FramingConfig(suffix=suffix, encoding=encoding, max_length=max_length))
    for chunk in cut(data, points):
        for frame in decoder.feed(chunk):
            assert frame, "an empty frame"
            assert all(ch == GS or ch.isprintable() for ch in frame), frame
            assert len(frame.encode(encoding, errors="surrogateescape")) <= max_length
    assert decoder.pending <= max_length + 1


@st.composite
def framed_scans(draw: st.DrawFn) -> tuple[Suffix, Encoding, list[str], list[bytes]]:
    suffix = draw(st.sampled_from(list(Suffix)))
    encoding: Encoding = draw(st.sampled_from(["utf-8", "latin-1"]))
    codes = draw(st.lists(code_text(encoding), min_size=1, max_size=5))
    noisy = st.binary(max_size=3).map(
        lambda b: bytes(NOISE[encoding][x % len(NOISE[encoding])] for x in b)
    )
    wire = b""
    for code in codes:
        # Noise between characters (never inside a UTF-8 sequence: a byte spliced into one
        # can make another valid character, which no framing can tell from the real one).
        for ch in code:
            wire += draw(noisy) + ch.encode(encoding)
        wire += draw(noisy) + draw(st.sampled_from(WIRE_SUFFIX[suffix]))
    points = draw(st.lists(st.integers(0, len(wire)), max_size=12))
    return suffix, encoding, codes, cut(wire, points)


@given(framed_scans())
@fuzz_settings(weight=2)
@counted("scanner: framed codes with noise")
def test_codes_come_out_whole_whatever_the_noise_and_the_reads(
    scans: tuple[Suffix, Encoding, list[str], list[bytes]],
) -> None:
    suffix, encoding, codes, chunks = scans
    decoder = FrameDecoder(FramingConfig(suffix=suffix, encoding=encoding))
    frames = [frame for chunk in chunks for frame in decoder.feed(chunk)]
    assert frames == codes
    # Only a final CR may be held, waiting to learn whether an LF follows.
    assert decoder.pending == 0 or (suffix in (Suffix.CRLF, Suffix.AUTO) and decoder.pending == 1)
