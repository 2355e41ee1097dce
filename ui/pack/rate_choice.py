"""The packer's choice of carrier rate at the pack screen: F10 opens it, 1-9 pick.

The rates are those the label buyer offered for the order just completed
(``station.ship.choice``), shown numbered on the shipping panel too, where the command
barcode ``CMD-RATE-<n>`` picks without the dialog. Digits cannot pick on the pack screen
itself: the scan field takes what a keyboard-wedge scanner types. The dialog only shows; the
pick goes to the bench (``PackBench.choose_rate`` on the database worker), which stores it
and answers like any command, so the verdict banner shows what was chosen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QVBoxLayout, QWidget

from station.packing.bench import PackBench, Reply
from station.ship.offer import RateOffer
from station.ship.protocol import Rate
from ui.worker import DbWorker

KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


def rate_line(number: int, rate: Rate, rule: int | None) -> str:
    """One rate as listed: number, carrier, service, price, days, billed weight."""
    days = "-" if rate.transit_days is None else f"{rate.transit_days} d"
    mark = "  (rule)" if number == rule else ""
    return (
        f"{number}  {rate.carrier} {rate.service_name or rate.service} · {rate.price:.2f} "
        f"{rate.currency} · {days} · billed {rate.billed_weight_g / 1000:.2f} kg{mark}"
    )


class RateChoiceDialog(QDialog):
    """The numbered rates of one order; a digit key picks (``picked``), Esc closes."""

    picked = Signal(int)

    def __init__(self, offer: RateOffer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rateChoice")
        self.setWindowTitle(self.tr("Carrier rate for {number}").format(number=offer.order_number))
        self.offer = offer
        self.rates = QListWidget()
        self.rates.setObjectName("rateList")
        for number, rate in enumerate(offer.rates, 1):
            self.rates.addItem(rate_line(number, rate, offer.rule))
        hint = QLabel(self.tr("Press 1-9 to choose; Esc: the rule's choice is bought"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.rates)
        layout.addWidget(hint)
        self.rates.itemActivated.connect(lambda item: self._pick(self.rates.row(item) + 1))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        """Digits 1-9 pick the rate of that number."""
        number = KEYS.get(Qt.Key(event.key()))
        if number is not None and number <= len(self.offer.rates):
            self._pick(number)
            return
        super().keyPressEvent(event)

    def _pick(self, number: int) -> None:
        self.picked.emit(number)
        self.accept()


class RateChoiceFlow(QObject):
    """Opens the dialog on the offer shown, and sends the pick to the bench (on the worker)."""

    def __init__(
        self,
        worker: DbWorker,
        bench: PackBench,
        offer: Callable[[], RateOffer | None],
        on_reply: Callable[[Reply], None],
        on_error: Callable[[BaseException], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._bench = bench
        self._offer = offer
        self._on_reply = on_reply
        self._on_error = on_error
        self._parent = parent
        self.dialog: RateChoiceDialog | None = None

    def open(self) -> None:
        """Show the rates offered now (nothing to choose: the bench says so)."""
        offer = self._offer()
        if offer is None or not offer.rates:
            self.choose(0)  # the bench answers why there is nothing to choose
            return
        dialog = RateChoiceDialog(offer, self._parent)
        dialog.picked.connect(self.choose)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()

    def choose(self, number: int) -> None:
        """Send the pick of rate ``number`` to the bench."""
        bench, name = self._bench, self.tr("Rate {n}").format(n=number)
        self._worker.submit(lambda: bench.choose_rate(number, name), self._on_reply, self._on_error)
