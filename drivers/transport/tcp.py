"""A raw TCP connection to a device, such as a printer on port 9100, with bounded waits.

Every wait has a time-out and every failure becomes a :class:`TransportError` whose text a
person can act on ("connection refused by 10.0.0.7:9100"), not an errno.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable
from types import TracebackType

from drivers.base import TransportError


class TcpTransport:
    """One TCP connection: connect with a time-out, send everything, read what arrives.

    Not thread-safe: one owner (the device's I/O thread) at a time.
    """

    def __init__(self, host: str, port: int, *, timeout: float = 3.0) -> None:
        self.host = host
        self.port = port
        self.timeout = timeout
        self._sock: socket.socket | None = None

    @property
    def where(self) -> str:
        """``host:port``, for messages."""
        return f"{self.host}:{self.port}"

    @property
    def can_read(self) -> bool:
        """A socket has a back channel, so status queries make sense."""
        return True

    def open(self) -> None:
        """Connect, or raise :class:`TransportError` saying why not."""
        if self._sock is not None:
            return
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except ConnectionRefusedError as err:
            raise TransportError(
                f"connection refused by {self.where} (printer off, or wrong port?)"
            ) from err
        except TimeoutError as err:
            raise TransportError(
                f"time-out connecting to {self.where} after {self.timeout:g} s"
            ) from err
        except socket.gaierror as err:
            raise TransportError(f"unknown host {self.host!r}: {err.strerror}") from err
        except OSError as err:
            raise TransportError(f"cannot connect to {self.where}: {_why(err)}") from err

    def _socket(self) -> socket.socket:
        if self._sock is None:
            self.open()
        assert self._sock is not None
        return self._sock

    def write(self, data: bytes) -> None:
        """Send all of ``data`` or raise when the peer stops taking it for ``timeout`` s.

        Not ``sendall``: its time-out bounds the whole call, and a printer takes a large
        batch only as fast as it prints; what matters is whether it is still taking data.
        """
        sock = self._socket()
        view = memoryview(data)
        try:
            sock.settimeout(self.timeout)
            while view:
                view = view[sock.send(view[:65536]) :]
        except TimeoutError as err:
            raise TransportError(
                f"time-out sending to {self.where}: {len(data) - len(view)} of {len(data)} "
                "bytes taken (printer not taking data: busy or offline?)"
            ) from err
        except (ConnectionResetError, BrokenPipeError) as err:
            raise TransportError(f"connection reset by {self.where} while sending") from err
        except OSError as err:
            raise TransportError(f"cannot send to {self.where}: {_why(err)}") from err

    def read_until(self, done: Callable[[bytes], bool], timeout: float) -> bytes:
        """Read until ``done(received)`` or ``timeout`` seconds pass or the peer closes.

        Returns what arrived, complete or not: the caller's parser judges a torn answer.
        """
        sock = self._socket()
        received = b""
        deadline = time.monotonic() + timeout
        while not done(received):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(remaining)
            try:
                chunk = sock.recv(4096)
            except TimeoutError:
                break
            except ConnectionResetError as err:
                raise TransportError(f"connection reset by {self.where} while reading") from err
            except OSError as err:
                raise TransportError(f"cannot read from {self.where}: {_why(err)}") from err
            if not chunk:
                break
            received += chunk
        return received

    def discard_input(self) -> bytes:
        """Drop bytes already waiting (a late answer to an earlier query) and return them."""
        sock = self._socket()
        dropped = b""
        sock.setblocking(False)
        try:
            while chunk := sock.recv(4096):
                dropped += chunk
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as err:
            raise TransportError(f"cannot read from {self.where}: {_why(err)}") from err
        finally:
            sock.settimeout(self.timeout)
        return dropped

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        sock, self._sock = self._sock, None
        if sock is None:
            return
        # The peer may already be gone; closing our end is all that is still needed.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def __enter__(self) -> TcpTransport:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _why(err: OSError) -> str:
    return err.strerror or str(err) or type(err).__name__
