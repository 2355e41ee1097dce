"""A real hub served by uvicorn on a free loopback port, in a thread, for the tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from station.hub.serving import ServeLimits, hub_config


@contextmanager
def running_hub(
    app: FastAPI,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    limits: ServeLimits | None = None,
    forwarded_allow_ips: str | None = None,
    port: int = 0,
) -> Iterator[str]:
    """Serve ``app`` as ``station hub serve`` does until the block ends; yields its base URL.

    ``port`` 0 takes a free one; a given port serves a hub again where stations knew it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    port = sock.getsockname()[1]
    config = hub_config(
        app,
        log_level="warning",
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
        limits=limits,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the hub did not start")
        time.sleep(0.01)
    scheme = "https" if certfile else "http"
    try:
        yield f"{scheme}://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
