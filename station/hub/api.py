"""The hub's HTTP routes (``/v1``); database work runs in the thread pool, never on the loop."""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from starlette.concurrency import run_in_threadpool

from station.hub import blobs as blob_store
from station.hub.bodies import parse_push
from station.hub.console.reports import keep_report
from station.hub.context import HubContext, HubError, hub_context, read_limited
from station.hub.feed import ResetRequired, pull_page
from station.hub.ingest import PushRefused, ingest, ownership_problem
from station.hub.models import HubBlob, HubCatalogImage, utcnow
from station.hub.sites import scope_of_station
from station.hub.tokens import (
    EnrolError,
    StationRef,
    authenticate,
    code_is_usable,
    enrol,
    is_revoked,
)
from station.pictures import MAX_IMAGE_BYTES
from station.sync import protocol as p

router = APIRouter()
Ctx = Annotated[HubContext, Depends(hub_context)]

# Every answer a route gives on purpose is in the OpenAPI document with its body, so a client
# (and schemathesis) can rely on the schema for errors too.
Responses = dict[int | str, dict[str, Any]]
_ERROR: dict[str, Any] = {"model": p.ErrorBody}
INVALID: Responses = {422: {**_ERROR, "description": "the request does not match the schema"}}
NOT_JSON: Responses = {400: {**_ERROR, "description": "the body cannot be decoded (not UTF-8)"}}
# Every body passes the body guard (hub.bodies): too large, or stalled half-way.
BODY: Responses = {
    408: {**_ERROR, "description": "the body stopped arriving (``body_timeout``)"},
    413: {**_ERROR, "description": "a body larger than the hub takes"},
}
AUTH: Responses = {
    401: {**_ERROR, "description": "no token, an unknown one, or a revoked one"},
    **INVALID,
}
_REVOKED = "this station's token was revoked on the hub: enrol the station again"
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
PUSH_REQUEST_REF = "#/components/schemas/PushRequest"
BINARY = {"type": "string", "format": "binary"}


def _station_of(ctx: HubContext, token: str) -> StationRef | str:
    with ctx.db.read() as session:
        station = authenticate(session, token)
        if station is not None:
            return station
        return _REVOKED if is_revoked(session, token) else "unknown token"


async def current_station(
    ctx: Ctx, authorization: Annotated[str | None, Header()] = None
) -> StationRef:
    """FastAPI dependency: the station whose live token the request carries (else 401)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HubError(401, "unauthorized", "a station token is required", headers=_CHALLENGE)
    station = await run_in_threadpool(_station_of, ctx, token.strip())
    if isinstance(station, str):
        raise HubError(401, "unauthorized", station, headers=_CHALLENGE)
    return station


Station = Annotated[StationRef, Depends(current_station)]


@router.get("/v1/health")
async def health(ctx: Ctx) -> p.Health:
    """Liveness, with the hub's clock; "degraded" with the causes (still 200: pulls work)."""
    # On the event loop: a liveness answer must not queue behind the thread pool's work
    # (pushes being parsed and stored); its only I/O is one statvfs of the blob folder.
    problems = ctx.blobs.problems()
    return p.Health(
        status="degraded" if problems else "ok", time=utcnow().isoformat(), problems=problems
    )


def _address(request: Request) -> str:
    # The peer's address. uvicorn replaces it with X-Forwarded-For's only from the proxies
    # named by `station hub serve --forwarded-allow-ips` (none by default; hub.serving).
    return request.client.host if request.client is not None else "unknown"


