"""The hub as a FastAPI app, built by a factory (several hubs may live in one test process)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from station.hub.api import router
from station.hub.blobs import BlobStore
from station.hub.context import HubContext, HubError, Limits
from station.hub.db import default_blob_dir, open_hub_database
from station.sync.protocol import ErrorBody


def create_app(
    db_url: str,
    *,
    blob_dir: Path | None = None,
    limits: Limits | None = None,
    migrate: bool = True,
) -> FastAPI:
    """A hub on the database at ``db_url`` (any SQLAlchemy URL), migrated unless told not to."""
    db = open_hub_database(db_url, migrate=migrate)
    ctx = HubContext(db, BlobStore(blob_dir or default_blob_dir(db_url)), limits or Limits())

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        title="Pack station hub",
        version="1",
        description="Event log from the stations, change feed to them.",
        lifespan=lifespan,
    )
    app.state.hub = ctx
    app.include_router(router)

    @app.exception_handler(HubError)
    async def _hub_error(_request: Request, exc: HubError) -> JSONResponse:
        body = ErrorBody.model_validate({"error": exc.error, "message": exc.message, **exc.extra})
        return JSONResponse(body.model_dump(exclude_none=True), status_code=exc.status)

    return app
