"""Bytes to a printer device file (``/dev/usb/lp0``) or appended to a spool file.

A device file is opened non-blocking and written under a time-out, because a USB printer
that is out of paper stops taking data and a plain ``write`` would hang the I/O thread for
good. A path under ``/dev`` is never created: a missing ``/dev/usb/lp0`` means the printer
is unplugged, and creating a regular file there would swallow jobs silently. A spool file
is appended to, never truncated, so earlier jobs in it are never lost.
"""

from __future__ import annotations

import errno
import os
import select
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from drivers.base import TransportError


class DevFileTransport:
    """A write-only connection to a device or spool file; it has no status back channel."""

    def __init__(self, path: str | os.PathLike[str], *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._fd: int | None = None

    @property
    def where(self) -> str:
        """The path, for messages."""
        return str(self.path)

    @property
    def can_read(self) -> bool:
        """A device or spool file gives no status, so queries are not attempted."""
        return False

    def open(self) -> None:
        """Open for appending, or raise :class:`TransportError` saying why not."""
        if self._fd is not None:
            return
        flags = os.O_WRONLY | os.O_APPEND | os.O_CLOEXEC
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            if self.path.parts[:2] == ("/", "dev"):
                raise TransportError(
                    f"{self.path} does not exist (printer unplugged or switched off?)"
                ) from None
            flags |= os.O_CREAT
            mode = 0
        except OSError as err:
            raise TransportError(f"cannot open {self.path}: {err.strerror}") from err
        if stat.S_ISDIR(mode):
            raise TransportError(f"{self.path} is a directory, not a printer or spool file")
        if stat.S_ISCHR(mode):
            # Windows has no O_NONBLOCK (and reports COM/NUL as character devices).
            flags |= getattr(os, "O_NONBLOCK", 0)
        try:
            self._fd = os.open(self.path, flags, 0o644)
        except PermissionError as err:
            raise TransportError(
                f"permission denied on {self.path} (is this user in the 'lp' group?)"
            ) from err
        except OSError as err:
            raise TransportError(f"cannot open {self.path}: {err.strerror}") from err

    def write(self, data: bytes) -> None:
        """Write all of ``data``, or raise once the device takes nothing for ``timeout`` s.

        The time-out restarts with every accepted chunk: a printer takes a long job only
        as fast as it prints, and that is not a failure.
        """
        if self._fd is None:
            self.open()
        assert self._fd is not None
        view = memoryview(data)
        deadline = time.monotonic() + self.timeout
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransportError(
                    f"time-out writing to {self.path}: {len(data) - len(view)} of "
                    f"{len(data)} bytes taken (printer offline or out of paper?)"
                )
            try:
                written = os.write(self._fd, view)
            except BlockingIOError:
                select.select([], [self._fd], [], remaining)
                continue
            except OSError as err:
                if err.errno == errno.ENODEV:
                    raise TransportError(f"{self.path} vanished (printer unplugged?)") from err
                raise TransportError(f"cannot write to {self.path}: {err.strerror}") from err
            view = view[written:]
            deadline = time.monotonic() + self.timeout

    def read_until(self, done: Callable[[bytes], bool], timeout: float) -> bytes:
        """No back channel: nothing ever arrives."""
        return b""

    def discard_input(self) -> bytes:
        """No back channel: nothing to discard."""
        return b""

    def close(self) -> None:
        """Close the file; safe to call twice."""
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)

    def __enter__(self) -> DevFileTransport:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
