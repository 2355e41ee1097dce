"""What the hub does for every request regardless of route: security headers and rate limits.

The headers are those the OWASP Secure Headers Project recommends for an API that serves no
pages: nothing may be sniffed, framed, cached or referred, and nothing may load (CSP
``default-src 'none'``). Only the interactive API documentation at ``/docs`` gets a policy that
lets Swagger UI's script and style load, and the web console under ``/console`` one that lets
its own style sheet, script and images load from the hub itself. HSTS is sent only over TLS:
over plain HTTP the browser ignores it (RFC 6797 section 8.1) and it would promise something
the hub cannot keep.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI as FastAPI serves it: an inline start-up script, its bundle and style from
# jsDelivr, its favicon from fastapi.tiangolo.com, and the schema fetched from this hub.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src https://cdn.jsdelivr.net; img-src https://fastapi.tiangolo.com data:; "
    "connect-src 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
# The web console (station.hub.console): its own style sheet, script and photos, nothing
# inline and nothing from elsewhere; forms post only back to the hub.
CONSOLE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HSTS = "max-age=31536000"

_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
)


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response, errors included.

    A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: it does not buffer
    the response and it also sees answers made by exception handlers.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path in DOCS_PATHS:
            csp = DOCS_CSP
        elif path == "/console" or path.startswith("/console/"):
            csp = CONSOLE_CSP
        else:
            csp = API_CSP
        extra = [*_COMMON, (b"content-security-policy", csp.encode("ascii"))]
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", HSTS.encode("ascii")))
        names = {name for name, _ in extra}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Ours replace any the route set: one value per header, never two that disagree.
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimiter:
    """At most ``attempts`` counted events per ``window_s`` seconds for each key (an address).

    ``wait(key)`` says whether the key may go on; ``hit(key)`` counts one event against it.
    A sliding window: each key keeps the times of its events within the window, so a burst
    at the end of one minute and the start of the next is still limited. Thread-safe: the
    enrolment route runs in the thread pool. ``clock`` is injectable for tests.
    """

    def __init__(
        self,
        attempts: int,
        window_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if attempts < 1 or window_s <= 0:
            raise ValueError("a rate limit needs at least one attempt in a positive window")
        self.attempts = attempts
        self.window_s = window_s
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, key: str) -> int | None:
        """None if ``key`` may go on, else the whole seconds until it may."""
        now = self._clock()
        with self._lock:
            self._forget_before(now - self.window_s)
            times = self._seen.get(key)
            if times is None or len(times) < self.attempts:
                return None
            return max(1, math.ceil(times[0] + self.window_s - now))

    def hit(self, key: str) -> None:
        """Count one event against ``key``."""
        now = self._clock()
        with self._lock:
            self._seen.setdefault(key, deque()).append(now)

    def _forget_before(self, horizon: float) -> None:
        # Every key is swept, so addresses seen once do not pile up for ever.
        for key in list(self._seen):
            times = self._seen[key]
            while times and times[0] <= horizon:
                times.popleft()
            if not times:
                del self._seen[key]
