"""Packages awaiting their carrier label: a row per completed package, until the hub sold one.

The pack bench announces each committed outcome; :meth:`AwaitingLabels.after` (a subscriber,
like the print queue's auto-print) adds a row for every package of an order just COMPLETED,
so a package is queued only once all its items were verified and it was weighed (the engine
completes nothing before). The label buyer (``station.ship.buyer``) takes the rows from here
whenever the hub answers; the rows live in the station database, so a restart or an hour
without the hub loses nothing.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.audit import append_audit
from station.db import Database
from station.db.engine import reader
from station.db.models import CarrierLabel, Order, Package, utcnow
from station.outbox import append_event
from station.packing.completion import planned
from station.packing.verdicts import Outcome, Verdict
from station.ship.offer import RateOffer
from station.ship.protocol import Rate, Shipment
from station.user_ref import UserRef

AWAITING, BOUGHT, REFUSED = "awaiting", "bought", "refused"
SUPERVISOR_ROLES = ("supervisor", "admin")

Approver = Callable[[str], UserRef | None]


class OverrideRefusedError(ValueError):
    """A supervisor's override that was not accepted; the message says why."""


@dataclass(frozen=True)
class AwaitingPackage:
    """A package whose label is still to be bought."""

    id: int
    package_id: int
    order_number: str
    package_no: int
    attempts: int
    created_at: datetime | None = None  # when its order completed (the choice's clock)
    chosen_account: str | None = None  # the packer's choice; None: the rule's
    chosen_service: str | None = None


@dataclass(frozen=True)
class PackageLabel:
    """One package of a shipment: box ``package_no`` of the order's count."""

    package_no: int
    status: str
    tracking_number: str | None = None


@dataclass(frozen=True)
class ShippingSummary:
    """What the pack screen shows of carrier labels: the order's shipment, and the count of
    packages still waiting for one at this station."""

    awaiting: int
    order_number: str | None = None
    status: str | None = None  # awaiting, bought, refused, supplied (imported with the order)
    carrier: str | None = None
    service: str | None = None
    price: float | None = None
    currency: str | None = None
    actual_weight_g: float | None = None
    billed_weight_g: float | None = None
    tracking_number: str | None = None
    problem: str | None = None  # why the label is not bought yet (the hub's last answer)
    package_count: int = 1
    master_tracking_number: str | None = None  # a multi-piece shipment's master
    packages: tuple[PackageLabel, ...] = ()  # each package: box k of N, its tracking number
    offer: RateOffer | None = None  # rates the packer may choose from now (station.ship.choice)


