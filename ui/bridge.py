"""The one place where device callbacks, made on driver threads, become Qt signals.

Drivers call plain listeners on their own threads. :class:`DeviceBridge` hands them
listeners that only emit an internal signal; because the bridge lives in the GUI thread, Qt
queues that emission to it, and the bridge re-emits the public signal from the GUI thread.
Whatever is connected to the public signals (a widget's method, a lambda) therefore runs on
the GUI thread: no widget is ever touched from a driver thread, and no receiver has to be a
QObject for the hop to happen.
"""

from __future__ import annotations

import ctypes
import functools
import logging
import sys
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal, SignalInstance, Slot

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.model import PrinterStatus
from drivers.registry import Device, Listeners
from drivers.scale.worker import ScaleUpdate

log = logging.getLogger(__name__)


class _Probe(QObject):
    ping = Signal()


@functools.cache
def _emit_drops_a_reference() -> bool:
    """Whether ``SignalInstance.emit`` returns a bool without owning a reference to it.

    PySide6 6.12.0 does (measured here on CPython 3.11): each ``emit()`` whose result is
    dropped takes one reference from ``True``, and after some thousand emits CPython aborts
    with "bool_dealloc: deallocating True or False". From CPython 3.12 on ``True`` is immortal
    and the lost reference does no harm. Measured over many emits so that other threads
    touching ``True`` meanwhile cannot change the answer.
    """
    if sys.version_info >= (3, 12):
        return False
    # The stubs say emit() returns None; it returns a bool, and that bool is the point here.
    probe = _Probe()  # kept alive while its signal is emitted
    emit: Callable[[], object] = probe.ping.emit
    before = sys.getrefcount(True)
    held = [emit() for _ in range(256)]
    drops = sys.getrefcount(True) - before < 128  # a correct emit adds 256
    if drops:
        for value in held:
            _restore(value)
    return drops


def _restore(value: object) -> None:
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))


def emit_signal(signal: SignalInstance, *args: object) -> None:
    """``signal.emit(*args)``, giving back the reference a buggy PySide6 takes (see above).

    Every Python-side emit in the station should go through here: a station emitting a few
    signals a second (a scale) would otherwise crash within the hour.
    """
    emit: Callable[..., object] = signal.emit
    result = emit(*args)
    if _emit_drops_a_reference():
        _restore(result)


class DeviceBridge(QObject):
    """Re-emits device events on the GUI thread and owns the devices' start and stop.

    Signals (all emitted on the GUI thread):
    ``status_changed(DeviceStatus)``: a device's state and reason, for the status bar;
    ``weight(ScaleReading)``: every scale reading, for the live display;
    ``stable_weight(ScaleReading)``: a reading the stable-weight rule accepts, the only kind a
    weight check may act on; ``scanned(str, object)``: data and AIM symbology (or None) from
    a serial or camera scanner; ``printer_status(str, PrinterStatus)``: printer name, status.
    """

    status_changed = Signal(object)
    weight = Signal(object)
    stable_weight = Signal(object)
    scanned = Signal(str, object)
    printer_status = Signal(str, object)

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
        emit_signal(self._relay, "status_changed", (status,))

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
                self.report(DeviceStatus(device.name, DeviceState.ERROR, f"cannot start: {exc}"))

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
        emit_signal(self._relay, "status_changed", (status,))

    def _on_scan(self, data: str, symbology: str | None) -> None:
        emit_signal(self._relay, "scanned", (data, symbology))

    def _on_reading(self, update: ScaleUpdate) -> None:
        emit_signal(self._relay, "weight", (update.reading,))
        if update.accepted:
            emit_signal(self._relay, "stable_weight", (update.reading,))

    def _on_printer_status(self, name: str, status: PrinterStatus) -> None:
        emit_signal(self._relay, "printer_status", (name, status))

    # --- GUI thread -----------------------------------------------------------------------

    @Slot(str, object)
    def _deliver(self, signal: str, args: tuple[object, ...]) -> None:
        emit_signal(getattr(self, signal), *args)
