"""The label buyer: a thread that buys the carrier label of each awaiting package via the hub.

For each package in ``station.ship.awaiting`` it reads the weighed package, buys with the
package's idempotency key (a retry, or a replay after a crash between the buy and the COMMIT
here, gets the same label from the hub: nothing is bought twice), fetches the label's bytes
and queues them on the print queue as the job ``package:{id}:carrier`` (queued once per key,
so a second pass never prints twice), then stores the shipment and its tracking number.
While the hub is out of reach it waits with ``drivers.backoff`` and tries again; the packer
never waits for it. A refusal that no retry can change (a package the hub will not ship) is
kept with its reason.

With a :class:`~station.ship.choice.RateChoices` (``[labels] rate_choice_s`` > 0) an order
completed less than that long ago is first offered to the packer: the rates of its packages
are fetched and shown, and the buyer waits until the packer picks one or the time is up, then
buys the chosen rate (account and service) or the rule's. A choice already stored on the rows
(a restart after the pick) is bought without asking again.

Once per start it also keeps the DIM rules of the station's site (``station.ship.site_rules``)
for the box suggestion.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select

from drivers.backoff import Backoff
from station.db import Database
from station.db.models import Order
from station.printing.queue import PrintQueue
from station.ship.awaiting import AwaitingLabels, AwaitingPackage
from station.ship.choice import RateChoices
from station.ship.client import ShipClient
from station.ship.offer import combine
from station.ship.package import PackageError, idempotency_key, package_request
from station.ship.protocol import BuyRequest, PackageRequest, Piece, RatesResponse
from station.ship.site_rules import save_rules
from station.sync.client import HubRefused, HubUnavailable
from station.sync.state import load_enrolment

log = logging.getLogger(__name__)

# 503 carrier busy, 504 carrier time-out: the carrier may answer later, so try again.
_TRANSIENT = (503, 504)

Connect = Callable[[], tuple[ShipClient, str] | None]


def enrolled_client(db: Database) -> tuple[ShipClient, str] | None:
    """A client for the hub this station is enrolled with, and its station name there."""
    enrolment = load_enrolment(db)
    return None if enrolment is None else (ShipClient(enrolment), enrolment.station)


class LabelBuyer:
    """Buys awaiting labels on its own thread; ``connect`` gives a client and the station
    name the hub knows (None: not enrolled, nothing to buy yet)."""

    def __init__(
        self,
        labels: AwaitingLabels,
        queue: PrintQueue,
        connect: Connect,
        *,
        printer: str,
        language: str | None,
        dpi: int = 203,
        backoff: Backoff | None = None,
        poll_s: float = 30.0,
        choices: RateChoices | None = None,
    ) -> None:
        self._labels = labels
        self._queue = queue
        self._connect = connect
        self._printer = printer
        self._language = language
        self._dpi: Literal[203, 300] = 300 if dpi >= 300 else 203
        self._backoff = backoff or Backoff(first_s=1.0, cap_s=60.0, jitter=0.2)
        self._poll_s = poll_s
        self._choices = choices
        self._rules_kept = False  # the site's DIM rules are fetched once per start
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        labels.subscribe(self._wake.set)

    def start(self) -> None:
        """Start the thread (it buys what is awaiting at once)."""
        self._thread = threading.Thread(target=self._run, name="label-buyer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop after the buy in progress."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(70.0)  # one hub call at most (ShipClient's time-out)
            self._thread = None

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            self._wake.clear()
            try:
                reachable = self.run_once()
            except Exception:  # the thread must live on: the next pass tries again
                log.exception("label buyer pass failed")
                reachable = False
            if reachable:
                failures = 0
                self._wake.wait(self._poll_s)
            else:
                failures += 1
                delay = self._backoff.delay(failures)
                log.info("hub out of reach for carrier labels: retrying in %.1f s", delay)
                self._stop.wait(delay)

    def run_once(self) -> bool:
        """One pass over the awaiting packages; False when the hub could not be reached."""
        waiting = self._labels.awaiting()
        if not waiting and self._rules_kept:
            return True
        connected = self._connect()
        if connected is None:  # said on each package, so the bench shows why it waits
            for package in waiting:
                self._labels.failed(package.id, "this station is not enrolled with a hub")
            return True
        client, station = connected
        offered: set[str] = set()  # orders looked at for an offer in this pass
        asked: set[str] = set()  # ... and those the packer was asked about
        with client:
            if not self._rules_kept:
                try:
                    save_rules(self._labels.db, client.rules())
                    self._rules_kept = True
                except HubUnavailable:
                    if not waiting:
                        return False  # the packages below say it, each, when there are some
                except HubRefused as exc:  # an older hub: the box suggestion goes by volume
                    log.info("no DIM rules from the hub: %s", exc)
                    self._rules_kept = True
            for package in waiting:
                if self._stop.is_set():
                    break
                try:
                    if package.order_number not in offered:
                        offered.add(package.order_number)
                        if self._offer(client, package, waiting):
                            asked.add(package.order_number)
                        if self._stop.is_set():  # stopped while the packer could choose:
                            break  # the next start offers again, or buys by rule if late
                    self._buy(client, station, package, package.order_number in asked, waiting)
                except HubUnavailable as exc:
                    self._labels.failed(package.id, str(exc))
                    return False
                except HubRefused as exc:
                    transient = exc.status in _TRANSIENT
                    self._labels.failed(package.id, str(exc), final=not transient)
                    if transient:
                        return False
                except PackageError as exc:
                    self._labels.failed(package.id, str(exc), final=True)
        return True

    def _offer(
        self, client: ShipClient, package: AwaitingPackage, waiting: Sequence[AwaitingPackage]
    ) -> bool:
        """Show the order's rates to the packer and wait for a pick or the deadline (only
        for an order completed within the choice window and not chosen for yet); True if
        the packer was asked."""
        choices = self._choices
        if choices is None or choices.window_s <= 0 or package.chosen_account is not None:
            return False
        if package.created_at is None:
            return False
        deadline = choices.deadline_of(_epoch(package.created_at))
        if deadline <= time.time():
            return False  # completed long ago (the hub was away): the rule's choice
        number = package.order_number
        answers: list[RatesResponse] = []
        for each in waiting:
            if each.order_number == number:
                try:
                    answers.append(client.rates(self._request(each)[0]))
                except HubRefused as exc:  # the buy will say why, and keep the reason
                    log.info("no rates to offer for %s: %s", number, exc)
                    return False
        offer = combine(number, answers, deadline)
        if not offer.rates:
            return False
        choices.open(offer)
        choices.wait(number, self._stop)
        return True

    def _request(self, package: AwaitingPackage) -> tuple[PackageRequest, int]:
        with self._labels.db.session() as s:
            request, package_id = package_request(s, package.order_number, package.package_no)
            s.rollback()
        return request, package_id

    def _pieces(
        self,
        station: str,
        package: AwaitingPackage,
        choice: tuple[str | None, str | None],
        waiting: Sequence[AwaitingPackage],
        fresh: bool,
    ) -> list[Piece]:
        """The order's other packages awaiting a label with the same rate choice, each with
        its own key: a carrier that ships master and child buys them with this one."""
        pieces: list[Piece] = []
        for other in waiting:
            if other.order_number != package.order_number or other.id == package.id:
                continue
            chosen = (other.chosen_account, other.chosen_service)
            found = self._labels.get(other.package_id) if fresh else None
            if found is not None:  # the packer chose since the rows were listed
                chosen = (found.chosen_account, found.chosen_service)
            if chosen != choice:
                continue
            try:
                request, package_id = self._request(other)
            except PackageError:
                continue  # its own buy says why
            pieces.append(
                Piece(
                    package_no=request.package_no,
                    weight_g=request.weight_g,
                    dims_mm=request.dims_mm,
                    idempotency_key=idempotency_key(station, package_id, request),
                )
            )
        return pieces

    def _buy(
        self,
        client: ShipClient,
        station: str,
        package: AwaitingPackage,
        asked: bool,
        waiting: Sequence[AwaitingPackage] = (),
    ) -> None:
        request, package_id = self._request(package)
        # The packer's choice: read again if it was asked for since the rows were listed.
        row = self._labels.get(package_id) if asked else package
        fmt: Literal["zpl", "pdf"] = "zpl" if self._language == "zpl" else "pdf"
        buy = BuyRequest(
            **request.model_dump(),
            idempotency_key=idempotency_key(station, package_id, request),
            label_format=fmt,
            dpi=self._dpi,
            account=row.chosen_account if row else None,
            service=row.chosen_service if row else None,
            pieces=self._pieces(
                station,
                package,
                (row.chosen_account, row.chosen_service) if row else (None, None),
                waiting,
                fresh=asked,
            ),
        )
        shipment = client.buy(buy)
        label = client.label(package.order_number, package.package_no)
        if self._language == "zpl":
            order_id = self._order_id(package.order_number)
            self._queue.enqueue(
                f"package:{package_id}:carrier",
                "carrier",
                "zpl",
                self._printer,
                label,
                order_id=order_id,
                package_id=package_id,
            )
        self._labels.bought(package.id, shipment, label)

    def _order_id(self, number: str) -> int | None:
        with self._labels.db.session() as s:
            return s.scalar(select(Order.id).where(Order.number == number))


def _epoch(moment: datetime) -> float:
    """Seconds since the epoch of a stored time (SQLite gives it back without its zone: UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()
