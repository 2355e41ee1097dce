"""The carrier label on the pack screen: carrier, service, price, actual and billed weight of
the order just packed, and how many packages wait for their carrier label at this bench.

A small adapter: the figures come from ``station.ship.awaiting`` (read on the database
worker); the panel asks again every few seconds while something waits, since the label
buyer works on its own thread and the hub may answer long after the packer moved on.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from station.packing.verdicts import Outcome, Verdict
from station.ship.awaiting import ShippingSummary
from ui.worker import DbWorker

LoadShipping = Callable[[str | None], ShippingSummary]
REFRESH_MS = 3000


def _kg(grams: float | None) -> str:
    return "-" if grams is None else f"{grams / 1000:.2f} kg"


class ShippingPanel(QFrame):
    """Two lines: the order's carrier label, and the count still awaiting one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shippingPanel")
        self.shipment = QLabel()
        self.shipment.setObjectName("shipment")
        self.shipment.setWordWrap(True)
        self.awaiting = QLabel()
        self.awaiting.setObjectName("awaitingLabels")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.shipment)
        layout.addWidget(self.awaiting)
        self.show_summary(ShippingSummary(0))

    def show_summary(self, summary: ShippingSummary) -> None:
        """Show what was read."""
        self.awaiting.setText(
            self.tr("Awaiting carrier label: {count}").format(count=summary.awaiting)
        )
        self.shipment.setText(self._shipment(summary))

    def _shipment(self, s: ShippingSummary) -> str:
        if s.order_number is None or s.status is None:
            return self.tr("Carrier label: -")
        if s.status == "awaiting":
            why = f" ({s.problem})" if s.problem else ""
            return self.tr("{number}: awaiting carrier label{why}").format(
                number=s.order_number, why=why
            )
        if s.status == "refused":
            return self.tr("{number}: no carrier label: {why}").format(
                number=s.order_number, why=s.problem or "-"
            )
        price = "-" if s.price is None else f"{s.price:.2f} {s.currency or ''}".strip()
        return self.tr(
            "{number}: {carrier} {service} · {price} · actual {actual} · billed {billed}"
            " · tracking {tracking}"
        ).format(
            number=s.order_number,
            carrier=s.carrier or "-",
            service=s.service or "-",
            price=price,
            actual=_kg(s.actual_weight_g),
            billed=_kg(s.billed_weight_g),
            tracking=s.tracking_number or "-",
        )


class ShippingFlow(QObject):
    """Reads the summary after each completion, and again while labels are awaited."""

    def __init__(
        self,
        worker: DbWorker,
        load: LoadShipping | None,
        panel: ShippingPanel,
        parent: QObject,
        refresh_ms: int = REFRESH_MS,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._load = load
        self._panel = panel
        self._number: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)
        panel.setVisible(load is not None)
        if load is not None:
            self.refresh()

    def after(self, outcome: Outcome) -> None:
        """A completed order becomes the one shown."""
        if outcome.verdict is Verdict.COMPLETED and outcome.order_number:
            self._number = outcome.order_number
            self.refresh()

    def refresh(self) -> None:
        """Read the summary on the database worker; shown on the GUI thread."""
        load, number = self._load, self._number
        if load is not None:
            self._worker.submit(lambda: load(number), self._show, lambda _e: None)

    def _show(self, summary: ShippingSummary) -> None:
        self._panel.show_summary(summary)
        still = summary.awaiting > 0 or summary.status == "awaiting"
        if still and not self._timer.isActive():
            self._timer.start()
        elif not still:
            self._timer.stop()
