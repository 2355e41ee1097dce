"""The console's doors: sessions, cookies, CSRF, lockout, roles (real hub on 127.0.0.1)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from station.hub.console.accounts import MAX_FAILURES, AccountError, add_user
from station.hub.console.models import ConsoleAudit, ConsoleSession, ConsoleUser
from tests.hub.consoleclient import PASSWORD, Browsers, browsers, csrf_of
from tests.hub.hubfixtures import HubUnderTest

__all__ = ["browsers"]  # the fixture


def test_no_page_without_a_session(hub: HubUnderTest, browsers: Browsers) -> None:
    anonymous = browsers.anonymous()
    for path in ("/console/search?q=SO-1001", "/console/orders/SO-1001", "/console/network"):
        answer = anonymous.get(path)
        assert (answer.status_code, answer.headers["location"]) == (303, "/console/login")
    refused = anonymous.post("/console/conflicts/1/resolve", data={"csrf": "x"})
    assert refused.status_code == 403
    assert "session has ended" in refused.text


def test_a_session_cookie_is_httponly_strict_and_kept_only_as_a_hash(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    add_user(hub.db, "ana", "supervisor", PASSWORD)
    client, answer = browsers.sign_in("ana")
    assert (answer.status_code, answer.headers["location"]) == (303, "/console/network")
    cookie = answer.headers["set-cookie"]
    assert "console_session=" in cookie
    for attribute in ("HttpOnly", "SameSite=strict", "Path=/console"):
        assert attribute.lower() in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http on loopback; https adds Secure
    token = client.cookies["console_session"]
    with hub.db.read() as s:
        stored = list(s.scalars(select(ConsoleSession.token_sha256)))
    assert token not in stored and len(stored) == 1
    page = client.get("/console/network")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_sign_in_and_actions_refuse_a_missing_or_wrong_csrf_token(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    add_user(hub.db, "ana", "supervisor", PASSWORD)
    forged = browsers.anonymous()
    forged.get("/console/login")
    answer = forged.post(
        "/console/login", data={"csrf": "guess", "name": "ana", "password": PASSWORD}
    )
    assert answer.status_code == 403
    assert "CSRF" in answer.text
    client = browsers.user("ben", "supervisor")
    for data in ({}, {"csrf": "not-the-token"}):
        refused = client.post("/console/conflicts/1/resolve", data=data)
        assert refused.status_code == 403
        assert "CSRF token is missing or wrong" in refused.text
    # With the session's own token the same request gets through to the action.
    token = csrf_of(client.get("/console/network").text)
    assert client.post("/console/conflicts/1/resolve", data={"csrf": token}).status_code == 404


def test_a_user_is_locked_after_repeated_wrong_passwords(
    hub: HubUnderTest, browsers: Browsers
) -> None:
    add_user(hub.db, "ana", "customer_service", PASSWORD)
    for _ in range(MAX_FAILURES):
        _client, answer = browsers.sign_in("ana", "wrong password!!")
        assert answer.status_code == 401
        assert "wrong name or password" in answer.text
    _client, answer = browsers.sign_in("ana")
    assert answer.status_code == 401
    assert "locked" in answer.text
    with hub.db.read() as s:
        user = s.scalars(select(ConsoleUser)).one()
        assert user.locked_until is not None
        refusals = s.scalars(
            select(ConsoleAudit.action).where(ConsoleAudit.action == "sign_in_refused")
        ).all()
    assert len(refusals) == MAX_FAILURES + 1
    # An unknown name gets the same answer as a wrong password.
    _client, answer = browsers.sign_in("nobody")
    assert (answer.status_code, "wrong name or password" in answer.text) == (401, True)


def test_one_role_cannot_open_anothers_pages(hub: HubUnderTest, browsers: Browsers) -> None:
    service = browsers.user("cara", "customer_service")
    assert service.get("/console/search").status_code == 200
    for path in ("/console/network", "/console/network/live", "/console/audit"):
        answer = service.get(path)
        assert answer.status_code == 403
        assert "customer_service cannot open this page" in answer.text
    supervisor = browsers.user("dan", "supervisor")
    assert supervisor.get("/console/network").status_code == 200
    assert supervisor.get("/console/audit").status_code == 403
    admin = browsers.user("eve", "admin")
    audit = admin.get("/console/audit")
    assert audit.status_code == 200
    assert "sign_in" in audit.text


def test_sign_out_ends_the_session(hub: HubUnderTest, browsers: Browsers) -> None:
    client = browsers.user("ana", "customer_service")
    token = csrf_of(client.get("/console/search").text)
    assert client.post("/console/logout", data={"csrf": token}).status_code == 303
    assert client.get("/console/search").status_code == 303


def test_console_users_are_checked_when_created(hub: HubUnderTest, browsers: Browsers) -> None:
    with pytest.raises(AccountError, match="at least 12 characters"):
        add_user(hub.db, "ana", "admin", "short")
    with pytest.raises(AccountError, match="role 'root' is not one of"):
        add_user(hub.db, "ana", "root", PASSWORD)


def test_hostile_forms_get_a_clear_refusal_not_a_5xx(hub: HubUnderTest, browsers: Browsers) -> None:
    client = browsers.user("ana", "supervisor")
    cases = [
        ({"data": {"csrf": "ünïcode ☃"}}, 403, "CSRF token"),
        ({"content": b"csrf=" + b"x" * 20_000, "headers": _FORM}, 413, "exceeds"),
        ({"json": {"csrf": "x"}}, 415, "forms only"),
        ({"content": b"\xff\xfe", "headers": _FORM}, 400, "cannot be read"),
    ]
    for kwargs, status, message in cases:
        answer = client.post("/console/conflicts/1/resolve", **kwargs)  # type: ignore[arg-type]
        assert answer.status_code == status, kwargs
        assert message in answer.text
    login = browsers.anonymous()
    login.get("/console/login")
    odd = login.post("/console/login", data={"csrf": "☃", "name": "ana", "password": "x"})
    assert odd.status_code == 403
    long_query = client.get("/console/search", params={"q": "x" * 5000})
    assert long_query.status_code == 422


_FORM = {"content-type": "application/x-www-form-urlencoded"}
