"""Rates, buying (idempotent per package), voiding, labels and manifests, for one hub.

Carrier calls are blocking (karrio uses urllib) and run in this service's thread pool with a
deadline each, so a carrier that never answers costs its caller ``carrier_timeout_s`` and no
more. Rates from several accounts are asked for at once.

A buy first stores a ``buying`` row under its idempotency key (unique), then calls the
carrier, then stores the label bytes under their SHA-256 and the shipment as ``bought``. A
replay of the same key answers the stored shipment; the same key with another request, or a
buy while the first is still under way, is refused. A hub that dies during the carrier call
leaves a ``buying`` row; a retry after ``STALE_BUYING`` takes it over.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.hub.channels.outbound import package_shipped
from station.hub.db import HubDatabase
from station.hub.models import utcnow
from station.hub.shipping.accounts import CarrierAccount
from station.hub.shipping.config import ShippingConfig
from station.hub.shipping.models import HubLabel, HubManifest, HubShipment
from station.hub.shipping.pieces import multi_piece, piece_request, request_digest, split_zpl
from station.hub.shipping.rules import RateOption, RuleError
from station.hub.sites import SiteError, ship_from
from station.ship import protocol as p

T = TypeVar("T")
STALE_BUYING = timedelta(minutes=2)
LABEL_TYPES = {("zpl", 203): "ZPL", ("zpl", 300): "ZPL300DPI", ("pdf", 203): "PDF"}


class ShipError(Exception):
    """A refusal with its HTTP status, protocol code and reason."""

    def __init__(self, status: int, code: str, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class ShippingService:
    """Shipping of one hub: its database, carrier accounts and rules."""

    def __init__(self, db: HubDatabase, config: ShippingConfig) -> None:
        self.db = db
        self.config = config
        self._gateways: Any = None  # karrio is imported on the first carrier call
        self._lock = threading.Lock()
        if config.accounts:
            # karrio takes seconds to import: a hub with accounts does it now, in the background.
            threading.Thread(target=_karrio, daemon=True, name="karrio-import").start()
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="carrier")

    def _gateway(self, account: CarrierAccount) -> Any:
        with self._lock:
            if self._gateways is None:
                self._gateways = _karrio().Gateways()
            return self._gateways.of(account)

    def close(self) -> None:
        """Stop taking carrier calls (calls under way finish in their threads)."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- accounts -----------------------------------------------------------------------

    def accounts_of(self, site: str, default_site: str) -> list[CarrierAccount]:
        """The accounts buying for ``site`` (an account without a site: the default's)."""
        return [a for a in self.config.accounts.values() if (a.site or default_site) == site]

    def account(self, name: str, site: str, default_site: str) -> CarrierAccount:
        """One account of the site, or 404/403 naming the cause."""
        found = self.config.accounts.get(name)
        if found is None:
            raise ShipError(404, "unknown_account", f"no carrier account {name!r}")
        if (found.site or default_site) != site:
            raise ShipError(403, "other_site", f"account {name!r} ships for another site")
        return found

    def _call(self, account: CarrierAccount, work: Callable[[], T]) -> T:
        started = time.monotonic()
        future: Future[T] = self._pool.submit(work)
        try:
            result = future.result(timeout=self.config.carrier_timeout_s)
        except FutureTimeout:
            raise ShipError(
                504,
                "carrier_timeout",
                f"{account.name}: no answer within {self.config.carrier_timeout_s:g} s",
            ) from None
        except ShipError:
            raise
        except Exception as exc:  # a connector's own failure; the type names it, not secrets
            self._raise_if_busy(account, started)
            raise ShipError(502, "carrier_error", f"{account.name}: {type(exc).__name__}") from None
        if isinstance(result, tuple) and len(result) == 2 and not result[0]:
            # karrio answered (nothing, messages): a refusal, which may be a busy carrier's.
            # A call that succeeded is never turned into one (its label would be lost).
            self._raise_if_busy(account, started)
        return result

    def _raise_if_busy(self, account: CarrierAccount, started: float) -> None:
        # karrio drops the carrier's Retry-After; the account's tracer kept it (karrio_link).
        wait = self._gateway(account).tracer.busy_since(started)
        if wait is not None:
            raise ShipError(
                503,
                "carrier_busy",
                f"{account.name}: the carrier is busy; it asks to retry in {wait} s",
                retry_after=wait,
            )

    # -- rates --------------------------------------------------------------------------

    def _weights(self, carrier: str, package: p.PackageRequest) -> tuple[float, float]:
        dim = self.config.rules.dim.get(carrier)
        if dim is None:
            return 0.0, package.weight_g
        dims = list(package.dims_mm) if package.dims_mm else None
        dim_g = dim.dim_weight_g(dims) if dims else 0.0
        return dim_g, dim.billed_weight_g(package.weight_g, dims)

    def _rates_of(
        self, account: CarrierAccount, origin: dict[str, Any], package: p.PackageRequest
    ) -> tuple[list[p.Rate], ShipError | None]:
        k = _karrio()
        dims = list(package.dims_mm) if package.dims_mm else None
        limit = self.config.rules.limit_problem(
            account.carrier, package.weight_g, dims, package.hazmat
        )
        if limit is not None:
            raise ShipError(422, "over_limits", limit)
        gateway = self._gateway(account)
        request = k.km.RateRequest(
            shipper=k.address(origin),
            recipient=k.address(package.ship_to.model_dump()),
            parcels=[k.parcel(package)],
            customs=k.customs(package),
            reference=package.order_number,
        )
        rates, messages = self._call(
            account, lambda: k.karrio.Rating.fetch(request).from_(gateway).parse()
        )
        # Some of the carrier's answers may be refusals while others are rates: keep both.
        refusal = _refusal(account, messages) if messages else None
        if not rates and refusal is None:
            # karrio's USPS rate parser drops the errors of a list of answers: say what we know.
            refusal = ShipError(
                422, "no_rates", f"{account.name}: the carrier offered no service for this package"
            )
        dim_g, billed_g = self._weights(account.carrier, package)
        found = [
            p.Rate(
                account=account.name,
                carrier=account.carrier,
                service=str(r.service),
                service_name=(r.meta or {}).get("service_name"),
                price=float(r.total_charge or 0),
                currency=str(r.currency or ""),
                transit_days=r.transit_days,
                actual_weight_g=package.weight_g,
                dim_weight_g=round(dim_g, 1),
                billed_weight_g=round(billed_g, 1),
            )
            for r in rates
        ]
        return found, refusal

    def rates(
        self,
        site: str,
        default_site: str,
        package: p.PackageRequest,
        *,
        origin: dict[str, Any] | None = None,
    ) -> p.RatesResponse:
        """Rates of every account of ``site``, asked concurrently; cheapest first."""
        if origin is None:
            origin = self._origin(site)
        accounts = self.accounts_of(site, default_site)
        if not accounts:
            raise ShipError(409, "no_carrier", f"no carrier account ships for site {site!r}")
        for account in accounts:
            self._gateway(account)  # made (karrio imported) before any deadline starts
        futures = [(a, self._pool.submit(self._rates_of, a, origin, package)) for a in accounts]
        rates: list[p.Rate] = []
        problems: list[p.CarrierProblem] = []
        deadline = self.config.carrier_timeout_s + 1
        for account, future in futures:
            try:
                found, refusal = future.result(timeout=deadline)
                rates.extend(found)
                if refusal is not None:
                    raise refusal
            except ShipError as exc:
                problems.append(p.CarrierProblem(
                    account=account.name, carrier=account.carrier, code=exc.code,
                    message=exc.message,
                ))  # fmt: skip
            except FutureTimeout:
                problems.append(p.CarrierProblem(
                    account=account.name, carrier=account.carrier, code="carrier_timeout",
                    message=f"{account.name}: no answer in time",
                ))  # fmt: skip
        rates.sort(key=lambda r: (r.price, r.transit_days or 99))
        chosen = None
        if rates:
            try:
                pick = self.config.rules.choose(
                    package.ship_method, [_option(r) for r in rates], hazmat=package.hazmat
                )
                chosen = next(
                    r for r in rates if (r.account, r.service) == (pick.account, pick.service)
                )
            except RuleError:
                chosen = None
        return p.RatesResponse(rates=rates, problems=problems, chosen=chosen)

    def _origin(self, site: str) -> dict[str, Any]:
        with self.db.read() as session:
            return self._origin_in(session, site)

    @staticmethod
    def _origin_in(session: Session, site: str) -> dict[str, Any]:
        try:
            return ship_from(session, site)
        except SiteError as exc:
            raise ShipError(409, "no_ship_from", str(exc)) from None

    # -- buying -------------------------------------------------------------------------

    def buy(self, station: str, site: str, default_site: str, req: p.BuyRequest) -> p.Shipment:
        """The package's label, bought once per idempotency key."""
        digest = request_digest(req)
        replay, origin = self._claim(station, site, req, digest)
        if replay is not None:
            return replay
        keys = [req.idempotency_key]  # with the keys of pieces claimed with it
        try:
            return self._buy_claimed(station, site, default_site, req, origin, keys)
        except BaseException:
            with self.db.write(durable=False) as session:  # a lost delete: a stale claim
                session.execute(
                    delete(HubShipment).where(
                        HubShipment.idempotency_key.in_(keys),
                        HubShipment.status == "buying",
                    )
                )
            raise

    def _claim(
        self, station: str, site: str, req: p.BuyRequest, digest: str
    ) -> tuple[p.Shipment | None, dict[str, Any]]:
        """(the stored shipment of a replay, or None once claimed; the ship-from address).

        The address is read in the claim's transaction: one transaction fewer per buy. The
        claim is not durable on its own (no fsync): the bought label's commit makes it durable
        with it, and a power cut before that loses only the claim, so a retry buys at once
        where it would otherwise wait ``STALE_BUYING`` (either way the carrier is asked again).
        """
        with self.db.write(durable=False) as session:
            row = session.scalar(
                select(HubShipment)
                .where(HubShipment.idempotency_key == req.idempotency_key)
                .with_for_update()
            )
            if row is not None and _piece_of_request(row, req):
                # Bought as a piece of another package's shipment (or being bought so).
                if row.status != "buying":
                    return _shipment(row, replayed=True), {}
                if _aware(row.created_at) > utcnow() - STALE_BUYING:
                    raise ShipError(409, "buy_in_progress", "this label is being bought; retry", 2)
                row.request_sha256, row.detail = digest, None  # its buyer died: buy it alone
                row.created_at = utcnow()
                return None, self._origin_in(session, site)
            if row is not None:
                if row.request_sha256 != digest:
                    raise ShipError(
                        409,
                        "key_reused",
                        "this idempotency key was used for another request; "
                        "a new package needs a new key",
                    )
                if row.status != "buying":
                    return _shipment(row, replayed=True), {}
                if _aware(row.created_at) > utcnow() - STALE_BUYING:
                    raise ShipError(409, "buy_in_progress", "this label is being bought; retry", 2)
                row.created_at = utcnow()  # a hub died mid-buy: this retry takes over
                return None, self._origin_in(session, site)
            live = session.scalar(
                select(HubShipment).where(
                    HubShipment.order_number == req.order_number,
                    HubShipment.package_no == req.package_no,
                    HubShipment.status.in_(("buying", "bought")),
                )
            )
            if live is not None:
                raise ShipError(
                    409,
                    "already_bought",
                    f"package {req.package_no} of {req.order_number} already has label "
                    f"{live.tracking_number or '(being bought)'}: void it first",
                )
            origin = self._origin_in(session, site)
            session.add(_claim(station, site, req, digest))
        return None, origin

    def _claim_pieces(self, station: str, site: str, req: p.BuyRequest) -> list[p.BuyRequest]:
        """Claim ``req``'s pieces that have no label and no buy under way, as its own claim.

        A piece bought (or being bought) by its own request stays out of this shipment.
        """
        claimed: list[p.BuyRequest] = []
        try:
            with self.db.write(durable=False) as session:
                for piece in sorted(req.pieces, key=lambda x: x.package_no):
                    if piece.package_no in {req.package_no, *(c.package_no for c in claimed)}:
                        continue
                    taken = session.scalar(
                        select(HubShipment.id).where(
                            or_(
                                HubShipment.idempotency_key == piece.idempotency_key,
                                (HubShipment.order_number == req.order_number)
                                & (HubShipment.package_no == piece.package_no)
                                & HubShipment.status.in_(("buying", "bought")),
                            )
                        )
                    )
                    if taken is not None:
                        continue
                    one = piece_request(req, piece)
                    claim = _claim(station, site, one, request_digest(one))
                    claim.detail = {"piece_of": req.idempotency_key}
                    session.add(claim)
                    claimed.append(one)
        except IntegrityError:
            return []  # a piece's own buy claimed it meanwhile: this package goes alone
        return claimed

    def _buy_claimed(
        self,
        station: str,
        site: str,
        default_site: str,
        req: p.BuyRequest,
        origin: dict[str, Any],
        keys: list[str],
    ) -> p.Shipment:
        k = _karrio()
        if (req.label_format, req.dpi) not in LABEL_TYPES:
            raise ShipError(422, "label_format", "PDF labels have no dpi: leave dpi at 203")
        account, service = self._pick(site, default_site, req, origin)
        gateway = self._gateway(account)
        packages = [req]
        if multi_piece(account.carrier, req):
            pieces = self._claim_pieces(station, site, req)
            keys.extend(x.idempotency_key for x in pieces)
            packages = sorted([req, *pieces], key=lambda x: x.package_no)  # box 1 leads
        request = k.km.ShipmentRequest(
            shipper=k.address(origin),
            recipient=k.address(req.ship_to.model_dump()),
            parcels=[k.parcel(x) for x in packages],
            customs=k.customs(req),
            service=service,
            label_type=_label_type(account.carrier, req.label_format, req.dpi),
            reference=f"{req.order_number}/{req.package_no}",
            payment={"paid_by": "sender"},  # FedEx's connector needs to be told who pays
        )
        shipment, messages = self._call(
            account, lambda: k.karrio.Shipment.create(request).from_(gateway).parse()
        )
        if shipment is None:
            raise _refusal(account, messages)
        numbers, labels = self._labels_of(account, shipment, len(packages))
        return self._store(req, account, service, packages, shipment, numbers, labels)

    def _pick(
        self, site: str, default_site: str, req: p.BuyRequest, origin: dict[str, Any]
    ) -> tuple[CarrierAccount, str]:
        """The account and service of the buy: the request's, or the rule's choice."""
        if req.account is not None and req.service is not None:
            account = self.account(req.account, site, default_site)
            service = req.service
            if req.hazmat and not self.config.rules.carries_hazmat(account.carrier, service):
                raise ShipError(
                    422, "hazmat_service", f"{service} may not carry hazardous goods: ground only"
                )
        else:
            quote = self.rates(site, default_site, req, origin=origin)
            candidates = [r for r in quote.rates if req.account in (None, r.account)]
            if req.service is not None:
                candidates = [r for r in candidates if r.service == req.service]
            try:
                pick = self.config.rules.choose(
                    req.ship_method, [_option(r) for r in candidates], hazmat=req.hazmat
                )
            except RuleError as exc:
                reasons = "; ".join(x.message for x in quote.problems)
                raise ShipError(
                    422, "no_rate", str(exc) + (f" ({reasons})" if reasons else "")
                ) from None
            account = self.account(pick.account, site, default_site)
            service = pick.service
        return account, service

    def _labels_of(
        self, account: CarrierAccount, shipment: Any, count: int
    ) -> tuple[list[str], list[bytes]]:
        """Each package's tracking number and label bytes, in order; a shipment without
        them (all) is voided and refused."""
        k = _karrio()
        data = k.decode_label(shipment.docs.label if shipment.docs else None)
        if data is None:
            self._void_quietly(account, shipment.shipment_identifier)
            raise ShipError(
                502,
                "no_label",
                f"{account.name}: the carrier answered {shipment.tracking_number} without "
                "label data; that shipment was voided, buy again",
            )
        if count == 1:
            return [str(shipment.tracking_number)], [data]
        numbers = [str(n) for n in (shipment.meta or {}).get("tracking_numbers") or []]
        labels = split_zpl(data)
        if len(numbers) != count or len(labels) != count:
            self._void_quietly(account, shipment.shipment_identifier)
            raise ShipError(
                502,
                "carrier_error",
                f"{account.name}: the carrier answered {len(numbers)} tracking numbers and "
                f"{len(labels)} labels for {count} packages; that shipment was voided, buy again",
            )
        return numbers, labels

    def _store(
        self,
        req: p.BuyRequest,
        account: CarrierAccount,
        service: str,
        packages: list[p.BuyRequest],
        shipment: Any,
        numbers: list[str],
        labels: list[bytes],
    ) -> p.Shipment:
        """Every package of the shipment as ``bought`` with its label; ``req``'s answer."""
        master = str(shipment.tracking_number)
        rate = shipment.selected_rate
        answer: p.Shipment | None = None
        with self.db.write() as session:
            for package, number, label in zip(packages, numbers, labels, strict=True):
                sha = hashlib.sha256(label).hexdigest()
                if session.get(HubLabel, sha) is None:
                    session.add(HubLabel(sha256=sha, format=req.label_format, data=label))
                    session.flush()
                row = session.scalar(
                    select(HubShipment).where(
                        HubShipment.idempotency_key == package.idempotency_key
                    )
                )
                assert row is not None  # claimed above, and only this call completes it
                _, billed = self._weights(account.carrier, package)
                row.account = account.name
                row.carrier = account.carrier
                row.service = service
                row.tracking_number = number
                row.shipment_identifier = str(shipment.shipment_identifier)
                # The shipment's price is the requesting package's; its pieces carry none.
                if package is req:
                    row.price = float(rate.total_charge) if rate and rate.total_charge else None
                    row.currency = str(rate.currency) if rate and rate.currency else None
                row.billed_weight_g = round(billed, 1)
                row.label_sha256 = sha
                row.label_format = req.label_format
                row.status = "bought"
                if len(packages) > 1:
                    row.detail = {
                        **(row.detail or {}),
                        "master_tracking_number": master,
                        "packages": len(packages),
                    }
                # The shop (and the hub's webhooks) learn the tracking in the same transaction.
                package_shipped(session, row.order_number, row.package_no, account.carrier, number)
                if package is req:
                    answer = _shipment(row)
        assert answer is not None
        return answer

    def _void_quietly(self, account: CarrierAccount, identifier: str | None) -> None:
        k = _karrio()
        gateway = self._gateway(account)
        if not identifier or "cancel_shipment" not in gateway.proxy_methods:
            return
        request = k.km.ShipmentCancelRequest(shipment_identifier=identifier)
        # A failure here is reported with the buy's refusal; carriers void unused labels anyway.
        with contextlib.suppress(ShipError):
            self._call(account, lambda: k.karrio.Shipment.cancel(request).from_(gateway).parse())

    # -- after buying -------------------------------------------------------------------

    def _bought(self, session: Session, site: str, order: str, package: int) -> HubShipment:
        row = session.scalar(
            select(HubShipment)
            .where(
                HubShipment.site == site,
                HubShipment.order_number == order,
                HubShipment.package_no == package,
                HubShipment.status != "buying",
            )
            .order_by(HubShipment.id.desc())
            .limit(1)
        )
        if row is None:
            raise ShipError(404, "no_label", f"package {package} of {order} has no label")
        return row

    def void(self, site: str, default_site: str, req: p.VoidRequest) -> p.Shipment:
        """Void a package's label at the carrier; refused once it is on a manifest."""
        k = _karrio()
        with self.db.read() as session:
            row = self._bought(session, site, req.order_number, req.package_no)
            if row.status == "voided":
                raise ShipError(409, "voided", f"label {row.tracking_number} is already voided")
            if row.manifest_id is not None:
                raise ShipError(
                    409,
                    "manifested",
                    f"label {row.tracking_number} is on manifest {row.manifest_id} "
                    "(handed to the carrier): it cannot be voided",
                )
            account = self.account(str(row.account), site, default_site)
            identifier = str(row.shipment_identifier)
            row_id = row.id
        gateway = self._gateway(account)
        # DHL Express's XML-PI and the generic carrier have no void (an unused DHL Express
        # waybill is not charged; a generic label is the hub's own): the hub voids it alone.
        if "cancel_shipment" in gateway.proxy_methods:
            request = k.km.ShipmentCancelRequest(shipment_identifier=identifier)
            done, messages = self._call(
                account, lambda: k.karrio.Shipment.cancel(request).from_(gateway).parse()
            )
            if done is None or not done.success:
                raise _refusal(account, messages)
        with self.db.write() as session:
            found = session.get(HubShipment, row_id)
            assert found is not None
            together = [found]
            if (found.detail or {}).get("master_tracking_number"):
                # karrio voids a multi-piece shipment whole (by its master): every package.
                together += session.scalars(
                    select(HubShipment).where(
                        HubShipment.account == found.account,
                        HubShipment.shipment_identifier == found.shipment_identifier,
                        HubShipment.status == "bought",
                        HubShipment.id != found.id,
                    )
                )
            for one in together:
                one.status = "voided"
                one.voided_at = utcnow()
                # The key is freed, so the station buys the package's next label under it.
                one.idempotency_key = f"{one.idempotency_key}#void{one.id}"
            return _shipment(found)

    def label(self, site: str, order: str, package: int) -> tuple[bytes, str]:
        """A bought label's bytes and format, for a reprint; a voided one is refused."""
        with self.db.read() as session:
            row = self._bought(session, site, order, package)
            if row.status == "voided":
                raise ShipError(
                    409, "voided", f"label {row.tracking_number} was voided: buy a new one"
                )
            label = session.get(HubLabel, row.label_sha256)
            assert label is not None
            return bytes(label.data), label.format

    def document(self, sha256: str) -> tuple[bytes, str] | None:
        """Stored bytes (a label or a manifest's document) by hash."""
        with self.db.read() as session:
            label = session.get(HubLabel, sha256)
            return None if label is None else (bytes(label.data), label.format)

    def manifest(self, site: str, default_site: str, req: p.ManifestRequest) -> p.Manifest:
        """Close out the account's labels of the day at this site."""
        k = _karrio()
        account = self.account(req.account, site, default_site)
        day = req.date or datetime.now(UTC).date().isoformat()
        try:
            start = datetime.fromisoformat(day).replace(tzinfo=UTC)
        except ValueError:
            raise ShipError(422, "bad_date", f"{day!r} is not a date") from None
        with self.db.read() as session:
            rows = list(
                session.scalars(
                    select(HubShipment).where(
                        HubShipment.account == account.name,
                        HubShipment.site == site,
                        HubShipment.status == "bought",
                        HubShipment.manifest_id.is_(None),
                        HubShipment.created_at >= start,
                        HubShipment.created_at < start + timedelta(days=1),
                    )
                )
            )
            ids = [r.id for r in rows]
            numbers = [str(r.tracking_number) for r in rows]
        if not rows:
            raise ShipError(
                409, "nothing_to_manifest", f"no open labels of {account.name} on {day}"
            )
        gateway = self._gateway(account)
        if "create_manifest" not in gateway.proxy_methods:
            # karrio's UPS, FedEx (no Ground close), DHL Express and DHL Parcel DE connectors
            # have none: their labels are handed over without a manifest from the hub.
            raise ShipError(
                422,
                "no_manifest",
                f"karrio's {account.carrier} connector has no manifest or close-out: "
                f"close {account.name}'s day with the carrier itself",
            )
        request = k.km.ManifestRequest(
            shipment_identifiers=numbers,
            address=k.address(self._origin(site)),
            options={"shipment_date": day},
        )
        details, messages = self._call(
            account, lambda: k.karrio.Manifest.create(request).from_(gateway).parse()
        )
        if details is None:
            raise _refusal(account, messages)
        data = k.decode_label(details.doc.manifest if details.doc else None)
        meta = dict(details.meta or {})
        with self.db.write() as session:
            sha = None
            if data is not None:
                sha = hashlib.sha256(data).hexdigest()
                if session.get(HubLabel, sha) is None:
                    session.add(HubLabel(sha256=sha, format="pdf", data=data))
                    session.flush()
            row = HubManifest(
                account=account.name,
                site=site,
                ship_date=day,
                document_sha256=sha,
                detail={"manifest_number": meta.get("manifestNumber"), "tracking": numbers},
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            for shipment in session.scalars(select(HubShipment).where(HubShipment.id.in_(ids))):
                shipment.manifest_id = row.id
            return p.Manifest(
                id=row.id,
                account=account.name,
                site=site,
                date=day,
                tracking_numbers=numbers,
                manifest_number=meta.get("manifestNumber"),
                document_sha256=sha,
            )


def _karrio() -> Any:
    # karrio loads every connector on import (seconds): only a hub that ships pays for it.
    from station.hub.shipping import karrio_link

    return karrio_link


def _label_type(carrier: str, fmt: str, dpi: int) -> str:
    kind = LABEL_TYPES[(fmt, dpi)]
    # Only USPS names a 300-dpi ZPL in karrio; the others print ZPL at the printer's dpi.
    return kind if carrier == "usps" or kind != "ZPL300DPI" else "ZPL"


def _refusal(account: CarrierAccount, messages: list[Any]) -> ShipError:
    k = _karrio()
    if not messages:  # e.g. DHL Express's XML-PI answering a 500 page: nothing karrio can read
        return ShipError(
            502, "carrier_error", f"{account.name}: the carrier's answer held no shipment"
        )
    code, text = k.messages_text(messages)
    upper = code.upper()
    if "TOO_MANY" in upper or upper == "429":  # busy without a Retry-After (see _call)
        return ShipError(503, "carrier_busy", f"{account.name}: {text}", retry_after=30)
    if "ADDRESS" in upper or "address" in text.lower():
        return ShipError(422, "invalid_address", f"{account.name}: {text}")
    if upper == "SHIPPING_SDK_INTERNAL_ERROR":
        return ShipError(502, "carrier_error", f"{account.name}: {text}")
    return ShipError(502, "carrier_refused", f"{account.name}: {code}: {text}")


def _option(rate: p.Rate) -> RateOption:
    return RateOption(rate.account, rate.carrier, rate.service, rate.price, rate.transit_days)


def _shipment(row: HubShipment, *, replayed: bool = False) -> p.Shipment:
    return p.Shipment(
        order_number=row.order_number,
        package_no=row.package_no,
        account=row.account,
        carrier=str(row.carrier),
        service=str(row.service),
        tracking_number=str(row.tracking_number),
        price=row.price,
        currency=row.currency,
        actual_weight_g=row.actual_weight_g,
        billed_weight_g=row.billed_weight_g,
        label_sha256=str(row.label_sha256),
        label_format=str(row.label_format),
        status=row.status,
        manifested=row.manifest_id is not None,
        replayed=replayed,
        master_tracking_number=(row.detail or {}).get("master_tracking_number"),
    )


def _piece_of_request(row: HubShipment, req: p.BuyRequest) -> bool:
    """True when ``row`` is ``req``'s package, claimed as a piece of another's shipment."""
    return (
        bool((row.detail or {}).get("piece_of"))
        and row.order_number == req.order_number
        and row.package_no == req.package_no
    )


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _claim(station: str, site: str, req: p.BuyRequest, digest: str) -> HubShipment:
    """The row that claims ``req``'s package while its label is bought (status ``buying``):
    no account and no price yet, billed at the actual weight until the carrier says."""
    return HubShipment(
        idempotency_key=req.idempotency_key,
        request_sha256=digest,
        station=station,
        site=site,
        order_number=req.order_number,
        package_no=req.package_no,
        account="",
        actual_weight_g=req.weight_g,
        billed_weight_g=req.weight_g,
        status="buying",
        created_at=utcnow(),
    )
