"""The hub's ``/v1/ship`` routes for stations: rates, buy, void, label (reprint), manifest,
and the DIM rules of the station's site.

Every route works for the calling station's site only; carrier calls run in the thread pool,
never on the event loop. No answer ever carries a credential (accounts are shown by
``CarrierAccount.public``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from station.hub.api import AUTH, NOT_JSON, Station
from station.hub.context import HubContext, HubError, hub_context
from station.hub.shipping.service import ShipError, ShippingService
from station.hub.sites import default_site, scope_of_station
from station.ship import protocol as p
from station.sync.protocol import ErrorBody

router = APIRouter(tags=["shipping"])
Ctx = Annotated[HubContext, Depends(hub_context)]
_ERROR: dict[str, Any] = {"model": ErrorBody}
CARRIER: dict[int | str, dict[str, Any]] = {
    **AUTH,
    **NOT_JSON,
    404: {**_ERROR, "description": "unknown account, or a package without a label"},
    409: {
        **_ERROR,
        "description": "refused in this state (no carrier account or ship-from address, "
        "voided, manifested, key reused, a buy under way)",
    },
    502: {**_ERROR, "description": "the carrier refused or failed"},
    503: {**_ERROR, "description": "the carrier is busy (Retry-After)"},
    504: {**_ERROR, "description": "the carrier did not answer in time"},
}
LABEL_TYPES = {"zpl": "application/zpl", "pdf": "application/pdf"}


def shipping_service(request: Request) -> ShippingService:
    """FastAPI dependency: this hub's shipping service."""
    service = request.app.state.shipping
    assert isinstance(service, ShippingService)
    return service


Ship = Annotated[ShippingService, Depends(shipping_service)]


def _sites(ctx: HubContext, station_id: int) -> tuple[str, str]:
    with ctx.db.read() as session:
        return scope_of_station(session, station_id).code, default_site(session)


def _at_site(ctx: HubContext, station_id: int, work: Any, *args: Any) -> Any:
    site, default = _sites(ctx, station_id)
    return work(site, default, *args)


async def _run(ctx: HubContext, station_id: int, work: Any, *args: Any) -> Any:
    try:
        # One trip to the thread pool for the station's site and the work (each is a hop).
        return await run_in_threadpool(_at_site, ctx, station_id, work, *args)
    except ShipError as exc:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        raise HubError(exc.status, exc.code, exc.message, headers=headers) from None


@router.get(p.CARRIERS, responses=AUTH)
async def carriers(ctx: Ctx, station: Station, ship: Ship) -> list[p.CarrierInfo]:
    """The carrier accounts of the station's site (names and carriers, never credentials)."""
    site, default = await run_in_threadpool(_sites, ctx, station.id)
    return [p.CarrierInfo(**a.public()) for a in ship.accounts_of(site, default)]


@router.get(p.RULES, responses=AUTH)
async def rules(ctx: Ctx, station: Station, ship: Ship) -> p.ShipRules:
    """The DIM rule of each carrier of the station's site (its box suggestion weighs billed
    weight with them); the table stays here, stations keep a copy."""
    site, default = await run_in_threadpool(_sites, ctx, station.id)
    dim = ship.config.rules.dim
    carriers = sorted({a.carrier for a in ship.accounts_of(site, default)} & set(dim))
    return p.ShipRules(
        dim={
            c: p.DimSpec(
                divisor=dim[c].divisor, imperial=dim[c].imperial, min_volume=dim[c].min_volume
            )
            for c in carriers
        }
    )


@router.post(p.RATES, responses=CARRIER)
async def rates(body: p.PackageRequest, ctx: Ctx, station: Station, ship: Ship) -> p.RatesResponse:
    """Rates for one package from every account of the site, and the rule's choice."""
    result: p.RatesResponse = await _run(ctx, station.id, ship.rates, body)
    return result


@router.post(p.BUY, responses=CARRIER)
async def buy(body: p.BuyRequest, ctx: Ctx, station: Station, ship: Ship) -> p.Shipment:
    """Buy the package's label (the given rate, or the rule's); a replayed key buys nothing."""

    def work(site: str, default: str) -> p.Shipment:
        return ship.buy(station.name, site, default, body)

    result: p.Shipment = await _run(ctx, station.id, work)
    return result


@router.post(p.VOID, responses=CARRIER)
async def void(body: p.VoidRequest, ctx: Ctx, station: Station, ship: Ship) -> p.Shipment:
    """Void a package's label (refused once it is on a manifest)."""
    result: p.Shipment = await _run(ctx, station.id, ship.void, body)
    return result


@router.get(
    p.LABEL + "/{order_number}/{package_no}",
    responses={
        **CARRIER,
        200: {
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in LABEL_TYPES.values()
            },
            "description": "the label's bytes as the carrier gave them",
        },
    },
    response_class=Response,
)
async def label(
    order_number: Annotated[str, Path(min_length=1, max_length=64)],
    package_no: Annotated[int, Path(ge=1, le=999)],
    ctx: Ctx,
    station: Station,
    ship: Ship,
) -> Response:
    """A bought label again (a reprint); a voided label is refused."""

    def work(site: str, _default: str) -> tuple[bytes, str]:
        return ship.label(site, order_number, package_no)

    data, fmt = await _run(ctx, station.id, work)
    return Response(content=data, media_type=LABEL_TYPES.get(fmt, "application/octet-stream"))


@router.post(p.MANIFEST, responses=CARRIER)
async def manifest(body: p.ManifestRequest, ctx: Ctx, station: Station, ship: Ship) -> p.Manifest:
    """Close out an account's labels of a day at the station's site."""
    result: p.Manifest = await _run(ctx, station.id, ship.manifest, body)
    return result


@router.get(
    p.MANIFEST + "/document/{sha256}",
    responses={**AUTH, 404: {**_ERROR, "description": "no such document"}},
    response_class=Response,
)
async def manifest_document(
    sha256: Annotated[str, Path(pattern="^[0-9a-f]{64}$")], station: Station, ship: Ship
) -> Response:
    """A manifest's document (PDF) by its hash."""
    found = await run_in_threadpool(ship.document, sha256)
    if found is None:
        raise HubError(404, "not_found", "no document with this hash")
    return Response(content=found[0], media_type=LABEL_TYPES.get(found[1], "application/pdf"))
