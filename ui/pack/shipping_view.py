"""The carrier label on the pack screen: carrier, service, price, actual and billed weight of
the order just packed, and how many packages wait for their carrier label at this bench.

A small adapter: the figures come from ``station.ship.awaiting`` (read on the database
worker); the panel asks again every few seconds while something waits, since the label
buyer works on its own thread and the hub may answer long after the packer moved on.
While the packer may choose the rate (``station.ship.choice``), the rates are listed numbered
(``ui.pack.rate_choice`` picks by key) and the panel asks more often, so the list comes and
goes with the offer. A shipment of several packages lists each: box k of N, its tracking
number, and the master tracking number where the carrier gave one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from station.packing.verdicts import Outcome, Verdict
from station.ship.awaiting import ShippingSummary
from station.ship.offer import RateOffer
from ui.pack.rate_choice import rate_line
from ui.worker import DbWorker

LoadShipping = Callable[[str | None], ShippingSummary]
REFRESH_MS = 3000
OFFER_REFRESH_MS = 500  # while the packer may choose: the offer closes within seconds


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
        self.rates = QLabel()
        self.rates.setObjectName("rateOffer")
        self.rates.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.shipment)
        layout.addWidget(self.rates)
        layout.addWidget(self.awaiting)
        self.show_summary(ShippingSummary(0))

    def show_summary(self, summary: ShippingSummary) -> None:
        """Show what was read."""
        self.awaiting.setText(
            self.tr("Awaiting carrier label: {count}").format(count=summary.awaiting)
        )
        self.shipment.setText(self._shipment(summary))
        self.rates.setText(self._offer(summary.offer))
        self.rates.setVisible(summary.offer is not None)

    def _offer(self, offer: RateOffer | None) -> str:
        if offer is None:
            return ""
        left = max(0, round(offer.deadline - time.time()))
        head = self.tr(
            "Choose the rate: F10 then 1-9, or scan CMD-RATE-n (the rule's choice in {s} s)"
        ).format(s=left)
        lines = [rate_line(n, rate, offer.rule) for n, rate in enumerate(offer.rates, 1)]
        if offer.problems:  # accounts that gave no rate: the packer sees why one is missing
            lines.append(self.tr("No rate: {why}").format(why="; ".join(offer.problems)))
        return "\n".join([head, *lines])

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
        if s.package_count > 1 or len(s.packages) > 1:
            return self._packages(s, price)
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

    def _packages(self, s: ShippingSummary, price: str) -> str:
        count = max(s.package_count, len(s.packages))
        boxes = " · ".join(
            self.tr("box {k} of {n}: {tracking}").format(
                k=p.package_no, n=count, tracking=p.tracking_number or p.status
            )
            for p in s.packages
        )
        master = (
            self.tr(" · master {tracking}").format(tracking=s.master_tracking_number)
            if s.master_tracking_number
            else ""
        )
        return self.tr("{number}: {carrier} {service} · {price} · {boxes}{master}").format(
            number=s.order_number,
            carrier=s.carrier or "-",
            service=s.service or "-",
            price=price,
            boxes=boxes,
            master=master,
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
        self._refresh_ms = refresh_ms
        self.summary: ShippingSummary | None = None  # the last one shown
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
        elif outcome.verdict is Verdict.RATE_CHOSEN:
            self.refresh()

    def refresh(self) -> None:
        """Read the summary on the database worker; shown on the GUI thread."""
        load, number = self._load, self._number
        if load is not None:
            self._worker.submit(lambda: load(number), self._show, lambda _e: None)

    def offer(self) -> RateOffer | None:
        """The rates offered now, as last read."""
        return None if self.summary is None else self.summary.offer

    def _show(self, summary: ShippingSummary) -> None:
        self.summary = summary
        self._panel.show_summary(summary)
        still = summary.awaiting > 0 or summary.status == "awaiting"
        interval = OFFER_REFRESH_MS if summary.offer is not None else self._refresh_ms
        self._timer.setInterval(min(interval, self._refresh_ms))
        if still and not self._timer.isActive():
            self._timer.start()
        elif not still:
            self._timer.stop()
