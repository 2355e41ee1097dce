"""Request bodies: how large, how slow and how many JSON values the hub takes.

Every body passes ``BodyGuard`` (an ASGI middleware) before any route reads it: a declared
``Content-Length`` above the route's limit is refused before a byte is read, a body that grows
beyond it is refused as soon as it does (413), and a body that stops arriving for
``body_idle_s`` is refused with 408, so a half-sent body does not hold a connection for ever.

Limits by route: a push may be as large as a full batch (``max_body_bytes``), a blob chunk as
large as a chunk; every other body (enrolment, the list of missing blobs) is small. Those
small bodies are parsed by FastAPI on the event loop, which their size keeps to a fraction of
a millisecond; the push is parsed in the thread pool (``parse_push``) after its JSON values are
counted, so 8 MB of tiny objects is refused before it becomes gigabytes of Python objects.

Starlette's own ``max_body_size`` (recent releases only) counts bytes but has no time-out and
answers in its own shape; this keeps both in one place and answers with an ``ErrorBody``.
"""

from __future__ import annotations

import asyncio
import re

from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from station.hub.context import HubError, Limits
from station.sync import protocol as p

# A JSON string, escapes included (the unrolled form: 8 MB in one string takes 0.15 s where
# the plain alternation takes 2 s, holding the interpreter lock).
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_COUNTED = (b"[", b"{", b",")


class BodyRefused(HTTPException):
    """A body refused while it is read (413, 408); ``error`` is the ErrorBody's code.

    An HTTPException, so FastAPI's body parsing passes it on instead of making it a 400.
    """

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(status_code=status, detail=message)
        self.error = error


class BodyGuard:
    """ASGI middleware: every request body within its route's size, never idle too long."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    def limit_for(self, scope: Scope) -> int:
        """The largest body the route of ``scope`` takes, in bytes."""
        path, method = scope["path"], scope["method"]
        if method == "POST" and path == p.PUSH:
            return self.limits.max_body_bytes
        if method == "PUT" and path.startswith(p.API + "/blobs/"):
            return self.limits.max_chunk_bytes
        return self.limits.max_small_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        idle = self.limits.body_idle_s
        declared = _content_length(scope)
        received = 0
        complete = False

        async def guarded_receive() -> Message:
            nonlocal received, complete
            if complete:  # after the body, receive only waits for a disconnect
                return await receive()
            # Raised from receive, the refusal reaches the hub's exception handlers through
            # whichever route is reading.
            if declared is not None and declared > limit:
                raise BodyRefused(413, "too_large", f"body of {declared} bytes exceeds {limit}")
            try:
                message = await asyncio.wait_for(receive(), timeout=idle)
            except TimeoutError:
                raise BodyRefused(
                    408, "body_timeout", f"no part of the body arrived for {idle:g} s"
                ) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyRefused(413, "too_large", f"body exceeds {limit} bytes")
                complete = not message.get("more_body", False)
            return message

        await self.app(scope, guarded_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def json_values(raw: bytes, limit: int | None = None) -> int:
    """An upper bound of the values and containers a JSON text holds.

    Every container opens with ``[`` or ``{``, and every value after the first in a
    container follows a comma. Counted with ``bytes.count`` (C speed: ~30 ms for 8 MB); only
    when that exceeds ``limit`` are the strings taken out (a regular expression) and the
    count made again, so commas and brackets inside texts are not counted against a body.
    """
    count = sum(raw.count(c) for c in _COUNTED) + 1
    if limit is not None and count <= limit:
        return count
    bare = _STRING.sub(b"", raw)
    return sum(bare.count(c) for c in _COUNTED) + 1


def parse_push(raw: bytes, limits: Limits) -> p.PushRequest:
    """The push request in ``raw``, or a HubError naming why not (413 or 422).

    Call it in the thread pool: a full batch takes ~100 ms to parse. JSON nesting is limited
    by pydantic-core's parser (200 levels: "recursion limit exceeded").
    """
    values = json_values(raw, limits.max_json_values)
    if values > limits.max_json_values:
        raise HubError(
            413,
            "too_many_values",
            f"the body holds about {values} JSON values; the hub takes {limits.max_json_values}"
            " per push",
        )
    try:
        return p.PushRequest.model_validate_json(raw)
    except ValidationError as exc:
        raise HubError(422, "invalid_request", str(exc.errors()[0]["msg"])) from None
