"""The one place where background callbacks, made on driver, print and sync threads, become
Qt signals.

Drivers call plain listeners on their own threads. :class:`DeviceBridge` hands them
listeners that only emit an internal signal; because the bridge lives in the GUI thread, Qt
queues that emission to it, and the bridge re-emits the public signal from the GUI thread.
Whatever is connected to the public signals (a widget's method, a lambda) therefore runs on
the GUI thread: no widget is ever touched from a driver thread, and no receiver has to be a
QObject for the hop to happen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.model import PrinterStatus
from drivers.registry import Device, Listeners
from drivers.scale.worker import ScaleUpdate

log = logging.getLogger(__name__)


class DeviceBridge(QObject):
    """Re-emits device events on the GUI thread and owns the devices' start and stop.

    Signals (all emitted on the GUI thread):
    ``status_changed(DeviceStatus)``: a device's state and reason, for the status bar;
    ``weight(ScaleReading)``: every scale reading, for the live display;
    ``stable_weight(ScaleReading)``: a reading the stable-weight rule accepts, the only kind a
    weight check may act on; ``scanned(str, object)``: data and AIM symbology (or None) from
    a serial or camera scanner; ``printer_status(str, PrinterStatus)``: printer name, status;
    ``print_state(PrintView)``: the print queue after a job changed (``ui.printing``);
    ``sync_state(SyncView)``: the sync worker's status (``ui.sync_link``).
    """

    status_changed = Signal(object)
    weight = Signal(object)
    stable_weight = Signal(object)
    scanned = Signal(str, object)
    printer_status = Signal(str, object)
    print_state = Signal(object)
    sync_state = Signal(object)

    # (public signal name, arguments): emitted on a driver thread, delivered on the GUI thread.
    _relay = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A bound method of this QObject: Qt queues the call to the thread the bridge lives in.
        self._relay.connect(self._deliver)
        self._devices: list[Device[object]] = []

    def listeners(self) -> Listeners:
        """Listeners for the registry's factories; safe to call from any thread."""
        return Listeners(
            on_status=self._on_status,
            on_scan=self._on_scan,
            on_reading=self._on_reading,
            on_printer_status=self._on_printer_status,
        )

    @property
    def devices(self) -> tuple[Device[object], ...]:
        """The devices started here and not stopped yet (the print queue finds its printer)."""
        return tuple(self._devices)

    def report(self, status: DeviceStatus) -> None:
        """Show a status that did not come from a driver (a device that could not be built)."""
        self._relay.emit("status_changed", (status,))

    def report_print(self, view: object) -> None:
        """The print queue changed (any thread)."""
        self._relay.emit("print_state", (view,))

    def report_sync(self, view: object) -> None:
        """The sync worker's status (any thread)."""
        self._relay.emit("sync_state", (view,))

    def start(self, devices: Iterable[Device[object]]) -> None:
        """Start ``devices``; the bridge stops them in :meth:`stop`.

        A device that fails to start is reported as ERROR with the reason; the others start.
        """
        for device in devices:
            self._devices.append(device)  # stopped later even if start fails: it owns things
            try:
                device.start()
            except Exception as exc:
                log.exception("device %s failed to start", device.name)
                reason = self.tr("cannot start: {error}").format(error=exc)
                self.report(DeviceStatus(device.name, DeviceState.ERROR, reason))

    def stop(self) -> None:
        """Stop every device started here, last first; joins their threads."""
        while self._devices:
            device = self._devices.pop()
            try:
                device.stop()
            except Exception:  # shutting down: the others must still be stopped
                log.exception("device %s failed to stop", device.name)

    # --- driver threads --------------------------------------------------------------------

    def _on_status(self, status: DeviceStatus) -> None:
        self._relay.emit("status_changed", (status,))

    def _on_scan(self, data: str, symbology: str | None) -> None:
        self._relay.emit("scanned", (data, symbology))

    def _on_reading(self, update: ScaleUpdate) -> None:
        self._relay.emit("weight", (update.reading,))
        if update.accepted:
            self._relay.emit("stable_weight", (update.reading,))

    def _on_printer_status(self, name: str, status: PrinterStatus) -> None:
        self._relay.emit("printer_status", (name, status))

    # --- GUI thread -----------------------------------------------------------------------

    @Slot(str, object)
    def _deliver(self, signal: str, args: tuple[object, ...]) -> None:
        getattr(self, signal).emit(*args)