@router.post(
    p.ENROLL,
    responses={
        **NOT_JSON,
        **BODY,
        403: {**_ERROR, "description": "unknown, used or expired code, or another station's"},
        **INVALID,
        429: {**_ERROR, "description": "too many failed attempts from this address (Retry-After)"},
    },
)
def enroll_station(body: p.EnrollRequest, request: Request, ctx: Ctx) -> p.EnrollResponse:
    """Exchange a one-time enrolment code for the station's token.

    Only failures count against an address (a site enrolling many stations from one address
    behind NAT is not held up). While an address is limited, a usable code still enrols: the
    code is looked up (a read, no lock) and only a wrong one gets 429, so someone guessing
    from the same address cannot lock an honest station out. Refusals while limited are not
    counted again: the window ends, and the limiter's memory stays bounded.
    """
    address = _address(request)
    wait = ctx.enrol_limiter.wait(address)
    if wait is not None:
        with ctx.db.read() as session:
            usable = code_is_usable(session, body.code, body.station)
        if not usable:
            raise HubError(
                429,
                "too_many_attempts",
                f"too many failed enrolment attempts from {address}; try again in {wait} s",
                headers={"Retry-After": str(wait)},
            )
    try:
        with ctx.db.write() as session:
            token = enrol(session, body.code, body.station)
    except EnrolError as exc:
        ctx.enrol_limiter.hit(address)
        raise HubError(403, exc.code, str(exc)) from None
    return p.EnrollResponse(station=body.station, token=token)


@router.post(
    p.PUSH,
    responses={
        **AUTH,
        408: BODY[408],
        403: {**_ERROR, "description": "events of another station"},
        409: {
            **_ERROR,
            "description": "a gap (``expected_seq`` says which seq comes next), a seq stored "
            "for another event, or a replay whose content changed (recorded as a conflict)",
        },
        413: {**_ERROR, "description": "body, batch or JSON values more than the hub takes"},
    },
    # The body is read by hand (413 before it is parsed), so FastAPI cannot see its model;
    # app.hub_openapi puts PushRequest into the components this refers to.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": PUSH_REQUEST_REF}}},
        }
    },
)
async def push(request: Request, ctx: Ctx, station: Station) -> p.PushResponse:
    """Store a batch of consecutive events; answer each with its (stored) result."""
    raw = await read_limited(request, ctx.limits.max_body_bytes)
    # Parsed in the thread pool: 8 MB of JSON would hold the event loop (and /v1/health).
    body = await run_in_threadpool(parse_push, raw, ctx.limits)
    if len(body.events) > ctx.limits.max_batch_events:
        raise HubError(
            413, "too_many_events", f"at most {ctx.limits.max_batch_events} events per push"
        )
    problem = ownership_problem(station, body)
    if problem is not None:
        raise HubError(403, "forbidden", problem)
    try:
        return await run_in_threadpool(ingest, ctx.db, station, body)
    except PushRefused as exc:
        raise HubError(
            exc.status, exc.error, exc.message, expected_seq=exc.expected_seq, missing=exc.missing
        ) from None


@router.get(
    p.PULL,
    responses={
        **AUTH,
        410: {**_ERROR, "description": "cursor too old or unreadable: reset required"},
    },
)
def pull(
    ctx: Ctx,
    station: Station,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 500,
    report: Annotated[str | None, Header(alias=p.REPORT_HEADER)] = None,
) -> p.PullResponse:
    """Changes after ``cursor`` (none: everything), oldest first; orders of its site only.

    The station's report of itself (device states, queue, last failure) may ride along as a
    header; it is kept for the console and never fails the pull."""
    if report is not None:
        keep_report(ctx.db, station.id, report)
    try:
        with ctx.db.read() as session:
            scope = scope_of_station(session, station.id)
            return pull_page(session, cursor, min(limit, ctx.limits.max_pull_limit), scope)
    except ResetRequired as exc:
        # A cursor that is not ours at all is answered like one too old, on purpose: every
        # station already drops its cursor on ``reset_required`` and rebuilds, where a new
        # error code would have it retry the same cursor for ever.
        raise HubError(
            410, "reset_required", f"{exc}: push everything, then pull from the start"
        ) from None


