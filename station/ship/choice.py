"""The packer's choice of carrier rate: offered after completion, picked by key or barcode.

Once an order is completed its packages wait for their carrier label
(``station.ship.awaiting``). When the bench gives the packer a say (``[labels]
rate_choice_s`` > 0), the label buyer first asks the hub for the rates of the order's
packages and offers them here, numbered cheapest first; the pack screen shows them, and a
key (the choice dialog) or the command barcode ``CMD-RATE-<n>`` picks one through
:meth:`station.packing.bench.PackBench.choose_rate`, which calls :meth:`RateChoices.pick`.
The pick is stored on the order's awaiting rows and in the audit log before it is answered,
so a restart between the choice and the buy still buys what was chosen. Nothing picked by
the deadline (``rate_choice_s`` after completion): the buyer buys the rule's choice.

Thread-safe: offers come from the buyer's thread, picks from the bench's.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from station.packing.verdicts import Outcome, Verdict
from station.ship.awaiting import AwaitingLabels, ShippingSummary
from station.ship.offer import RateOffer
from station.user_ref import UserRef

Clock = Callable[[], float]


class RateChoices:
    """The open offers (one per order), and the packer's picks."""

    def __init__(
        self, labels: AwaitingLabels, window_s: float, pattern: str, clock: Clock = time.time
    ) -> None:
        self.labels = labels
        self.window_s = window_s
        self._pattern = re.compile(pattern, re.ASCII) if pattern else None
        self._clock = clock
        self._offers: dict[str, RateOffer] = {}
        self._latest: str | None = None
        self._decided = threading.Condition()

    # --- the bench's side ----------------------------------------------------------------

    def number_of(self, code: str) -> int | None:
        """The rate number a command barcode (``CMD-RATE-<n>``) picks, or None."""
        if self._pattern is None:
            return None
        match = self._pattern.fullmatch(code.strip())
        if match is None or not match.groups() or match.group(1) is None:
            return None
        return int(match.group(1)) if match.group(1).isdigit() else None

    def current(self) -> RateOffer | None:
        """The offer the packer is choosing from: the newest one still open."""
        with self._decided:
            return self._offers.get(self._latest) if self._latest else None

    def pick(self, number: int, user: UserRef | None) -> Outcome:
        """Choose rate ``number`` of the current offer; stored (rows and audit) before the
        answer, and the buyer waiting for it buys at once.

        The store happens under the lock the buyer's :meth:`wait` closes the offer with, so
        a pick either lands before the buyer reads the rows again or finds no offer: never a
        choice stored beside a label bought by rule."""
        with self._decided:
            offer = self._offers.get(self._latest) if self._latest else None
            if offer is None:
                return Outcome(Verdict.NO_RATE, "no carrier rates to choose from now")
            rate = offer.rate(number)
            if rate is None:
                return Outcome(
                    Verdict.NO_RATE,
                    f"no rate {number}: {len(offer.rates)} shown for {offer.order_number}",
                    order_number=offer.order_number,
                )
            chosen = self.labels.choose(offer.order_number, number, rate, user)
            self._close(offer.order_number)
            self._decided.notify_all()
        if not chosen:  # no package of the order awaits any more (bought meanwhile)
            return Outcome(
                Verdict.NO_RATE,
                f"too late: {offer.order_number}'s label is already bought",
                order_number=offer.order_number,
            )
        days = "" if rate.transit_days is None else f", {rate.transit_days} d"
        return Outcome(
            Verdict.RATE_CHOSEN,
            f"{offer.order_number}: rate {number}, {rate.carrier} "
            f"{rate.service_name or rate.service} {rate.price:.2f} {rate.currency}{days}",
            order_number=offer.order_number,
            extra={"account": rate.account, "service": rate.service, "number": number},
        )

    # --- the buyer's side ----------------------------------------------------------------

    def deadline_of(self, completed_at: float) -> float:
        """When the rule's choice is bought for an order completed at ``completed_at``."""
        return completed_at + self.window_s

    def open(self, offer: RateOffer) -> None:
        """Show ``offer`` to the packer (it becomes the current one)."""
        with self._decided:
            self._offers[offer.order_number] = offer
            self._latest = offer.order_number

    def wait(self, order_number: str, stop: threading.Event) -> None:
        """Block until the packer picked for ``order_number``, its deadline passed, or
        ``stop`` is set; the offer is closed in every case."""
        with self._decided:
            while order_number in self._offers and not stop.is_set():
                left = self._offers[order_number].deadline - self._clock()
                if left <= 0:
                    break
                self._decided.wait(min(left, 0.25))  # 0.25: sees ``stop`` soon enough
            self._close(order_number)

    def summary(self, number: str | None) -> ShippingSummary:
        """The pack screen's summary, with the offer of order ``number`` while it is open."""
        summary = self.labels.summary(number)
        offer = self.current()
        if offer is not None and offer.order_number == number:
            return replace(summary, offer=offer)
        return summary

    def _close(self, order_number: str) -> None:
        self._offers.pop(order_number, None)
        if self._latest == order_number:
            self._latest = next(reversed(self._offers), None) if self._offers else None
