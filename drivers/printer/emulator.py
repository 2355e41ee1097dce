"""Emulated printers on real transports: a TCP raw port and a serial pty.

Both run one background thread, record the bytes they receive (split into jobs; the last
``history`` jobs are kept, 64 unless given), and
answer ``~HS`` or ``DLE EOT n`` from a :class:`PrinterState` the test can change. They are
context managers; nothing keeps running after ``close()``.

    with TcpPrinterEmulator(Language.ZPL) as printer:
        ZplPrinter(printer.url).print_job(label)
        assert printer.wait_for_jobs(1, timeout=2) == [label]
"""

from __future__ import annotations

import os
import pty
import select
import socket
import threading
import tty
from types import TracebackType

from drivers.printer.emulator_protocol import (
    DEFAULT_HISTORY,
    AnswerMode,
    Language,
    PrinterCore,
    PrinterState,
)

__all__ = ["AnswerMode", "Language", "PrinterState", "PtyPrinterEmulator", "TcpPrinterEmulator"]

_POLL = 0.05  # how often the thread looks at its stop flag


class _Emulator:
    """Shared lifetime handling: a core that records and answers, a thread that serves."""

    def __init__(self, language: Language, state: PrinterState | None, history: int) -> None:
        self.core = PrinterCore(language, state, history=history)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=type(self).__name__, daemon=True)

    @property
    def state(self) -> PrinterState:
        """The emulated condition; change its fields to change the next answers."""
        return self.core.state

    @property
    def jobs(self) -> list[bytes]:
        """Jobs received so far."""
        return self.core.jobs

    def wait_for_jobs(self, count: int, timeout: float) -> list[bytes]:
        """Block until ``count`` jobs arrived or ``timeout`` passed; return all jobs."""
        return self.core.wait_for_jobs(count, timeout)

    def _serve(self) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Stop the thread and release the transport."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TcpPrinterEmulator(_Emulator):
    """A printer's raw port on 127.0.0.1 (ephemeral port); one connection at a time.

    Connections are served in turn, as most printers do on port 9100. A job ends when
    its connection closes or a status query arrives.
    """

    def __init__(
        self,
        language: Language,
        state: PrinterState | None = None,
        *,
        history: int = DEFAULT_HISTORY,
    ) -> None:
        super().__init__(language, state, history)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._thread.start()

    @property
    def url(self) -> str:
        """The address to give a driver: ``tcp://127.0.0.1:PORT``."""
        return f"tcp://127.0.0.1:{self.port}"

    def __enter__(self) -> TcpPrinterEmulator:
        return self

    def _serve(self) -> None:
        self._server.settimeout(_POLL)
        with self._server:
            while not self._stop.is_set():
                try:
                    conn, _ = self._server.accept()
                except TimeoutError:
                    continue
                with conn:
                    self._serve_connection(conn)
                self.core.end_job()

    def _serve_connection(self, conn: socket.socket) -> None:
        conn.settimeout(_POLL)
        while not self._stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                return  # reset by the client: what arrived is still recorded
            if not data:
                return
            reply = self.core.feed(data)
            if reply:
                conn.sendall(reply)


class PtyPrinterEmulator(_Emulator):
    """A printer on a serial line: a real pty pair, raw on both ends.

    Drivers open :attr:`port` (``/dev/pts/N``) like any serial port; baud and parity are
    ignored by a pty. A job ends at a status query or after ``idle_gap`` seconds of quiet.
    """

    def __init__(
        self,
        language: Language,
        state: PrinterState | None = None,
        *,
        idle_gap: float = 0.1,
        history: int = DEFAULT_HISTORY,
    ) -> None:
        super().__init__(language, state, history)
        self._master, self._slave = pty.openpty()
        tty.setraw(self._master)
        tty.setraw(self._slave)
        self.port: str = os.ttyname(self._slave)
        self._idle_gap = idle_gap
        self._thread.start()

    @property
    def url(self) -> str:
        """The address to give a driver: ``serial:/dev/pts/N?baud=9600``."""
        return f"serial:{self.port}?baud=9600"

    def __enter__(self) -> PtyPrinterEmulator:
        return self

    def _serve(self) -> None:
        # Keeping our slave fd open means the master never sees EOF when a driver closes.
        try:
            while not self._stop.is_set():
                readable, _, _ = select.select([self._master], [], [], self._idle_gap)
                if not readable:
                    self.core.end_job()
                    continue
                reply = self.core.feed(os.read(self._master, 65536))
                if reply:
                    os.write(self._master, reply)
        finally:
            self.core.end_job()
            os.close(self._master)
            os.close(self._slave)
