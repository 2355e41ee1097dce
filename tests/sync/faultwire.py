"""HTTP/1.1 framing for the fault proxy: whole messages off a socket, and resets."""

from __future__ import annotations

import contextlib
import socket
import struct
from dataclasses import dataclass


@dataclass(frozen=True)
class Message:
    """One HTTP message as bytes: the head (up to the blank line) and the body."""

    head: bytes
    body: bytes

    @property
    def first_line(self) -> str:
        """``POST /v1/sync/push HTTP/1.1`` or ``HTTP/1.1 200 OK``."""
        return self.head.split(b"\r\n", 1)[0].decode("latin-1")

    def raw(self) -> bytes:
        """The message as it goes on the wire."""
        return self.head + self.body


class Closed(Exception):  # noqa: N818 - the peer went away: the connection ends
    """The other side closed the connection."""


def read_message(sock: socket.socket, buffer: bytearray) -> Message:
    """One whole request or answer from ``sock`` (``buffer`` keeps what follows it)."""
    while b"\r\n\r\n" not in buffer:
        _fill(sock, buffer)
    end = buffer.index(b"\r\n\r\n") + 4
    head = bytes(buffer[:end])
    del buffer[:end]
    headers = _headers(head)
    if headers.get("transfer-encoding", "").lower() == "chunked":
        return Message(head, _read_chunked(sock, buffer))
    length = int(headers.get("content-length", "0"))
    while len(buffer) < length:
        _fill(sock, buffer)
    body = bytes(buffer[:length])
    del buffer[:length]
    return Message(head, body)


def _fill(sock: socket.socket, buffer: bytearray) -> None:
    data = sock.recv(65536)
    if not data:
        raise Closed
    buffer.extend(data)


def _headers(head: bytes) -> dict[str, str]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    pairs = (line.split(":", 1) for line in lines if ":" in line)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def _read_chunked(sock: socket.socket, buffer: bytearray) -> bytes:
    start = 0
    while True:
        while b"\r\n" not in buffer[start:]:
            _fill(sock, buffer)
        line_end = buffer.index(b"\r\n", start)
        size = int(bytes(buffer[start:line_end]).split(b";")[0], 16)
        need = line_end + 2 + size + 2
        while len(buffer) < need:
            _fill(sock, buffer)
        start = need
        if size == 0:
            body = bytes(buffer[:start])
            del buffer[:start]
            return body


def reset(sock: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0) rather than an orderly FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
