"""Reassembling serial replies from the pieces a port hands over.

A serial read returns whatever has arrived: half a reply, two replies, or line noise from a
cable plugged in under power. The assembler keeps the bytes until the protocol's terminator
arrives (never until a read time-out, which would cost a time-out per poll) and drops bytes
that cannot belong to a reply, saying why, so the driver can log them.
"""

from __future__ import annotations

from dataclasses import dataclass

PRINTABLE = frozenset(range(0x20, 0x7F))


@dataclass(frozen=True)
class FrameSpec:
    """How one protocol delimits its replies.

    ``start``: the byte a reply begins with, or None when replies are bare lines (MT-SICS);
    bytes before it are garbage. ``end``: the terminator. ``allowed``: for bare lines, the
    bytes a line may hold (besides the terminator); a foreign byte spoils the line it is in.
    ``resync_on_start``: a second start byte inside a frame means the first one was torn
    (used where the start byte cannot occur inside a reply).
    """

    end: bytes
    start: bytes | None = None
    allowed: frozenset[int] | None = None
    resync_on_start: bool = False
    max_length: int = 128


@dataclass(frozen=True)
class Frame:
    """One complete reply, delimiters included."""

    data: bytes


@dataclass(frozen=True)
class Garbage:
    """Bytes dropped because they cannot be part of a reply, and why."""

    data: bytes
    reason: str


class FrameAssembler:
    """Feed it bytes as they arrive; it returns the complete frames and the garbage it dropped."""

    def __init__(self, spec: FrameSpec) -> None:
        self._spec = spec
        self._buffer = bytearray()
        self._noise = bytearray()

    @property
    def pending(self) -> bytes:
        """Bytes of a reply begun but not yet terminated."""
        return bytes(self._buffer)

    def reset(self) -> None:
        """Forget a partial reply (before a new command, so a stale half never joins a new one)."""
        self._buffer.clear()
        self._noise.clear()

    def feed(self, data: bytes) -> list[Frame | Garbage]:
        """Consume ``data``; return frames and garbage in the order they occurred."""
        out: list[Frame | Garbage] = []
        for value in data:
            self._feed_byte(value, out)
        self._flush_noise(out)
        return out

    def _feed_byte(self, value: int, out: list[Frame | Garbage]) -> None:
        spec = self._spec
        byte = bytes((value,))
        if spec.start is not None:
            if not self._buffer and byte != spec.start:
                self._noise += byte
                return
            if self._buffer and byte == spec.start and spec.resync_on_start:
                out.append(Garbage(bytes(self._buffer), "reply torn: a new one began"))
                self._buffer.clear()
        elif spec.allowed is not None and value not in spec.allowed and byte not in spec.end:
            # A foreign byte spoils the whole line: dropping only the byte could turn
            # "1\xff00.00 g" into a plausible "100.00 g".
            self._noise += self._buffer + byte
            self._buffer.clear()
            return
        self._flush_noise(out)
        self._buffer += byte
        if self._buffer.endswith(spec.end) and len(self._buffer) > len(spec.start or b""):
            out.append(Frame(bytes(self._buffer)))
            self._buffer.clear()
        elif len(self._buffer) > spec.max_length:
            out.append(Garbage(bytes(self._buffer), "no terminator within the maximum length"))
            self._buffer.clear()

    def _flush_noise(self, out: list[Frame | Garbage]) -> None:
        if not self._noise:
            return
        if self._spec.start is not None:
            reason = "bytes before the start of a reply"
        else:
            reason = "bytes outside the protocol's characters (and the line they spoilt)"
        out.append(Garbage(bytes(self._noise), reason))
        self._noise.clear()
