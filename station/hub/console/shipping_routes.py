"""The console's shipping page: carrier accounts and their health, manifests to download,
shop connectors and webhooks with their backlog (supervisors and admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from station.hub.console import channels, shipping
from station.hub.console.audit import audit
from station.hub.console.web import (
    CAN_SEE_SHIPPING,
    ConsoleRefused,
    check_csrf,
    page,
    read_form,
    render,
)
from station.hub.shipping.routes import shipping_service

router = APIRouter(prefix="/console", include_in_schema=False)
DOCUMENT_TYPES = {"pdf": "application/pdf", "zpl": "application/zpl"}


@router.get("/shipping")
def shipping_page(request: Request) -> Response:
    """Carrier accounts, manifests, shops and webhooks, each with its health."""
    p = page(request, CAN_SEE_SHIPPING)
    service = shipping_service(request)
    with p.ctx.db.read() as s:
        context = {
            "user": p.user,
            "accounts": shipping.accounts(s, service),
            "manifests": shipping.manifests(s),
            "channels": channels.channels(s),
            "webhooks": channels.webhooks(s),
            "notice": None,
        }
    return render(request, "shipping.html", context)


@router.post("/shipping/carriers/{name}/test")
async def test_carrier(request: Request, name: str) -> Response:
    """Ask the account for a rate now; the page shows the outcome as its last test."""
    p = page(request, CAN_SEE_SHIPPING)
    check_csrf(p.user, await read_form(request))
    service = shipping_service(request)
    try:
        ok = await run_in_threadpool(shipping.check_account, p.ctx.db, service, name, p.user.name)
    except KeyError as exc:
        raise ConsoleRefused(404, str(exc.args[0])) from None
    await run_in_threadpool(
        audit, p.ctx.db, p.user.name, "test_carrier", name, address=p.address,
        detail="passed" if ok else "failed",
    )  # fmt: skip
    return RedirectResponse("/console/shipping", status_code=303)


@router.get("/shipping/manifests/{manifest_id}/document")
def manifest_document(request: Request, manifest_id: int) -> Response:
    """A manifest's document as the carrier gave it, as a download."""
    p = page(request, CAN_SEE_SHIPPING)
    with p.ctx.db.read() as s:
        found = shipping.manifest_document(s, manifest_id)
    if found is None:
        raise ConsoleRefused(404, f"manifest {manifest_id} has no document at the hub")
    row, data, fmt = found
    audit(p.ctx.db, p.user.name, "download_manifest", str(manifest_id), address=p.address)
    name = "".join(c for c in f"manifest-{row.account}-{row.ship_date}" if c.isalnum() or c in "-_")
    return Response(
        data,
        media_type=DOCUMENT_TYPES.get(fmt, "application/octet-stream"),
        headers={"content-disposition": f'attachment; filename="{name}.{fmt}"'},
    )
