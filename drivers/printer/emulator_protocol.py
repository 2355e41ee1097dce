"""What an emulated printer says and records, apart from the wire it sits on.

The answers are built here from the emulated state, independently of the parsers in
``zpl_status`` / ``escpos_status``, so tests of the drivers against the emulator check the
parsers against a second reading of the same manuals rather than against themselves.
"""

from __future__ import annotations

import enum
import threading
import time
from collections import deque
from dataclasses import dataclass

# Jobs and status queries kept for inspection. An emulator runs inside the demo station for a
# whole shift; keeping every label it was sent grew the process by about 1 MiB per 1,000
# scans. Tests look at the last few; the totals are counted apart (``jobs_received``).
DEFAULT_HISTORY = 64


class Language(enum.StrEnum):
    """The command language an emulator answers status queries in."""

    ZPL = "zpl"
    ESCPOS = "escpos"


class AnswerMode(enum.StrEnum):
    """How the emulator answers a status query."""

    NORMAL = "normal"
    SILENT = "silent"  # as a Zebra with its head open may do
    TORN = "torn"  # ZPL: a line and a half; ESC/POS: only DLE EOT 1 is answered
    GARBAGE = "garbage"


@dataclass
class PrinterState:
    """The emulated printer's condition; tests change it between jobs."""

    paper_out: bool = False
    head_open: bool = False
    paused: bool = False
    ribbon_out: bool = False
    buffer_full: bool = False
    paper_near_end: bool = False
    offline: bool = False  # ESC/POS off-line for a reason of its own
    answer: AnswerMode = AnswerMode.NORMAL


def zpl_host_status(state: PrinterState) -> bytes:
    """The three ``~HS`` lines for ``state`` (ZPL II Programming Guide p.171-172)."""

    def bit(flag: bool) -> int:
        return int(flag)

    line1 = (
        f"030,{bit(state.paper_out)},{bit(state.paused)},1218,000,"
        f"{bit(state.buffer_full)},0,0,000,0,0,0"
    )
    line2 = f"001,0,{bit(state.head_open)},{bit(state.ribbon_out)},0,2,6,0,00000000,1,000"
    line3 = "1234,0"
    return b"".join(b"\x02" + line.encode() + b"\x03\r\n" for line in (line1, line2, line3))


def escpos_status_byte(state: PrinterState, n: int) -> bytes:
    """The ``DLE EOT n`` byte for ``state`` (Epson ESC/POS reference, ``DLE EOT``)."""
    value = 0x12  # the fixed bits
    if n == 1 and (state.offline or state.head_open or state.paper_out):
        value |= 0x08
    elif n == 2:
        value |= (0x04 if state.head_open else 0) | (0x20 if state.paper_out else 0)
    elif n == 4:
        value |= 0x60 if state.paper_out else (0x0C if state.paper_near_end else 0)
    return bytes([value])


class PrinterCore:
    """Splits received bytes into jobs and status queries, and answers the queries.

    A job is the bytes between two status queries or connection/idle boundaries, so a
    driver that asks for status and then sends a job yields exactly that job. Only the last
    ``history`` jobs and queries are kept; ``jobs_received`` and ``queries_received`` count all.
    """

    def __init__(
        self,
        language: Language,
        state: PrinterState | None = None,
        *,
        history: int = DEFAULT_HISTORY,
    ) -> None:
        self.language = language
        self.state = state if state is not None else PrinterState()
        self._queries: deque[bytes] = deque(maxlen=history)
        self._jobs: deque[bytes] = deque(maxlen=history)
        self.jobs_received = 0
        self.queries_received = 0
        self._job = bytearray()
        self._pending = b""
        self._changed = threading.Condition()

    @property
    def jobs(self) -> list[bytes]:
        """The last finished jobs (at most ``history``), in order of arrival."""
        with self._changed:
            return list(self._jobs)

    @property
    def queries(self) -> list[bytes]:
        """The last status queries (at most ``history``), in order of arrival."""
        with self._changed:
            return list(self._queries)

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the wire; return the bytes to answer with (maybe none)."""
        reply = b""
        with self._changed:
            buf = self._pending + data
            while True:
                start, length = self._find_query(buf)
                if start < 0:
                    break
                self._job += buf[:start]
                query, buf = buf[start : start + length], buf[start + length :]
                self._end_job()
                self._queries.append(query)
                self.queries_received += 1
                reply += self._answer(query)
            keep = self._held_back(buf)
            self._job += buf[: len(buf) - keep]
            self._pending = buf[len(buf) - keep :]
            self._changed.notify_all()
        return reply

    def end_job(self) -> None:
        """The connection closed or the line went idle: whatever arrived is one job."""
        with self._changed:
            self._job += self._pending
            self._pending = b""
            self._end_job()
            self._changed.notify_all()

    def wait_for_jobs(self, count: int, timeout: float) -> list[bytes]:
        """Wait until ``count`` jobs have arrived in all or ``timeout`` passes; return the kept."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.jobs_received < count and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return list(self._jobs)

    def wait_for_queries(self, count: int, timeout: float) -> list[bytes]:
        """Wait until ``count`` status queries have arrived in all or ``timeout`` passes."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self.queries_received < count and (left := deadline - time.monotonic()) > 0:
                self._changed.wait(left)
            return list(self._queries)

    def _end_job(self) -> None:
        if self._job:
            self._jobs.append(bytes(self._job))
            self.jobs_received += 1
            self._job.clear()

    def _find_query(self, buf: bytes) -> tuple[int, int]:
        if self.language is Language.ZPL:
            return buf.find(b"~HS"), 3
        start = buf.find(b"\x10\x04")
        if start < 0 or start + 2 >= len(buf):
            return -1, 0
        return start, 3

    def _held_back(self, buf: bytes) -> int:
        """How many trailing bytes might start a query that has not fully arrived yet."""
        prefixes = (b"~H", b"~") if self.language is Language.ZPL else (b"\x10\x04", b"\x10")
        return next((len(p) for p in prefixes if buf.endswith(p)), 0)

    def _answer(self, query: bytes) -> bytes:
        state, mode = self.state, self.state.answer
        if mode == AnswerMode.SILENT:
            return b""
        if self.language is Language.ZPL:
            full = zpl_host_status(state)
            if mode == AnswerMode.TORN:
                return full[: full.index(b"\x03\r\n") + 3 + 15]
            return b"ERROR: unknown command\r\n" if mode == AnswerMode.GARBAGE else full
        n = query[2]
        if mode == AnswerMode.GARBAGE:
            return b"\x00"
        if mode == AnswerMode.TORN and n != 1:
            return b""
        return escpos_status_byte(state, n) if n in (1, 2, 3, 4) else b""
