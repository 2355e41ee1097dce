"""The console's pages: sign-in, evidence search and record (HTML and PDF), the network.

Routes that read the database are plain ``def`` (FastAPI runs them in its thread pool, off
the event loop); those that read a form are ``async`` only to read it, then hand the work to
the pool. Every view of a customer's evidence is audited before the page is answered.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, RedirectResponse, Response

from station.hub.console import accounts, network
from station.hub.console.audit import audit, recent
from station.hub.console.evidence import OrderEvidence, order_evidence, search
from station.hub.console.jsontext import printable
from station.hub.console.pdf import evidence_pdf
from station.hub.console.web import (
    CAN_AUDIT,
    CAN_RUN_NETWORK,
    CAN_SEARCH,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    ConsoleRefused,
    Page,
    address_of,
    check_csrf,
    new_login_token,
    page,
    read_form,
    render,
    set_cookie,
)
from station.hub.context import context_of

router = APIRouter(prefix="/console", include_in_schema=False)
LOGIN_TTL_S = 3600


def _home(role: str) -> str:
    return "/console/network" if role in CAN_RUN_NETWORK else "/console/search"


@router.get("")
@router.get("/")
def home(request: Request) -> RedirectResponse:
    """The user's first page (the network for supervisors, the search for the others)."""
    p = page(request, CAN_SEARCH)
    return RedirectResponse(_home(p.user.role), status_code=303)


