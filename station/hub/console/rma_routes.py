"""The console's RMA pages: the list, a new RMA, and editing one (supervisors and admins).

Every save is audited and goes into the change feed in the same way as an imported RMA
file (``station.hub.console.rmas``), so the stations get it with their next pull.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from station.hub.console import rmas
from station.hub.console.audit import audit
from station.hub.console.jsontext import printable
from station.hub.console.web import CAN_EDIT_RMAS, Page, check_csrf, page, read_form, render

router = APIRouter(prefix="/console", include_in_schema=False)
Order = Annotated[str, Query(max_length=64)]


def _list_page(
    request: Request, p: Page, order: str, form: dict[str, Any], problems: list[str], status: int
) -> Response:
    order = order if printable(order) else ""
    with p.ctx.db.read() as s:
        found = rmas.rma_rows(s, order.strip() or None)
    context = {
        "user": p.user,
        "rmas": found,
        "order": order.strip(),
        "form": form,
        "problems": problems,
        "notice": None,
        "action": "/console/rmas",
        "editing": False,
        "form_label": "new-rma",
    }
    return render(request, "rmas.html", context, status=status)


@router.get("/rmas")
def rma_list(request: Request, order: Order = "") -> Response:
    """The newest RMAs (or one order's) and the form for a new one."""
    p = page(request, CAN_EDIT_RMAS)
    return _list_page(request, p, order, {"order_number": order.strip()}, [], 200)


@router.post("/rmas")
async def rma_create(request: Request) -> Response:
    """Create an RMA from the form; the form again with every problem if it is refused."""
    p = page(request, CAN_EDIT_RMAS)
    form = await read_form(request)
    check_csrf(p.user, form)

    def act() -> None:
        with p.ctx.db.write() as s:
            rmas.save_rma(s, form)

    try:
        await run_in_threadpool(act)
    except rmas.RmaRefused as exc:
        return _list_page(request, p, "", form, exc.problems, 422)
    number = form.get("rma_number", "").strip()
    await run_in_threadpool(
        audit, p.ctx.db, p.user.name, "create_rma", number, address=p.address,
        detail=f"order {form.get('order_number', '').strip()}",
    )  # fmt: skip
    return RedirectResponse(f"/console/rmas/{number}?saved=1", status_code=303)


def _edit_page(
    request: Request,
    p: Page,
    number: str,
    form: dict[str, Any] | None,
    problems: list[str],
    status: int = 200,
    notice: str | None = None,
) -> Response:
    record, received = None, None
    if printable(number):
        with p.ctx.db.read() as s:
            record = rmas.rma_record(s, number)
            received = rmas.received_by(s, number) if record else None
    if record is None:
        return render(
            request,
            "refused.html",
            {"user": p.user, "message": f"the hub knows no RMA {number!r}"},
            status=404,
        )
    shown = form or {
        "rma_number": number,
        "order_number": record.get("order_number"),
        "status": record.get("status"),
        "items": rmas.items_text(record),
        "return_label": record.get("return_label"),
        "tracking_number": record.get("tracking_number"),
        "note": record.get("note"),
    }
    shown = {**shown, "rma_number": number}
    context = {
        "user": p.user,
        "form": shown,
        "problems": problems,
        "notice": notice,
        "received": received,
        "station": record.get("station"),
        "action": f"/console/rmas/{number}",
        "editing": True,
        "form_label": "edit-rma",
    }
    return render(request, "rma.html", context, status=status)


@router.get("/rmas/{number}")
def rma_edit_form(request: Request, number: str, saved: int = 0) -> Response:
    """One RMA, in a form to change it (or why it can no longer be changed)."""
    p = page(request, CAN_EDIT_RMAS)
    return _edit_page(request, p, number, None, [], notice="RMA saved." if saved else None)


@router.post("/rmas/{number}")
async def rma_save(request: Request, number: str) -> Response:
    """Save an edited RMA; the form again with every problem if it is refused."""
    p = page(request, CAN_EDIT_RMAS)
    form = await read_form(request)
    check_csrf(p.user, form)

    def act() -> None:
        with p.ctx.db.write() as s:
            rmas.save_rma(s, form, number=number)

    try:
        await run_in_threadpool(act)
    except rmas.RmaRefused as exc:
        return _edit_page(request, p, number, form, exc.problems, 422)
    await run_in_threadpool(
        audit, p.ctx.db, p.user.name, "edit_rma", number, address=p.address,
        detail=f"status {form.get('status') or 'open'}",
    )  # fmt: skip
    return RedirectResponse(f"/console/rmas/{number}?saved=1", status_code=303)
