"""The printer factory of a bench: a job's ``printer`` value made into a driver.

Jobs for the bench's own printer should carry its configured name (``[devices.printer]
name``, "printer" by default) rather than its URL: an emulated printer gets a new port every
run and a replaced printer gets a new address, and queued jobs must still find it. Any other
value is taken as a printer URL (``tcp://``, ``serial:``, ``file:``...).
"""

from __future__ import annotations

from drivers.printer.factory import Printer, make_printer
from drivers.registry import (
    NONE,
    Device,
    Listeners,
    PrinterDeviceConfig,
    PrinterDriver,
    Registry,
)

NO_STATUS = (
    "a CUPS (lp) printer gives no status, and the print queue sends only to a printer that "
    "says it is ready: configure [devices.printer] kind zpl or escpos"
)


class ConfiguredPrinters:
    """``PrinterFactory`` for the composition root and the CLI; :meth:`close` releases them.

    The configured printer is built once, through the driver registry (an ``emulated`` kind
    starts its emulator here), without its status watch: the print worker asks the printer
    itself, and two threads on one serial port would read each other's answers.
    """

    def __init__(self, config: PrinterDeviceConfig, registry: Registry) -> None:
        self._config = config
        self._registry = registry
        self._device: Device[PrinterDriver] | None = None

    def __call__(self, printer: str, language: str) -> Printer:
        """A driver for ``printer``; ``ValueError`` when it cannot print ``language`` jobs."""
        if printer != self._config.name:
            return make_printer(printer, language, timeout=self._config.timeout_s)
        if self._config.kind == NONE:
            raise ValueError("no printer is configured ([devices.printer] kind = none)")
        if self._device is None:
            self._device = self._registry.printer(self._config, Listeners())
        driver = self._device.driver
        # Imported here, as the registry does: loading settings must not pay for the drivers.
        from drivers.printer.escpos_printer import EscposPrinter
        from drivers.printer.zpl import ZplPrinter

        if isinstance(driver, ZplPrinter):
            speaks = "zpl"
        elif isinstance(driver, EscposPrinter):
            speaks = "escpos"
        else:
            raise ValueError(NO_STATUS)
        if speaks != language:
            raise ValueError(f"printer {printer!r} speaks {speaks}, the job is {language}")
        return driver

    def close(self) -> None:
        """Stop what was started for the configured printer (an emulator)."""
        if self._device is not None:
            self._device.stop()
            self._device = None