@router.get("/login")
def login_form(request: Request) -> Response:
    """The sign-in form, with a fresh double-submit CSRF token."""
    token = new_login_token()
    response = render(request, "login.html", {"csrf": token, "error": None, "user": None})
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, LOGIN_TTL_S)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    """Check name and password; a session cookie and the user's first page, or the form."""
    form = await read_form(request)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not hmac.compare_digest(form.get("csrf", "").encode(), expected.encode()):
        raise ConsoleRefused(403, "the form's CSRF token is missing or wrong: reload the page")
    ctx = context_of(request)
    name = form.get("name", "")[:64]
    result = await run_in_threadpool(accounts.sign_in, ctx.db, name, form.get("password", ""))
    address = address_of(request)
    if result.cookie is None:
        await run_in_threadpool(
            audit, ctx.db, name or "-", "sign_in_refused", address=address, detail=result.refusal
        )
        token = new_login_token()
        form_again = render(
            request,
            "login.html",
            {"csrf": token, "error": result.refusal, "user": None},
            status=401,
        )
        set_cookie(request, form_again, LOGIN_CSRF_COOKIE, token, LOGIN_TTL_S)
        return form_again
    await run_in_threadpool(audit, ctx.db, name, "sign_in", address=address)
    user = await run_in_threadpool(accounts.session_of, ctx.db, result.cookie)
    response = RedirectResponse(_home(user.role if user else ""), status_code=303)
    set_cookie(
        request,
        response,
        SESSION_COOKIE,
        result.cookie,
        int(accounts.SESSION_TTL.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session."""
    p = page(request, CAN_SEARCH)
    check_csrf(p.user, await read_form(request))
    cookie = request.cookies.get(SESSION_COOKIE, "")
    await run_in_threadpool(accounts.sign_out, p.ctx.db, cookie)
    await run_in_threadpool(audit, p.ctx.db, p.user.name, "sign_out", address=p.address)
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


Q = Annotated[str, Query(max_length=200)]


@router.get("/search")
def search_page(request: Request, q: Q = "") -> Response:
    """Find orders by order number, tracking number, RMA, customer name or e-mail."""
    p = page(request, CAN_SEARCH)
    matches = []
    # A control character matches nothing (and PostgreSQL refuses a NUL in a query).
    if q.strip() and printable(q):
        audit(p.ctx.db, p.user.name, "search", q.strip(), address=p.address)
        with p.ctx.db.read() as s:
            matches = search(s, q)
    return render(
        request, "search.html", {"user": p.user, "q": q, "matches": matches, "searched": bool(q)}
    )


def _evidence(p: Page, number: str, action: str) -> OrderEvidence:
    record = None
    if printable(number):
        with p.ctx.db.read() as s:
            record = order_evidence(s, number)
    if record is None:
        raise ConsoleRefused(404, f"the hub knows no order {number!r}")
    audit(p.ctx.db, p.user.name, action, number, address=p.address)
    return record


@router.get("/orders/{number}")
def order_page(request: Request, number: str) -> Response:
    """The evidence of one order as one page."""
    p = page(request, CAN_SEARCH)
    record = _evidence(p, number, "view_evidence")
    return render(request, "order.html", {"user": p.user, "record": record})


@router.get("/orders/{number}/evidence.pdf")
def order_pdf(request: Request, number: str) -> Response:
    """The same record as a PDF download."""
    p = page(request, CAN_SEARCH)
    record = _evidence(p, number, "download_evidence_pdf")
    blobs = p.ctx.blobs

    def blob_path(sha: str) -> Path | None:
        return blobs.path(sha) if blobs.has(sha) else None

    made_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    body = evidence_pdf(record, blob_path, p.user.name, made_at)
    filename = f"evidence-{''.join(c for c in number if c.isalnum() or c in '-_')}.pdf"
    return Response(
        body,
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/orders/{number}/photos/{sha256}")
def order_photo(request: Request, number: str, sha256: str) -> Response:
    """A photo of this order's record (no other blob can be fetched through it)."""
    p = page(request, CAN_SEARCH)
    record = None
    if printable(number):
        with p.ctx.db.read() as s:
            record = order_evidence(s, number)
    if record is None or sha256 not in record.photo_hashes() or not p.ctx.blobs.has(sha256):
        raise ConsoleRefused(404, "no such photo in this order's record")
    audit(p.ctx.db, p.user.name, "view_photo", f"{number} {sha256[:12]}", address=p.address)
    return FileResponse(p.ctx.blobs.path(sha256), media_type="image/jpeg")


# A pack video's codec (``video.recorded``'s ``codec``): its media type and file suffix.
VIDEO_TYPES = {"h264": ("video/mp4", ".mp4"), "mjpeg": ("video/x-msvideo", ".avi")}


@router.get("/orders/{number}/videos/{sha256}")
def order_video(request: Request, number: str, sha256: str) -> Response:
    """A pack video of this order's record, as a download (no other blob through it)."""
    p = page(request, CAN_SEARCH)
    video = None
    if printable(number):
        with p.ctx.db.read() as s:
            record = order_evidence(s, number)
        video = record.video_of(sha256) if record is not None else None
    if video is None or not p.ctx.blobs.has(sha256):
        raise ConsoleRefused(404, "no such video in this order's record")
    audit(p.ctx.db, p.user.name, "download_video", f"{number} {sha256[:12]}", address=p.address)
    media, suffix = VIDEO_TYPES.get(str(video.get("codec")), ("application/octet-stream", ""))
    safe = "".join(c for c in number if c.isalnum() or c in "-_")
    return FileResponse(
        p.ctx.blobs.path(sha256),
        media_type=media,
        filename=f"video-{safe}-{sha256[:12]}{suffix}",
    )


def _network_context(p: Page) -> dict[str, object]:
    with p.ctx.db.read() as s:
        return {
            "user": p.user,
            "stations": network.stations(s),
            "orders": network.orders_by_site(s),
            "dead_letters": network.dead_letters(s),
            "conflicts": network.open_conflicts(s),
            "now": datetime.now(UTC),
            "notice": None,
        }


@router.get("/network")
def network_page(request: Request) -> Response:
    """Stations, orders per site and state, dead letters, conflicts (polls /network/live)."""
    p = page(request, CAN_RUN_NETWORK)
    return render(request, "network.html", _network_context(p))


@router.get("/network/live")
def network_live(request: Request) -> Response:
    """The network page's body alone, fetched by its script every few seconds."""
    p = page(request, CAN_RUN_NETWORK)
    return render(request, "network_body.html", _network_context(p))


async def _network_action(request: Request) -> tuple[Page, dict[str, str]]:
    p = page(request, CAN_RUN_NETWORK)
    form = await read_form(request)
    check_csrf(p.user, form)
    return p, form


def _after(p: Page, request: Request, notice: str, status: int = 200) -> Response:
    context = _network_context(p)
    context["notice"] = notice
    return render(request, "network.html", context, status=status)


@router.post("/dead-letters/{event_id}/resolve")
async def resolve_dead_letter(request: Request, event_id: int) -> Response:
    """Close a dead letter as handled, with the supervisor's note."""
    p, form = await _network_action(request)
    note = form.get("note", "")[:500] or None

    def act() -> bool:
        with p.ctx.db.write() as s:
            return network.resolve_dead_letter(s, event_id, p.user.name, note)

    if not await run_in_threadpool(act):
        return _after(p, request, f"dead letter {event_id} is not open", 404)
    await run_in_threadpool(
        audit, p.ctx.db, p.user.name, "resolve_dead_letter", str(event_id), address=p.address
    )
    return RedirectResponse("/console/network", status_code=303)


@router.post("/dead-letters/{event_id}/replay")
async def replay_dead_letter(request: Request, event_id: int) -> Response:
    """Decide a dead letter again against the hub's state now."""
    p, _form = await _network_action(request)

    def act() -> str | None:
        with p.ctx.db.write() as s:
            return network.replay_dead_letter(s, event_id, p.user.name)

    why = await run_in_threadpool(act)
    await run_in_threadpool(
        audit,
        p.ctx.db,
        p.user.name,
        "replay_dead_letter",
        str(event_id),
        address=p.address,
        detail=why,
    )
    if why is not None:
        return _after(p, request, f"dead letter {event_id} is still refused: {why}", 409)
    return RedirectResponse("/console/network", status_code=303)


@router.post("/conflicts/{conflict_id}/resolve")
async def resolve_conflict(request: Request, conflict_id: int) -> Response:
    """Mark a conflict resolved."""
    p, _form = await _network_action(request)

    def act() -> bool:
        with p.ctx.db.write() as s:
            return network.resolve_conflict(s, conflict_id)

    if not await run_in_threadpool(act):
        return _after(p, request, f"conflict {conflict_id} is not open", 404)
    await run_in_threadpool(
        audit, p.ctx.db, p.user.name, "resolve_conflict", str(conflict_id), address=p.address
    )
    return RedirectResponse("/console/network", status_code=303)


@router.get("/audit")
def audit_page(request: Request) -> Response:
    """The newest entries of the audit trail (admins only)."""
    p = page(request, CAN_AUDIT)
    return render(request, "audit.html", {"user": p.user, "entries": recent(p.ctx.db)})


def refused_page(request: Request, exc: ConsoleRefused) -> Response:
    """A redirect, or a short page saying why the request was refused."""
    if exc.location is not None:
        return RedirectResponse(exc.location, status_code=exc.status)
    return render(
        request, "refused.html", {"user": None, "message": exc.message}, status=exc.status
    )
