"""Printers built from a URL and a language, for the command line and the composition root.

``station devices printer status --url ... --language ... --json`` calls
:func:`printer_status` and prints ``status.as_cli_json()``; ``... printer test`` sends
:func:`test_print` through :func:`make_printer`.
"""

from __future__ import annotations

from typing import Literal, Protocol

from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.model import PrinterStatus, PrintResult
from drivers.printer.testprint import test_label, test_receipt
from drivers.printer.zpl import ZplPrinter

PrinterLanguage = Literal["zpl", "escpos"]
LANGUAGES: tuple[PrinterLanguage, ...] = ("zpl", "escpos")


class Printer(Protocol):
    """What the print queue needs from any printer driver."""

    def status(self) -> PrinterStatus:
        """The printer's own report; unknown flags are None. Never raises."""
        ...

    def send(self, data: bytes) -> None:
        """Send without checking; raises ``TransportError``."""

    def print_job(self, data: bytes, *, force: bool = False) -> PrintResult:
        """Check status, refuse with the reason, or send. Never raises."""
        ...


def _language(language: str) -> PrinterLanguage:
    if language == "zpl":
        return "zpl"
    if language == "escpos":
        return "escpos"
    raise ValueError(f"unknown printer language {language!r}; use one of {', '.join(LANGUAGES)}")


def make_printer(
    url: str, language: str, *, timeout: float = 3.0, profile: str | None = None
) -> Printer:
    """A driver for ``url`` speaking ``language``; ``ValueError`` for a bad URL or language."""
    if _language(language) == "zpl":
        return ZplPrinter(url, timeout=timeout)
    return EscposPrinter(url, profile=profile, timeout=timeout)


def printer_status(url: str, language: str, timeout: float = 3.0) -> PrinterStatus:
    """Ask the printer at ``url`` for its status; printer trouble is in the result."""
    return make_printer(url, language, timeout=timeout).status()


def test_print(language: str, *, dpi: int = 203, profile: str | None = "TM-T88III") -> bytes:
    """The test label (ZPL) or test receipt (ESC/POS) as bytes."""
    if _language(language) == "zpl":
        return test_label(dpi=dpi)
    return test_receipt(profile=profile)


test_print.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
