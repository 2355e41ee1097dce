"""The station's HTTP client of the hub: one method per protocol call, typed answers.

It knows only a base URL, a token and time-outs, so a proxy (or a fault-injecting one in the
tests) can sit in between. Failures are sorted for the caller: ``HubUnavailable`` means try
again later (network, time-out, 5xx); ``HubRefused`` and its kinds are answers to act on.
The hub's ``Date`` header is compared with the local clock on every answer (clock skew is
recorded, never used to order anything).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from station.sync import protocol as p
from station.sync.trust import trust

_M = TypeVar("_M", bound=BaseModel)


class HubUnavailable(Exception):  # noqa: N818 - a state, not a bug
    """The hub could not be reached or failed (retry later)."""


class HubStorageFull(HubUnavailable):
    """The hub has no room for photos (507): they wait at the station; the rest goes on."""


class HubRefused(Exception):  # noqa: N818 - an answer of the protocol
    """The hub answered with an error on purpose; ``error`` is its code."""

    def __init__(self, status: int, body: p.ErrorBody) -> None:
        super().__init__(f"{body.error}: {body.message}")
        self.status = status
        self.body = body

    @property
    def error(self) -> str:
        """The hub's error code (``gap``, ``reset_required``, ``unauthorized``...)."""
        return self.body.error


@dataclass(frozen=True)
class Timeouts:
    """Seconds to connect and to wait for an answer (per read or write)."""

    connect: float = 5.0
    read: float = 30.0

    def httpx(self) -> httpx.Timeout:
        """As httpx wants them."""
        return httpx.Timeout(self.read, connect=self.connect)


class HubClient:
    """Calls to one hub with one station's token (None only for enrolment)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeouts: Timeouts | None = None,
        ca_file: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        # A private CA (the hub's own) replaces the system's trust store; else the system's.
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=(timeouts or Timeouts()).httpx(),
            verify=trust(ca_file),
            transport=transport,
        )
        self.clock_skew_s: float | None = None
        # The station's report of itself, sent with every pull (``station.sync.report``).
        self.report: str | None = None

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> HubClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- calls ---------------------------------------------------------------------------

    def enroll(self, code: str, station: str) -> p.EnrollResponse:
        """Exchange a one-time code for this station's token."""
        body = p.EnrollRequest(code=code, station=station)
        return self._call("POST", p.ENROLL, p.EnrollResponse, json=body.model_dump())

    def push(self, request: p.PushRequest) -> p.PushResponse:
        """Push consecutive events (``HubRefused`` with ``gap`` or ``missing_blobs``...)."""
        content = request.model_dump_json().encode()
        return self._call(
            "POST",
            p.PUSH,
            p.PushResponse,
            content=content,
            headers={"Content-Type": "application/json"},
        )

    def pull(self, cursor: str | None, limit: int = 500) -> p.PullResponse:
        """A page of changes after ``cursor`` (``HubRefused`` ``reset_required`` if too old)."""
        params: dict[str, str | int] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        headers = {p.REPORT_HEADER: self.report} if self.report else None
        return self._call("GET", p.PULL, p.PullResponse, params=params, headers=headers)

    def missing_blobs(self, hashes: list[str]) -> list[p.MissingBlob]:
        """The hashes the hub lacks, each with the offset an earlier upload reached."""
        body = p.MissingBlobsRequest(hashes=hashes)
        answer = self._call("POST", p.BLOBS_MISSING, p.MissingBlobsResponse, json=body.model_dump())
        return answer.missing

    def upload_chunk(self, sha256: str, offset: int, size: int, data: bytes) -> p.BlobProgress:
        """Send ``data`` as the bytes of blob ``sha256`` from ``offset`` (of ``size`` in all)."""
        return self._call(
            "PUT",
            p.BLOB.format(sha256=sha256),
            p.BlobProgress,
            content=data,
            params={"offset": offset, "size": size},
            headers={"Content-Type": "application/octet-stream"},
        )

    def call(self, method: str, path: str, model: type[_M], **kwargs: object) -> _M:
        """Any other call of the protocol (``station.sync.locks``), answered and sorted alike."""
        return self._call(method, path, model, **kwargs)

    def catalog_image(self, sha256: str, offset: int) -> p.ImageChunk:
        """Part of a product picture of the catalog, from ``offset``."""
        path = p.CATALOG_IMAGE.format(sha256=sha256)
        return self._call("GET", path, p.ImageChunk, params={"offset": offset})

    # --- plumbing ------------------------------------------------------------------------

    def _call(self, method: str, path: str, model: type[_M], **kwargs: object) -> _M:
        sent = time.time()
        try:
            response = self._http.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            # The message names the failure kind, never a header (the token is in one).
            raise HubUnavailable(f"hub unreachable: {type(exc).__name__}: {exc}") from exc
        self._note_skew(response, sent, time.time())
        if response.status_code == 507:
            raise HubStorageFull(f"hub storage full: {_error_body(response).message}")
        if response.status_code >= 500:
            raise HubUnavailable(f"hub error {response.status_code}")
        if response.status_code >= 400:
            raise HubRefused(response.status_code, _error_body(response))
        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            raise HubUnavailable(
                f"unexpected answer from the hub: {exc.errors()[0]['msg']}"
            ) from exc

    def _note_skew(self, response: httpx.Response, sent: float, received: float) -> None:
        date = response.headers.get("date")
        if not date:
            return
        try:
            hub = parsedate_to_datetime(date)
        except (TypeError, ValueError):
            return
        # Date has whole seconds, truncated: its middle is half a second later.
        hub_s = hub.replace(tzinfo=hub.tzinfo or UTC).timestamp() + 0.5
        self.clock_skew_s = round(hub_s - (sent + received) / 2, 3)


def _error_body(response: httpx.Response) -> p.ErrorBody:
    try:
        return p.ErrorBody.model_validate_json(response.content)
    except ValidationError:
        text = response.text[:200]
        return p.ErrorBody(error=f"http_{response.status_code}", message=text)