class AwaitingLabels:
    """The ``carrier_labels`` rows: add, list, count, and record a buy or a refusal.

    Safe from several threads: every method opens its own session (SQLite serialises writes).
    """

    def __init__(self, db: Database, station: str) -> None:
        self.db = db
        self.station = station
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def after(self, outcome: Outcome, _user: UserRef | None) -> None:
        """A subscriber of the pack bench: queue the packages of the order just completed."""
        if outcome.verdict is Verdict.COMPLETED and outcome.order_number is not None:
            self.add_order(outcome.order_number)

    def add_order(self, number: str) -> int:
        """Queue each package of packed order ``number`` not queued yet; how many were added.

        An order imported with a carrier-supplied label gets none: it has its label already.
        """
        added = 0
        with self._write() as (s, _cur):
            supplied = s.scalar(select(Order.carrier_label_sha256).where(Order.number == number))
            if supplied:
                return 0
            conn = s.connection()
            packages = [j for j in planned(conn, number) if j.package_id is not None]
            count = len({j.package_no for j in packages})
            for job in packages:
                if s.scalar(
                    select(CarrierLabel.id).where(CarrierLabel.package_id == job.package_id)
                ):
                    continue
                now = utcnow()
                s.add(
                    CarrierLabel(
                        package_id=job.package_id,
                        order_number=number,
                        package_no=job.package_no,
                        status=AWAITING,
                        attempts=0,
                        package_count=count,
                        created_at=now,
                        updated_at=now,
                    )
                )
                added += 1
        if added:
            self._wake()
        return added

    def override(
        self, number: str, package_no: int, credential: str, reason: str, approve: Approver
    ) -> int:
        """Queue a package before its order is completed: a supervisor's decision (badge, or
        badge and PIN), audited. The package must still be weighed for a rate to exist;
        raises ``OverrideRefusedError`` with the reason otherwise. Returns the row's id."""
        if not reason.strip():
            raise OverrideRefusedError("an override needs a reason")
        supervisor = approve(credential)
        if supervisor is None or supervisor.role not in SUPERVISOR_ROLES:
            raise OverrideRefusedError("not a supervisor's badge")
        with self._write() as (s, cur):
            found = s.execute(
                select(Package.id, Package.weight_g, Package.weight_status)
                .join(Order, Order.id == Package.order_id)
                .where(Order.number == number, Package.seq_no == package_no)
                .order_by(Package.id.desc())
                .limit(1)
            ).first()
            if found is None:
                raise OverrideRefusedError(f"order {number} has no package {package_no}")
            package_id, weight_g, weight_status = found
            if weight_g is None or weight_status in ("pending", "fail"):
                raise OverrideRefusedError(f"package {package_no} of {number} is not weighed yet")
            existing = s.scalar(select(CarrierLabel).where(CarrierLabel.package_id == package_id))
            if existing is not None:
                return existing.id
            now = utcnow()
            row = CarrierLabel(
                package_id=package_id,
                order_number=number,
                package_no=package_no,
                status=AWAITING,
                attempts=0,
                override_by=supervisor.id,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            detail: dict[str, object] = {"order": number, "package": package_no, "reason": reason}
            append_audit(
                cur, now, self.station, supervisor.id, "ship.label_override", "package",
                str(package_id), detail,
            )  # fmt: skip
            row_id = row.id
        self._wake()
        return row_id

    def awaiting(self) -> list[AwaitingPackage]:
        """The packages waiting for a label, oldest first."""
        query = (
            select(CarrierLabel).where(CarrierLabel.status == AWAITING).order_by(CarrierLabel.id)
        )
        with Session(reader(self.db.engine)) as s:
            return [
                AwaitingPackage(
                    r.id,
                    r.package_id,
                    r.order_number,
                    r.package_no,
                    r.attempts,
                    r.created_at,
                    r.chosen_account,
                    r.chosen_service,
                )
                for r in s.scalars(query)
            ]

    def count(self) -> int:
        """How many packages wait for their carrier label (the bench shows it)."""
        query = select(func.count(CarrierLabel.id)).where(CarrierLabel.status == AWAITING)
        with Session(reader(self.db.engine)) as s:
            return int(s.scalar(query) or 0)

    def summary(self, number: str | None) -> ShippingSummary:
        """The count of packages waiting, and order ``number``'s first package's shipment (or
        the carrier label it was imported with)."""
        awaiting = self.count()
        if not number:
            return ShippingSummary(awaiting)
        with Session(reader(self.db.engine)) as s:
            rows = list(
                s.scalars(
                    select(CarrierLabel)
                    .where(CarrierLabel.order_number == number)
                    .order_by(CarrierLabel.package_no, CarrierLabel.id.desc())
                )
            )
            if rows:
                row = rows[0]
                return ShippingSummary(
                    awaiting, number, row.status, row.carrier, row.service, row.price,
                    row.currency, row.actual_weight_g, row.billed_weight_g, row.tracking_number,
                    row.last_error if row.status != BOUGHT else None,
                    package_count=max(row.package_count or 1, len(rows)),
                    master_tracking_number=row.master_tracking_number,
                    packages=tuple(
                        PackageLabel(r.package_no, r.status, r.tracking_number) for r in rows
                    ),
                )  # fmt: skip
            order = s.scalar(select(Order).where(Order.number == number))
            if order is not None and order.carrier_label_sha256:
                return ShippingSummary(
                    awaiting, number, "supplied", order.carrier, order.service,
                    tracking_number=order.tracking_number,
                )  # fmt: skip
        return ShippingSummary(awaiting, number)

    def get(self, package_id: int) -> CarrierLabel | None:
        """The row of one package (detached), if it was queued."""
        with Session(reader(self.db.engine), expire_on_commit=False) as s:
            return s.scalar(select(CarrierLabel).where(CarrierLabel.package_id == package_id))

    def failed(self, row_id: int, error: str, *, final: bool = False) -> None:
        """A try that did not buy: counted with its reason; ``final`` stops the retries."""
        with self._write() as (s, _cur):
            row = s.get(CarrierLabel, row_id)
            if row is not None:
                row.attempts += 1
                row.last_error = error[:500]
                row.updated_at = utcnow()
                if final:
                    row.status = REFUSED

    def choose(self, number: str, choice: int, rate: Rate, user: UserRef | None) -> bool:
        """Store the packer's choice of ``rate`` (shown as ``choice``) on order ``number``'s
        packages still awaiting, and in the audit log; False if none awaits any more."""
        with self._write() as (s, cur):
            rows = list(
                s.scalars(
                    select(CarrierLabel).where(
                        CarrierLabel.order_number == number, CarrierLabel.status == AWAITING
                    )
                )
            )
            if not rows:
                return False
            now = utcnow()
            for row in rows:
                row.chosen_account = rate.account
                row.chosen_service = rate.service
                row.chosen_by = user.id if user else None
                row.updated_at = now
            detail: dict[str, object] = {
                "order": number,
                "choice": choice,
                "account": rate.account,
                "carrier": rate.carrier,
                "service": rate.service,
                "price": rate.price,
                "currency": rate.currency,
                "billed_weight_g": rate.billed_weight_g,
                "packages": [r.package_no for r in rows],
            }
            append_audit(
                cur, now, self.station, user.id if user else None, "ship.rate_chosen", "order",
                number, detail,
            )  # fmt: skip
        return True

    def bought(self, row_id: int, shipment: Shipment, label: bytes) -> None:
        """Store what the hub sold, and tell the hub (outbox) the package's tracking number."""
        with self._write() as (s, cur):
            row = s.get(CarrierLabel, row_id)
            if row is None or row.status == BOUGHT:
                return
            now = utcnow()
            row.status = BOUGHT
            row.attempts += 1
            row.last_error = None
            row.carrier = shipment.carrier
            row.service = shipment.service
            row.price = shipment.price
            row.currency = shipment.currency
            row.actual_weight_g = shipment.actual_weight_g
            row.billed_weight_g = shipment.billed_weight_g
            row.tracking_number = shipment.tracking_number
            row.master_tracking_number = shipment.master_tracking_number
            row.label_format = shipment.label_format
            row.label = label
            row.updated_at = now
            s.flush()
            payload: dict[str, object] = {
                "order": row.order_number,
                "package": row.package_no,
                "carrier": shipment.carrier,
                "service": shipment.service,
                "tracking_number": shipment.tracking_number,
                "master_tracking_number": shipment.master_tracking_number,
                "packages": row.package_count,
                "label_sha256": shipment.label_sha256,
                "station": self.station,
                "at": now.isoformat(),
            }
            append_event(cur, "package.label_bought", payload, now)

    def subscribe(self, wake: Callable[[], None]) -> None:
        """Call ``wake`` after packages are added (the buyer's thread wakes up)."""
        with self._lock:
            self._listeners.append(wake)

    def _wake(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake()

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, sqlite3.Cursor]]:
        with self.db.session() as s, s.begin():
            conn = s.connection().connection.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            cur = conn.cursor()
            try:
                yield s, cur
            finally:
                cur.close()
