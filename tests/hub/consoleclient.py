"""Browser-like clients of the hub's web console (httpx, cookies kept), for the tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from station.hub.console.accounts import add_user
from station.hub.db import HubDatabase

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The first CSRF token of a page's forms."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


@dataclass
class Browsers:
    """Clients of one hub, each with its own cookies; all closed when the test ends."""

    url: str
    db: HubDatabase
    _open: list[httpx.Client] = field(default_factory=list)

    def anonymous(self) -> httpx.Client:
        """A client without a session."""
        client = httpx.Client(base_url=self.url, follow_redirects=False, timeout=30)
        self._open.append(client)
        return client

    def sign_in(self, name: str, password: str = PASSWORD) -> tuple[httpx.Client, httpx.Response]:
        """A client that went through the sign-in form, and the form's answer (not followed)."""
        client = self.anonymous()
        form = client.get("/console/login")
        answer = client.post(
            "/console/login",
            data={"csrf": csrf_of(form.text), "name": name, "password": password},
        )
        return client, answer

    def user(self, name: str, role: str) -> httpx.Client:
        """A signed-in client of a new console user with ``role``."""
        add_user(self.db, name, role, PASSWORD)
        client, answer = self.sign_in(name)
        assert answer.status_code == 303, answer.text
        return client

    def close(self) -> None:
        """Close every client."""
        for client in self._open:
            client.close()


def open_browsers(url: str, db: HubDatabase) -> Iterator[Browsers]:
    """Browsers of the hub at ``url``, closed afterwards."""
    browsers = Browsers(url, db)
    try:
        yield browsers
    finally:
        browsers.close()


@pytest.fixture
def browsers(hub: object) -> Iterator[Browsers]:
    """Console clients of the test's ``hub``."""
    yield from open_browsers(hub.url, hub.db)  # type: ignore[attr-defined]
