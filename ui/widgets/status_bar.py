"""The status bar: every device's state with its reason, the printer's paper, printing, sync.

One label per device, named ``device-<name>``, says connected, reconnecting or error with
the driver's reason ("printer: error — paper out"). The print label says how many labels
wait and why they wait. The sync label is fed by :meth:`StationStatusBar.show_sync_status`
(the sync worker, through the window); until then it says that no status has come yet.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.model import PrinterStatus
from ui.texts import device_state_word
from ui.theme import named, restyle


class StationStatusBar(QStatusBar):
    """Devices and sync, always visible at the bottom of the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self._devices: dict[str, QLabel] = {}
        self._status: dict[str, DeviceStatus] = {}
        self._paper_low: dict[str, bool] = {}
        self.print_label = named(QLabel(), "print")
        self.print_label.hide()  # until printing reports
        self.sync_label = named(QLabel(self.tr("Sync: no status yet")), "sync")
        self.addPermanentWidget(self.print_label)
        self.addPermanentWidget(self.sync_label)

    def device_label(self, name: str) -> QLabel | None:
        """The label of device ``name``, once it has reported."""
        return self._devices.get(name)

    def show_device_status(self, status: DeviceStatus) -> None:
        """Show a device's state; the reason when it is not working."""
        label = self._devices.get(status.device)
        if label is None:
            label = named(QLabel(), f"device-{status.device}")
            self._devices[status.device] = label
            # Devices before printing and sync, in the order they first reported.
            self.insertPermanentWidget(len(self._devices) - 1, label)
        self._status[status.device] = status
        self._render(status.device)

    def show_printer_status(self, name: str, status: PrinterStatus) -> None:
        """The printer's own answer: warn when paper runs low, keep its raw answer at hand."""
        self._paper_low[name] = bool(status.paper_near_end)
        label = self._devices.get(name)
        if label is not None:
            label.setToolTip(status.raw or status.reason)
            self._render(name)

    def show_print_state(self, waiting: int, problem: str | None) -> None:
        """Labels waiting to print, and what they wait for (the printer's own reason)."""
        text = self.tr("Labels: {n} waiting").format(n=waiting)
        if problem:
            text += " — " + problem
        self.print_label.setText(text)
        self.print_label.setToolTip(problem or "")
        restyle(self.print_label, "state", "error" if problem else "connected")
        self.print_label.show()

    def show_not_enrolled(self, queue: int) -> None:
        """No hub to sync with: said plainly, and nothing is blocked."""
        self.sync_label.setText(self.tr("Sync: not enrolled · {queue} waiting").format(queue=queue))
        self.sync_label.setToolTip(
            self.tr("Enrol with `station enroll --hub URL --code CODE`; packing goes on.")
        )
        restyle(self.sync_label, "state", "idle")

    def show_sync_status(self, online: bool, queue: int, last_sync: str | None) -> None:
        """Online or offline, events waiting to be sent, and when the last sync was."""
        state = self.tr("online") if online else self.tr("OFFLINE")
        last = last_sync or self.tr("never")
        self.sync_label.setText(
            self.tr("Sync: {state} · {queue} waiting · last {last}").format(
                state=state, queue=queue, last=last
            )
        )
        restyle(self.sync_label, "state", "connected" if online else "offline")

    def _render(self, name: str) -> None:
        status = self._status.get(name)
        label = self._devices[name]
        if status is None:
            return
        failing = status.state is not DeviceState.CONNECTED
        text = f"{status.device}: {device_state_word(status.state.value)}"
        if failing and status.reason:
            text += f" — {status.reason}"
        if self._paper_low.get(name) and not failing:
            text += " — " + self.tr("paper low")
        label.setText(text)
        if failing:
            label.setToolTip(status.reason)
        restyle(label, "state", status.state.value)
