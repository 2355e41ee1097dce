"""A serial barcode scanner emulated on a real pty, for tests and the demo station.

The driver opens :attr:`SerialScannerEmulator.path` exactly like a device, so the whole real
path (pyserial, termios, reads cut anywhere) runs. With ``link`` the emulator keeps a stable
symlink to its pty, like a ``/dev/serial/by-id`` link: an unplug removes it and a replug
points it at a new pty, so a driver configured with the link finds the scanner again.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pty
import time
import tty
from collections.abc import Sequence
from pathlib import Path


class SerialScannerEmulator:
    """A serial scanner on a pty: sends codes with a suffix, split, noisy, or unplugged."""

    def __init__(
        self,
        *,
        suffix: bytes = b"\r",
        encoding: str = "utf-8",
        link: str | os.PathLike[str] | None = None,
    ) -> None:
        self.suffix = suffix
        self.encoding = encoding
        self._link = Path(link) if link is not None else None
        self._master = -1
        self._slave = -1
        self._tty = ""
        self.replug()

    @property
    def path(self) -> str:
        """What the driver opens: the stable link if there is one, else the pty itself."""
        return str(self._link) if self._link is not None else self._tty

    @property
    def plugged(self) -> bool:
        """Whether the scanner is connected."""
        return self._master >= 0

    def send(self, code: str | bytes, *, suffix: bytes | None = None) -> None:
        """Send one scan: the code, then the suffix (the emulator's unless given)."""
        self.write(self._frame(code, suffix))

    def send_split(
        self,
        code: str | bytes,
        cuts: Sequence[int],
        *,
        delay: float = 0.02,
        suffix: bytes | None = None,
    ) -> None:
        """Send one scan in pieces, cut at byte offsets ``cuts``, pausing ``delay`` between."""
        frame = self._frame(code, suffix)
        bounds = [0, *cuts, len(frame)]
        for i, (start, end) in enumerate(itertools.pairwise(bounds)):
            if i:
                time.sleep(delay)  # the pause is the point: the reader sees separate reads
            self.write(frame[start:end])

    def inject_noise(self, noise: bytes = b"\x00\xff\xfe") -> None:
        """Send bytes no scanner means: what a loose cable or a power-up glitch produces."""
        self.write(noise)

    def write(self, data: bytes) -> None:
        """Write raw bytes to the driver's side."""
        if not self.plugged:
            raise OSError("emulated scanner is unplugged")
        view = memoryview(data)
        while view:
            view = view[os.write(self._master, view) :]

    def unplug(self) -> None:
        """Pull the cable: the pty goes away (reads on the driver's side fail) and so does the
        link."""
        for fd in (self._master, self._slave):
            if fd >= 0:
                os.close(fd)
        self._master = self._slave = -1
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()

    def replug(self) -> None:
        """Plug in again: a new pty, and the link (if any) pointing at it."""
        self.unplug()
        master, slave = pty.openpty()
        # Raw both ends: no CR -> LF translation, no echo, bytes as sent.
        tty.setraw(master)
        tty.setraw(slave)
        # The emulator keeps its slave end open, so the pty lives until unplug() whether or
        # not the driver currently has it open.
        self._master, self._slave = master, slave
        self._tty = os.ttyname(slave)
        if self._link is not None:
            staging = self._link.with_name(self._link.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                staging.unlink()
            staging.symlink_to(self._tty)
            staging.replace(self._link)  # atomic: a driver never sees a missing link

    def close(self) -> None:
        """Unplug for good."""
        self.unplug()

    def __enter__(self) -> SerialScannerEmulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _frame(self, code: str | bytes, suffix: bytes | None) -> bytes:
        data = code.encode(self.encoding) if isinstance(code, str) else code
        return data + (self.suffix if suffix is None else suffix)
