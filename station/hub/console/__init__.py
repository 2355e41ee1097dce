"""The hub's web console: evidence search for customer service, the network for supervisors.

Served by the hub's own app under ``/console`` (same process, same port): server-rendered
Jinja2 pages and plain HTML forms, one small script of our own for the network page's live
update. See docs/console.md.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from station.hub.console.routes import refused_page, router
from station.hub.console.web import ConsoleRefused

STATIC = Path(__file__).resolve().parent / "static"


def mount_console(app: FastAPI) -> None:
    """Add the console's pages and static files to the hub ``app``."""
    app.include_router(router)
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")

    @app.exception_handler(ConsoleRefused)
    async def _refused(request: Request, exc: ConsoleRefused) -> Response:
        return refused_page(request, exc)