@router.post(
    p.BLOBS_MISSING,
    responses={
        **AUTH,
        **NOT_JSON,
        408: BODY[408],
        413: {**_ERROR, "description": "too many hashes, or a body larger than the hub takes"},
    },
)
def missing_blobs(
    body: p.MissingBlobsRequest, ctx: Ctx, _station: Station
) -> p.MissingBlobsResponse:
    """Which of these hashes the hub lacks, with the offset of any upload in progress."""
    if len(body.hashes) > ctx.limits.max_hashes:
        raise HubError(413, "too_many_hashes", f"at most {ctx.limits.max_hashes} per request")
    wanted = sorted({h for h in body.hashes if blob_store.is_sha256(h)})
    with ctx.db.read() as session:
        held = set(session.scalars(select(HubBlob.sha256).where(HubBlob.sha256.in_(wanted))))
    return p.MissingBlobsResponse(
        missing=[
            p.MissingBlob(sha256=h, offset=ctx.blobs.offset(h)) for h in wanted if h not in held
        ]
    )


@router.put(
    p.BLOB,
    responses={
        **AUTH,
        408: BODY[408],
        409: {**_ERROR, "description": "the upload stands at another offset (``offset``)"},
        413: {**_ERROR, "description": "blob or chunk larger than the hub takes"},
        507: {**_ERROR, "description": "the hub's blob storage is full (``storage_full``)"},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": BINARY}},
        }
    },
)
async def upload_chunk(
    sha256: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    request: Request,
    ctx: Ctx,
    station: Station,
    offset: Annotated[int, Query(ge=0)],
    size: Annotated[int, Query(ge=1)],
) -> p.BlobProgress:
    """One chunk of a blob at ``offset``; the last one is verified against the hash."""
    if size > ctx.limits.max_blob_bytes:
        raise HubError(413, "too_large", f"blobs are limited to {ctx.limits.max_blob_bytes} bytes")
    data = await read_limited(request, ctx.limits.max_chunk_bytes)
    try:
        result = await run_in_threadpool(ctx.blobs.write_chunk, sha256, offset, size, data)
    except blob_store.BlobRefused as exc:
        raise HubError(exc.status, exc.error, exc.message, offset=exc.offset) from None
    if result.complete:
        await run_in_threadpool(_record_blob, ctx, sha256, size, station)
    return p.BlobProgress(sha256=sha256, offset=result.offset, complete=result.complete)


@router.get(
    p.CATALOG_IMAGE,
    responses={**AUTH, 404: {**_ERROR, "description": "no catalog picture with this hash"}},
)
def catalog_image(
    sha256: Annotated[str, Path(pattern="^[0-9a-f]{64}$")],
    ctx: Ctx,
    _station: Station,
    offset: Annotated[int, Query(ge=0, le=MAX_IMAGE_BYTES)] = 0,
) -> p.ImageChunk:
    """Part of a product picture of the catalog: at most ``IMAGE_CHUNK_BYTES`` from
    ``offset`` (a station resumes a broken download where it stopped)."""
    with ctx.db.read() as session:
        row = session.execute(
            select(
                HubCatalogImage.media_type,
                func.length(HubCatalogImage.data),
                func.substr(HubCatalogImage.data, offset + 1, p.IMAGE_CHUNK_BYTES),
            ).where(HubCatalogImage.sha256 == sha256)
        ).first()
    if row is None:
        raise HubError(404, "not_found", "no catalog picture with this hash")
    media, size, part = row
    if offset > int(size):
        raise HubError(422, "bad_offset", f"the picture has {size} bytes")
    data = base64.b64encode(bytes(part or b"")).decode()
    return p.ImageChunk(sha256=sha256, media_type=media, size=int(size), offset=offset, data=data)


def _record_blob(ctx: HubContext, sha256: str, size: int, station: StationRef) -> None:
    # Two uploads can finish one blob at once (a duplicated last chunk): on PostgreSQL a
    # look-then-insert let both insert, and one answered 500 on the primary key.
    dialect = sqlite if ctx.db.is_sqlite else postgresql
    with ctx.db.write() as session:
        session.execute(
            dialect.insert(HubBlob)
            .values(sha256=sha256, size=size, station_id=station.id, created_at=utcnow())
            .on_conflict_do_nothing(index_elements=[HubBlob.sha256])
        )
