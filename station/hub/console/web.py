"""What every console page shares: who is signed in, forms with their CSRF token, cookies.

Forms are ``application/x-www-form-urlencoded`` only (the console uploads no files), read
within a small limit and parsed by the standard library; no multipart parser is needed.
Every POST carries the session's CSRF token (the sign-in form, which has no session yet,
a double-submit token in its own cookie); with SameSite=Strict cookies on top, a page of
another site can neither read nor forge a console action.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import HTMLResponse, Response

from station.hub.console.accounts import SignedIn, csrf_matches, session_of
from station.hub.context import HubContext, HubError, context_of, read_limited

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
MAX_FORM_BYTES = 16 * 1024
TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent / "templates")
# Which role may open which part of the console.
CAN_SEARCH = frozenset({"admin", "supervisor", "customer_service"})
CAN_RUN_NETWORK = frozenset({"admin", "supervisor"})
CAN_AUDIT = frozenset({"admin"})
# RMAs are authorised by supervisors: customer service finds them, but does not grant them.
CAN_EDIT_RMAS = CAN_RUN_NETWORK
CAN_SEE_SHIPPING = CAN_RUN_NETWORK


class ConsoleRefused(Exception):  # noqa: N818 - an answer to the browser
    """A console request that is not answered with its page: a redirect or a refusal."""

    def __init__(self, status: int, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.location = location


@dataclass(frozen=True)
class Page:
    """A request of a signed-in user: the hub, the user, and where the request came from."""

    ctx: HubContext
    user: SignedIn
    address: str | None


def address_of(request: Request) -> str | None:
    """The peer's address, for the audit trail."""
    return request.client.host if request.client else None


def page(request: Request, roles: frozenset[str]) -> Page:
    """The signed-in user if they hold one of ``roles``; else a redirect or a 403."""
    ctx = context_of(request)
    user = session_of(ctx.db, request.cookies.get(SESSION_COOKIE))
    if user is None:
        if request.method == "GET":
            raise ConsoleRefused(303, "sign in first", "/console/login")
        raise ConsoleRefused(403, "your session has ended: sign in again")
    if user.role not in roles:
        raise ConsoleRefused(403, f"the role {user.role} cannot open this page")
    return Page(ctx, user, address_of(request))


async def read_form(request: Request) -> dict[str, str]:
    """The posted form's fields (the first value of each); 415 for anything but a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not kind and request.headers.get("content-length", "0") == "0":
        return {}  # a form with no fields, sent without a type
    if kind != "application/x-www-form-urlencoded":
        raise ConsoleRefused(415, "the console takes forms only")
    try:
        body = await read_limited(request, MAX_FORM_BYTES)
    except HubError as exc:
        raise ConsoleRefused(413, exc.message) from exc
    try:
        fields = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ConsoleRefused(400, f"the form cannot be read: {exc}") from exc
    return {k: v[0] for k, v in fields.items()}


def check_csrf(user: SignedIn, form: dict[str, str]) -> None:
    """403 unless the form carries this session's CSRF token."""
    if not csrf_matches(user, form.get("csrf")):
        raise ConsoleRefused(403, "the form's CSRF token is missing or wrong: reload the page")


def new_login_token() -> str:
    """A fresh double-submit token for the sign-in form."""
    return secrets.token_urlsafe(32)


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    """A console cookie: HttpOnly, SameSite=Strict, Secure over https, only under /console."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page from ``templates/``, autoescaped."""
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status)
