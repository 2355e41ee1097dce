"""The hub as a FastAPI app, built by a factory (several hubs may live in one test process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from station.hub.api import router
from station.hub.blobs import BlobStore
from station.hub.bodies import BodyGuard
from station.hub.channels.webhooks_in import router as channel_webhooks
from station.hub.console.mount import mount_console
from station.hub.context import HubContext, HubError, Limits
from station.hub.db import default_blob_dir, open_hub_database
from station.hub.locks import router as locks_router
from station.hub.security import SecurityHeaders
from station.hub.shipping.config import ShippingConfig
from station.hub.shipping.routes import router as shipping_router
from station.hub.shipping.service import ShippingService
from station.sync.protocol import ErrorBody, PushRequest


def create_app(
    db_url: str,
    *,
    blob_dir: Path | None = None,
    limits: Limits | None = None,
    migrate: bool = True,
    shipping: ShippingConfig | None = None,
) -> FastAPI:
    """A hub on the database at ``db_url`` (any SQLAlchemy URL), migrated unless told not to."""
    db = open_hub_database(db_url, migrate=migrate)
    limits = limits or Limits.from_env()
    blobs = BlobStore(blob_dir or default_blob_dir(db_url), reserve_bytes=limits.blob_reserve_bytes)
    ctx = HubContext(db, blobs, limits)
    # Carrier accounts from STATION_HUB_CARRIERS unless given; none configured is fine.
    ship = ShippingService(db, shipping if shipping is not None else ShippingConfig.load(None))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        ship.close()
        db.close()

    app = FastAPI(
        title="Pack station hub",
        version="1",
        description="Event log from the stations, change feed to them.",
        lifespan=lifespan,
        redoc_url=None,  # one documentation page is enough surface (/docs)
    )
    app.state.hub = ctx
    app.state.shipping = ship
    app.include_router(router)
    app.add_middleware(BodyGuard, limits=ctx.limits)
    app.include_router(shipping_router)
    app.include_router(locks_router)
    mount_console(app)
    app.include_router(channel_webhooks)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        body = ErrorBody.model_validate({"error": exc.error, "message": exc.message, **exc.extra})
        return JSONResponse(
            body.model_dump(exclude_none=True), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(HTTPException)
    async def _http_error(_request: Request, exc: HTTPException) -> JSONResponse:
        # Starlette's own refusals (a body that is not JSON, an unknown path) and the body
        # guard's (which name their error) in the same shape.
        error = getattr(exc, "error", None) or (
            "invalid_body" if exc.status_code == 400 else f"http_{exc.status_code}"
        )
        body = ErrorBody(error=error, message=_why(exc))
        return JSONResponse(
            body.model_dump(exclude_none=True), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        # The same body as every other refusal, naming the first field at fault.
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        message = f"{where}: {first.get('msg', 'invalid')}" if where else "invalid request"
        body = ErrorBody(error="invalid_request", message=message)
        return JSONResponse(body.model_dump(exclude_none=True), status_code=422)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = hub_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _why(exc: HTTPException) -> str:
    # FastAPI answers every body it cannot parse with one sentence; the cause it chains
    # says which.
    cause = exc.__cause__
    if exc.status_code == 400 and isinstance(cause, RecursionError):
        return "the body's JSON is nested too deeply"
    if exc.status_code == 400 and isinstance(cause, UnicodeDecodeError):
        return f"the body is not UTF-8 (byte {cause.start})"
    return str(exc.detail)


def hub_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, plus the models of bodies the routes read by hand (PushRequest)."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    push = PushRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(push.pop("$defs", {}))
    schemas["PushRequest"] = push
    return document
