"""An emulated serial scale on a real pty, for tests and the demo station.

The driver opens ``emulator.port`` (the pty's slave, ``/dev/pts/N``) like any serial port and
the emulator answers on the master side with the protocol's real bytes. Everything a real
bench does to a driver can be switched on: motion, overload, faults, silence, line noise
before replies, a reply replaced by noise (a glitch), replies torn into pieces, and
unplugging (closing the master).
"""

from __future__ import annotations

import os
import pty
import select
import threading
import time
import tty
from collections import Counter, deque
from dataclasses import replace

from drivers.scale.firmware import Firmware, Panel, firmware_for
from drivers.scale.model import ScaleState

# Commands kept for inspection. The demo station polls its emulated scale several times a
# second for a whole shift; keeping every command grew the process without bound. Tests look
# at the last few; ``wait_for_command`` counts every command ever received (a counter per
# distinct command, and the driver sends a handful of distinct ones).
DEFAULT_HISTORY = 256
MAX_DISTINCT = 1024


class ScaleEmulator:
    """A scale speaking ``protocol`` (``mtsics``, ``nci``, ``8217``) on a fresh pty.

    Use as a context manager, or call ``start()`` and ``close()``. All setters are
    thread-safe and take effect from the next command. The last ``history`` commands are kept.
    """

    def __init__(
        self,
        protocol: str,
        weight: str = "0.000",
        unit: str = "kg",
        *,
        history: int = DEFAULT_HISTORY,
    ) -> None:
        self._firmware: Firmware = firmware_for(protocol)
        self._lock = threading.Condition()
        self._panel = Panel(weight=weight, unit=unit)
        self._commands: deque[bytes] = deque(maxlen=history)
        self._received: Counter[bytes] = Counter()
        self._silent = False
        self._garbage = b""
        self._glitches: list[bytes] = []
        self._pieces = 1
        self._piece_delay_s = 0.0
        self._master, self._slave = pty.openpty()
        # Raw on both ends: no echo, no CR/LF translation, no line buffering.
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self._closed = threading.Event()
        self._master_open = True
        # Wakes the serving thread out of select() so it, and only it, closes the master:
        # closing an fd another thread is polling could let a new pty reuse its number.
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._serve, name=f"scale-emulator-{protocol}")

    def __enter__(self) -> ScaleEmulator:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start answering."""
        self._thread.start()

    def close(self) -> None:
        """Stop answering and close every descriptor (an unplug, then cleanup)."""
        self.unplug()
        for fd in (self._slave, self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._slave = self._wake_r = self._wake_w = -1

    def unplug(self) -> None:
        """Close the master: the driver's next read or write on the port fails."""
        if self._closed.is_set():
            return
        self._closed.set()
        os.write(self._wake_w, b"x")
        if self._thread.is_alive():
            self._thread.join(2.0)
        self._close_master()

    def _close_master(self) -> None:
        with self._lock:
            if self._master_open:
                self._master_open = False
                os.close(self._master)

    # --- what the scale shows -------------------------------------------------------------

    @property
    def panel(self) -> Panel:
        """The current display state (it changes on zero and tare)."""
        with self._lock:
            return self._panel

    def set_weight(self, weight: str, unit: str | None = None) -> None:
        """A stable weight, as display text (``"1.234"``: the decimals are the resolution)."""
        self._set(ScaleState.STABLE, weight=weight, unit=unit or self.panel.unit)

    def set_moving(self, weight: str | None = None) -> None:
        """The weight is settling (optionally at a new value)."""
        self._set(ScaleState.MOVING, weight=weight or self.panel.weight)

    def set_negative(self, weight: str = "0.120") -> None:
        """Below zero by ``weight``."""
        self._set(ScaleState.NEGATIVE, weight=weight)

    def set_overload(self) -> None:
        """Above capacity."""
        self._set(ScaleState.OVERLOAD)

    def set_underload(self) -> None:
        """Below the weighing range."""
        self._set(ScaleState.UNDERLOAD)

    def set_fault(self, code: str = "1b") -> None:
        """A hardware fault (MT-SICS ``Error <code>``; NCI EEPROM error; 8217 zero error)."""
        self._set(ScaleState.FAULT, fault=code)

    def _set(self, state: ScaleState, **changes: str) -> None:
        with self._lock:
            self._panel = replace(self._panel, state=state, **changes)

    # --- how the line behaves -------------------------------------------------------------

    def set_silent(self, silent: bool) -> None:
        """Receive commands but never answer (a scale switched to another mode)."""
        with self._lock:
            self._silent = silent

    def set_garbage(self, garbage: bytes) -> None:
        """Bytes written before every reply (line noise); b"" for none."""
        with self._lock:
            self._garbage = garbage

    def glitch(self, noise: bytes, times: int = 1) -> None:
        """Answer the next ``times`` commands with ``noise`` instead of their reply (a line
        glitch), then normally again."""
        with self._lock:
            self._glitches += [noise] * times

    def set_split(self, pieces: int, delay_s: float = 0.01) -> None:
        """Write each reply in ``pieces`` writes, ``delay_s`` apart (a slow or buffered line)."""
        with self._lock:
            self._pieces, self._piece_delay_s = max(pieces, 1), delay_s

    # --- what the scale received ----------------------------------------------------------

    @property
    def commands(self) -> list[bytes]:
        """The last commands received (at most ``history``), in order."""
        with self._lock:
            return list(self._commands)

    def wait_for_command(self, command: bytes, timeout_s: float = 2.0, count: int = 1) -> bool:
        """Wait until ``command`` has been received ``count`` times."""
        with self._lock:
            return self._lock.wait_for(lambda: self._received[command] >= count, timeout_s)

    @property
    def distinct_counted(self) -> int:
        """How many distinct commands are being counted (at most ``MAX_DISTINCT``)."""
        with self._lock:
            return len(self._received)

    def _count(self, command: bytes) -> None:
        # Line noise could make endless distinct "commands": when the counts are full, the
        # rarest goes (noise is seen once; the driver's commands many times).
        if command not in self._received and len(self._received) >= MAX_DISTINCT:
            del self._received[min(self._received, key=self._received.__getitem__)]
        self._received[command] += 1

    def _serve(self) -> None:
        try:
            while not self._closed.is_set():
                self._serve_once()
        finally:
            self._close_master()

    def _serve_once(self) -> None:
        ready, _, _ = select.select([self._master, self._wake_r], [], [])
        if self._master not in ready or self._closed.is_set():
            return
        try:
            data = os.read(self._master, 1024)
        except OSError:
            # EIO while no one has the slave open; our own slave fd normally prevents it.
            self._closed.wait(0.01)
            return
        with self._lock:
            exchanges, self._panel = self._firmware.feed(data, self._panel)
            self._commands.extend(e.command for e in exchanges)
            for exchange in exchanges:
                self._count(exchange.command)
            self._lock.notify_all()
            silent, garbage = self._silent, self._garbage
            pieces, delay_s = self._pieces, self._piece_delay_s
        for exchange in exchanges:
            reply = self._glitched(exchange.reply)
            if not silent and reply:
                self._write(garbage + reply, pieces, delay_s)

    def _glitched(self, reply: bytes) -> bytes:
        with self._lock:
            if reply and self._glitches:
                return self._glitches.pop(0)
        return reply

    def _write(self, data: bytes, pieces: int, delay_s: float) -> None:
        size = max(-(-len(data) // pieces), 1)
        for start in range(0, len(data), size):
            if start:
                time.sleep(delay_s)  # emulated line timing, not a test wait
            try:
                os.write(self._master, data[start : start + size])
            except OSError:
                return
