"""Printer factories (ZPL, ESC/POS, CUPS lp, emulated) and the :class:`PrinterWatch` they run."""

from __future__ import annotations

import logging
import threading

from drivers.base import DeviceState, DeviceStatus
from drivers.registry.config import DeviceConfigError, PrinterDeviceConfig, _required, describe
from drivers.registry.device import Device, Listeners, PrinterDriver, _stop_then

log = logging.getLogger(__name__)


def _printer_driver(config: PrinterDeviceConfig, url: str, language: str) -> PrinterDriver:
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.zpl import ZplPrinter

    try:
        if language == "zpl":
            return ZplPrinter(url, timeout=config.timeout_s)
        return EscposPrinter(url, profile=config.profile or None, timeout=config.timeout_s)
    except ValueError as exc:
        raise DeviceConfigError(f"[devices.printer] url: {exc}") from exc


def _printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    url = _required(config.url, "printer", "url", "tcp://192.168.1.50:9100")
    driver = _printer_driver(config, url, config.kind)
    watch = PrinterWatch(config.name, driver, config.status_interval_s, listeners)
    return Device(
        "printer", config.kind, config.name, describe(config), driver, watch.start, watch.stop
    )


def _lp_printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    from drivers.printer.lp import LpPrinter

    queue = _required(config.url, "printer", "url", "cups:Office").removeprefix("cups:")
    driver = LpPrinter(queue)

    def start() -> None:
        # A spooler never tells the printer's state: asking it again and again would only
        # repeat "unknown", so the status bar says once what it is.
        listeners.on_status(DeviceStatus(config.name, DeviceState.CONNECTED, describe(config)))

    return Device("printer", config.kind, config.name, describe(config), driver, start)


def _emulated_printer(config: PrinterDeviceConfig, listeners: Listeners) -> Device[PrinterDriver]:
    from drivers.printer.emulator import Language, TcpPrinterEmulator

    try:
        language = Language(config.language)
    except ValueError:
        raise DeviceConfigError(
            f"[devices.printer] language {config.language!r} is unknown; use zpl or escpos"
        ) from None
    emulator = TcpPrinterEmulator(language)
    driver = _printer_driver(config, emulator.url, language.value)
    watch = PrinterWatch(config.name, driver, config.status_interval_s, listeners)
    return Device(
        "printer",
        config.kind,
        config.name,
        f"emulated {language.value} printer at {emulator.url}",
        driver,
        watch.start,
        _stop_then(watch.stop, emulator.close),
        emulator,
    )


class PrinterWatch:
    """Asks a printer for its status on a thread of its own: at start, then every interval.

    Reports the status both as it is (``on_printer_status``) and as a device state: CONNECTED
    when the printer said it is ready, ERROR with its reason otherwise (silence included:
    unknown is never "fine"). ``interval_s`` <= 0 asks once.
    """

    def __init__(
        self, name: str, printer: PrinterDriver, interval_s: float, listeners: Listeners
    ) -> None:
        self.name = name
        self._printer = printer
        self._interval_s = interval_s
        self._listeners = listeners
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start asking."""
        if self._thread is not None:
            raise RuntimeError(f"printer {self.name} status watch already started")
        self._thread = threading.Thread(target=self._run, name=f"printer-{self.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop asking; waits for a query in progress up to ``timeout_s``."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("printer %s: status query still running at stop", self.name)

    def _run(self) -> None:
        from drivers.printer.model import refusal_reason

        while not self._stopping.is_set():
            status = self._printer.status()
            if self._stopping.is_set():
                return  # the station is closing: nobody wants this answer any more
            refusal = refusal_reason(status)
            state = DeviceState.CONNECTED if refusal is None else DeviceState.ERROR
            try:
                self._listeners.on_printer_status(self.name, status)
                self._listeners.on_status(
                    DeviceStatus(self.name, state, refusal or status.reason or "ready")
                )
            except Exception:  # a listener's bug must not end the watch
                log.exception("printer %s: status listener failed", self.name)
            if self._interval_s <= 0 or self._stopping.wait(self._interval_s):
                return
