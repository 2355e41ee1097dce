"""Printing through a CUPS queue with the ``lp`` command (PDFs, and raw jobs via a spooler).

A spooler accepts a job whatever state the printer is in, so :meth:`LpPrinter.status` is
always unknown; "sent" here means "queued by CUPS", nothing more.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from drivers.printer.model import PrinterStatus, PrintResult, unknown_status

NO_STATUS_REASON = "a CUPS queue gives no printer status"


class LpPrinter:
    """A CUPS queue reached by running ``lp -d QUEUE``."""

    def __init__(self, queue: str, *, lp_command: str = "lp", timeout: float = 30.0) -> None:
        self.queue = queue
        self.lp_command = lp_command
        self.timeout = timeout

    def command(self, *, raw: bool, path: Path | None = None) -> list[str]:
        """The argument list for one job (pure, for tests and logs); stdin when no path."""
        argv = [self.lp_command, "-d", self.queue]
        if raw:
            # Without it CUPS may run ZPL or ESC/POS bytes through a text filter.
            argv += ["-o", "raw"]
        if path is not None:
            argv += ["--", str(path)]
        return argv

    def print_file(self, path: str | Path, *, raw: bool = False) -> PrintResult:
        """Queue a file (a PDF for an office printer, say)."""
        return self._run(self.command(raw=raw, path=Path(path)), None)

    def print_bytes(self, data: bytes, *, raw: bool = True) -> PrintResult:
        """Queue bytes given on standard input, raw by default (ZPL or ESC/POS)."""
        return self._run(self.command(raw=raw), data)

    def status(self) -> PrinterStatus:
        """Always unknown: the spooler does not pass the printer's state on."""
        return unknown_status(NO_STATUS_REASON)

    def _run(self, argv: list[str], data: bytes | None) -> PrintResult:
        exe = shutil.which(argv[0])
        if exe is None:
            return PrintResult(
                sent=False,
                reason=f"the '{argv[0]}' command was not found: install the CUPS client "
                "(Debian: apt-get install cups-client)",
            )
        try:
            done = subprocess.run(
                [exe, *argv[1:]],
                input=data,
                stdin=subprocess.DEVNULL if data is None else None,
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return PrintResult(sent=False, reason=f"lp did not finish within {self.timeout:g} s")
        except OSError as err:
            return PrintResult(sent=False, reason=f"cannot run lp: {err.strerror or err}")
        out = done.stdout.decode(errors="replace").strip()
        err_text = done.stderr.decode(errors="replace").strip()
        if done.returncode != 0:
            why = err_text or out or f"exit code {done.returncode}"
            return PrintResult(sent=False, reason=f"lp -d {self.queue} failed: {why}")
        return PrintResult(sent=True, reason=f"queued on {self.queue}: {out or 'accepted'}")
