"""What every request handler of one hub app shares: database, blob store, limits."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fastapi import Request

from station.hub.blobs import DEFAULT_RESERVE_BYTES, BlobStore
from station.hub.db import HubDatabase
from station.hub.security import RateLimiter


@dataclass(frozen=True)
class Limits:
    """Sizes the hub refuses above (413), so one station cannot exhaust it."""

    max_batch_events: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    # JSON values per push (an upper bound counted before parsing, see hub.bodies): a full
    # batch of real events holds well under 100 per event; 8 MB of tiny objects holds 3 million.
    max_json_values: int = 250_000
    # Every other body (enrolment, missing blobs: 2,000 hashes are ~140 kB).
    max_small_body_bytes: int = 256 * 1024
    # A body that stops arriving for this long is refused (408).
    body_idle_s: float = 15.0
    max_blob_bytes: int = 64 * 1024 * 1024
    max_chunk_bytes: int = 1024 * 1024
    max_pull_limit: int = 2000
    max_hashes: int = 2000
    # Failed enrolments per client address and window; beyond, 429 with Retry-After. A code
    # has 80 bits, so guessing is hopeless anyway; this keeps a script from filling the
    # thread pool and the log. STATION_HUB_ENROL_ATTEMPTS / _WINDOW_S override the defaults.
    enrol_attempts: int = 10
    enrol_window_s: float = 60.0
    # Free space the blob folder keeps: below it /v1/health says "degraded" (uploads still
    # go until the disk itself refuses one, which answers 507).
    blob_reserve_bytes: int = DEFAULT_RESERVE_BYTES

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with the enrolment limit from the environment where set."""
        env = os.environ if environ is None else environ
        limits = cls()
        try:
            if "STATION_HUB_ENROL_ATTEMPTS" in env:
                limits = replace(limits, enrol_attempts=int(env["STATION_HUB_ENROL_ATTEMPTS"]))
            if "STATION_HUB_ENROL_WINDOW_S" in env:
                limits = replace(limits, enrol_window_s=float(env["STATION_HUB_ENROL_WINDOW_S"]))
        except ValueError as exc:
            raise ValueError(f"STATION_HUB_ENROL_*: not a number ({exc})") from None
        return limits


@dataclass
class HubContext:
    """The state of one hub app (no module-level singletons: tests run several hubs)."""

    db: HubDatabase
    blobs: BlobStore
    limits: Limits = field(default_factory=Limits)
    enrol_limiter: RateLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.enrol_limiter = RateLimiter(self.limits.enrol_attempts, self.limits.enrol_window_s)


class HubError(Exception):
    """An answer the hub gives on purpose: HTTP status and an ``ErrorBody``."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: object,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.headers = headers or {}
        self.extra = extra


def context_of(request: Request) -> HubContext:
    """The context of the app serving ``request`` (for code that holds the request)."""
    ctx = request.app.state.hub
    assert isinstance(ctx, HubContext)
    return ctx


async def hub_context(request: Request) -> HubContext:
    """FastAPI dependency: the context of the app serving this request."""
    # async although it awaits nothing: FastAPI runs a plain def dependency in the thread
    # pool, which would queue /v1/health behind pushes being parsed there.
    return context_of(request)


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is known to be larger than ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise HubError(413, "too_large", f"body of {declared} bytes exceeds {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HubError(413, "too_large", f"body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
