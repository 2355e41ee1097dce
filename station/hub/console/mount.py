"""Adding the console's pages, static files and refusal page to the hub's app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from station.hub.console import rma_routes, shipping_routes
from station.hub.console.routes import refused_page, router
from station.hub.console.web import ConsoleRefused

STATIC = Path(__file__).resolve().parent / "static"


def mount_console(app: FastAPI) -> None:
    """Add the console's pages and static files to the hub ``app``."""
    app.include_router(router)
    app.include_router(rma_routes.router)
    app.include_router(shipping_routes.router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    @app.exception_handler(ConsoleRefused)
    async def _refused(request: Request, exc: ConsoleRefused) -> Response:
        return refused_page(request, exc)
