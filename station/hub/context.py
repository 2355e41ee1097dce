"""What every request handler of one hub app shares: database, blob store, limits."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from station.hub.blobs import BlobStore
from station.hub.db import HubDatabase


@dataclass(frozen=True)
class Limits:
    """Sizes the hub refuses above (413), so one station cannot exhaust it."""

    max_batch_events: int = 1000
    max_body_bytes: int = 8 * 1024 * 1024
    max_blob_bytes: int = 64 * 1024 * 1024
    max_chunk_bytes: int = 1024 * 1024
    max_pull_limit: int = 2000
    max_hashes: int = 2000


@dataclass
class HubContext:
    """The state of one hub app (no module-level singletons: tests run several hubs)."""

    db: HubDatabase
    blobs: BlobStore
    limits: Limits = field(default_factory=Limits)


class HubError(Exception):
    """An answer the hub gives on purpose: HTTP status and an ``ErrorBody``."""

    def __init__(self, status: int, error: str, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.extra = extra


def hub_context(request: Request) -> HubContext:
    """FastAPI dependency: the context of the app serving this request."""
    ctx = request.app.state.hub
    assert isinstance(ctx, HubContext)
    return ctx


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
