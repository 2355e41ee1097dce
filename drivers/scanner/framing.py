"""Serial scanner framing: bytes in, complete scans out. Pure, no I/O.

A serial or USB-CDC scanner sends each code followed by a suffix (CR, LF, CR LF or Tab,
whatever it was programmed with). Reads cut frames anywhere, so the decoder keeps the
unfinished frame between calls. Line noise (NUL, bytes that are not valid in the configured
encoding, control characters other than GS) is dropped with a logged warning; GS (0x1D)
stays, it separates GS1 element strings.

A frame longer than ``max_length`` without a suffix is cut: it is dropped, with a warning,
up to and including its suffix. Half a code must never reach the interpreter, and the usual
cause is a suffix setting that does not match the scanner.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from typing import Literal

logger = logging.getLogger(__name__)

CR, LF, TAB, GS = 0x0D, 0x0A, 0x09, "\x1d"

# ISO/IEC 15424 symbology identifier: "]", a code character, a modifier character.
_AIM = re.compile(r"\][A-Za-z][0-9A-Za-z]")


class Suffix(enum.StrEnum):
    """What ends a frame. ``AUTO`` accepts CR, LF and CR LF alike."""

    CR = "cr"
    LF = "lf"
    CRLF = "crlf"
    TAB = "tab"
    AUTO = "auto"


_SINGLE_BYTE_TERMINATOR = {Suffix.CR: CR, Suffix.LF: LF, Suffix.TAB: TAB, Suffix.AUTO: LF}


@dataclass(frozen=True)
class FramingConfig:
    """How a serial scanner ends and encodes its frames."""

    suffix: Suffix = Suffix.AUTO
    encoding: Literal["utf-8", "latin-1"] = "utf-8"
    # A GS1 DataMatrix holds at most 2335 characters, a QR code 7089 digits.
    max_length: int = 8192

    def __post_init__(self) -> None:
        if self.max_length < 1:
            raise ValueError("max_length must be positive")


def aim_symbology(data: str) -> str | None:
    """The AIM symbology identifier a scan starts with (``"]E0"``), if it has one."""
    match = _AIM.match(data)
    return match.group() if match else None


class FrameDecoder:
    """Reassembles a scanner's frames from reads of any size; drops noise with a warning."""

    def __init__(self, config: FramingConfig | None = None, *, name: str = "scanner") -> None:
        self.config = config or FramingConfig()
        self._name = name
        self._buf = bytearray()
        self._after_cr = False  # CR seen, waiting to learn whether LF follows
        self._cut = False  # the current frame overflowed: discard it up to its suffix

    @property
    def pending(self) -> int:
        """Bytes of an unfinished frame held since the last suffix."""
        return len(self._buf) + self._after_cr

    def feed(self, data: bytes) -> list[str]:
        """Take the next bytes read; return the frames they completed, oldest first."""
        mode = self.config.suffix
        frames: list[str] = []
        for byte in data:
            if self._after_cr:
                self._after_cr = False
                if byte == LF:
                    if mode is Suffix.CRLF:
                        self._end(frames)
                    continue  # AUTO: the frame already ended at the CR
                if mode is Suffix.CRLF:
                    self._append(CR)  # a lone CR: noise, dropped when the frame is decoded
            if byte == CR and mode in (Suffix.CRLF, Suffix.AUTO):
                self._after_cr = True
                if mode is Suffix.AUTO:
                    self._end(frames)
            elif byte == _SINGLE_BYTE_TERMINATOR.get(mode):
                self._end(frames)
            else:
                self._append(byte)
        return frames

    def _append(self, byte: int) -> None:
        if self._cut:
            return
        self._buf.append(byte)
        if len(self._buf) > self.config.max_length:
            logger.warning(
                "%s: no %s suffix within %d bytes; frame dropped up to its suffix "
                "(does the suffix setting match the scanner?)",
                self._name,
                self.config.suffix.name,
                self.config.max_length,
            )
            self._buf.clear()
            self._cut = True

    def _end(self, frames: list[str]) -> None:
        raw = bytes(self._buf)
        self._buf.clear()
        if self._cut:
            self._cut = False
            return
        text = self._clean(raw)
        if text:
            frames.append(text)

    def _clean(self, raw: bytes) -> str:
        encoding = self.config.encoding
        # surrogateescape turns each invalid byte into one lone surrogate, which is not
        # printable: invalid bytes and control characters are then dropped by one rule.
        text = raw.decode(encoding, errors="surrogateescape")
        kept = [ch for ch in text if ch == GS or ch.isprintable()]
        if len(kept) != len(text):
            noise = b"".join(
                ch.encode(encoding, errors="surrogateescape")
                for ch in text
                if not (ch == GS or ch.isprintable())
            )
            logger.warning(
                "%s: dropped %d noise byte(s) from a frame: %s",
                self._name,
                len(noise),
                noise[:32].hex(" "),
            )
        return "".join(kept)
