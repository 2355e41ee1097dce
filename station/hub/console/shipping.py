"""Carrier accounts with their health, and manifests, as the console shows them.

Read from what the shipping service already keeps (``station.hub.shipping``): the accounts
of the carriers file (``CarrierAccount.public``: never a credential), the labels bought
through each (``hub_shipments``) and the manifests made (``hub_manifests``, their documents
in ``hub_labels``). A supervisor may test an account: a rate from its site to that site's
own address, as ``station hub carriers test`` asks; the outcome is kept
(``hub_carrier_checks``) and shown as the account's last test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.hub.console.models import CarrierCheck
from station.hub.db import HubDatabase
from station.hub.models import utcnow
from station.hub.shipping.models import HubLabel, HubManifest, HubShipment
from station.hub.shipping.service import ShipError, ShippingService
from station.hub.sites import SiteError, default_site, ship_from
from station.ship.protocol import PackageRequest
from station.sync.records import ShipToRecord

LISTED = 100
# A buy still "buying" after this long lost its hub mid-call (the service takes it over).
STUCK = timedelta(minutes=2)


@dataclass(frozen=True)
class AccountRow:
    """One carrier account and how it has been doing."""

    name: str
    carrier: str
    site: str
    emulated: bool
    labels_today: int
    last_label_at: datetime | None
    stuck_buys: int
    checked_at: datetime | None
    check_ok: bool | None
    check_detail: str | None

    @property
    def health(self) -> str:
        """One word for the table: ok, failing, stuck or untested."""
        if self.stuck_buys:
            return "stuck"
        if self.check_ok is False:
            return "failing"
        if self.check_ok is None and self.last_label_at is None:
            return "untested"
        return "ok"


@dataclass(frozen=True)
class ManifestRow:
    """A manifest made at the hub, and whether it has a document to download."""

    id: int
    account: str
    site: str
    ship_date: str
    labels: int
    manifest_number: str | None
    has_document: bool
    created_at: datetime


def accounts(session: Session, service: ShippingService) -> list[AccountRow]:
    """Every carrier account of the hub, by name, with its labels and its last test."""
    default = default_site(session)
    today = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = []
    for account in sorted(service.config.accounts.values(), key=lambda a: a.name):
        public = account.public()
        mine = HubShipment.account == account.name
        labels_today = session.scalar(
            select(func.count()).where(
                mine, HubShipment.status == "bought", HubShipment.created_at >= today
            )
        )
        last = session.scalar(
            select(func.max(HubShipment.created_at)).where(mine, HubShipment.status == "bought")
        )
        stuck = session.scalar(
            select(func.count()).where(
                mine,
                HubShipment.status == "buying",
                HubShipment.created_at < utcnow() - STUCK,
            )
        )
        check = session.scalar(
            select(CarrierCheck)
            .where(CarrierCheck.account == account.name)
            .order_by(CarrierCheck.id.desc())
            .limit(1)
        )
        rows.append(
            AccountRow(
                name=str(public["name"]),
                carrier=str(public["carrier"]),
                site=str(public["site"] or default),
                emulated=bool(public["emulated"]),
                labels_today=int(labels_today or 0),
                last_label_at=last,
                stuck_buys=int(stuck or 0),
                checked_at=check.checked_at if check else None,
                check_ok=check.ok if check else None,
                check_detail=check.detail if check else None,
            )
        )
    return rows


def check_account(hub: HubDatabase, service: ShippingService, name: str, user: str) -> bool:
    """Ask account ``name`` for a rate from its site to itself; keep and return the outcome.

    KeyError if the hub has no such account.
    """
    account = service.config.accounts.get(name)
    if account is None:
        raise KeyError(f"no carrier account {name!r}")
    ok, detail = False, ""
    try:
        with hub.read() as session:
            default = default_site(session)
            site = account.site or default
            origin = ship_from(session, site)
        package = PackageRequest(
            order_number="TEST",
            package_no=1,
            weight_g=1000,
            ship_to=ShipToRecord(
                customer_name=origin["name"],
                street1=origin.get("street1") or "",
                city=origin.get("city") or "",
                postcode=origin.get("postcode") or "",
                country=origin.get("country") or "",
                region=origin.get("region"),
            ),
        )
        answer = service.rates(site, default, package)
        mine = [r for r in answer.rates if r.account == name]
        refusals = [f"{p.code}: {p.message}" for p in answer.problems if p.account == name]
        ok = bool(mine)
        if mine:
            cheapest = min(mine, key=lambda r: r.price)
            detail = f"{len(mine)} rate(s), from {cheapest.price:.2f} {cheapest.currency}"
        else:
            detail = "; ".join(refusals) or "no rates"
    except (ShipError, SiteError) as exc:
        detail = str(exc)
    with hub.write() as session:
        session.add(CarrierCheck(account=name, checked_by=user[:64], ok=ok, detail=detail[:2000]))
    return ok


def _manifest_row(m: HubManifest) -> ManifestRow:
    detail = m.detail if isinstance(m.detail, dict) else {}
    tracking = detail.get("tracking")
    return ManifestRow(
        id=m.id,
        account=m.account,
        site=m.site,
        ship_date=m.ship_date,
        labels=len(tracking) if isinstance(tracking, list) else 0,
        manifest_number=detail.get("manifest_number"),
        has_document=m.document_sha256 is not None,
        created_at=m.created_at,
    )


def manifests(session: Session) -> list[ManifestRow]:
    """The newest manifests first."""
    query = select(HubManifest).order_by(HubManifest.id.desc()).limit(LISTED)
    return [_manifest_row(m) for m in session.scalars(query)]


def manifest_document(session: Session, manifest_id: int) -> tuple[ManifestRow, bytes, str] | None:
    """A manifest's row, document bytes and format, or None (no such manifest or document)."""
    manifest = session.get(HubManifest, manifest_id)
    if manifest is None or manifest.document_sha256 is None:
        return None
    label = session.get(HubLabel, manifest.document_sha256)
    if label is None:
        return None
    return _manifest_row(manifest), bytes(label.data), label.format
