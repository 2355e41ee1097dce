"""How the hub is served: uvicorn's settings, the connection guard and bounded logging.

uvicorn has a keep-alive time-out but none for a request's header, and no limit on
connections: 1,100 clients each sending half a header kept every one of them open, took the
process to its file-descriptor limit, and from then on asyncio failed every ``accept()`` and
logged it (103 MB). Here:

- ``ConnectionGuard`` closes a connection that has not sent a complete request header within
  ``header_timeout_s`` (after connecting, or after its last answer on keep-alive), and keeps
  the number of connections under ``max_connections`` (itself under the descriptor limit): a
  new connection beyond it closes the oldest one still waiting for its header, so a flood of
  slow clients cannot shut out a station whose request arrives whole.
- ``proxy_headers`` is off unless ``forwarded_allow_ips`` names the proxies: uvicorn otherwise
  takes ``X-Forwarded-For`` from any client on 127.0.0.1, and the enrolment limit is per
  address.
- ``RepeatFilter`` lets each kind of log line through at most once per ``every_s`` seconds,
  with the number held back, on the loggers a client can make write (uvicorn's, asyncio's).

uvicorn takes the HTTP protocol as a class (``Config(http=...)``): ``GuardedH11Protocol`` is
its h11 protocol telling the guard when a request starts and ends, the one extension point
uvicorn offers for per-connection state.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)

# Descriptors kept free for the database, blob files and the log when connections are at
# their limit.
FD_RESERVE = 128


@dataclass(frozen=True)
class ServeLimits:
    """Connection limits and time-outs of a served hub."""

    # None: as many as the descriptor limit allows (less FD_RESERVE), at most 4,096.
    max_connections: int | None = None
    header_timeout_s: float = 10.0
    keep_alive_s: float = 5.0
    # Largest request header uvicorn's h11 parser buffers (its default, named here).
    max_header_bytes: int = 16 * 1024

    def connections(self) -> int:
        """The connection limit in force."""
        if self.max_connections is not None:
            return self.max_connections
        try:
            import resource  # POSIX only: Windows has no descriptor limit to read
        except ImportError:
            return 4096
        soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        available = soft - FD_RESERVE if soft != resource.RLIM_INFINITY else 4096
        return max(16, min(4096, available))


class ConnectionGuard:
    """Header time-out and connection limit over one server's connections (event loop only)."""

    def __init__(self, limits: ServeLimits) -> None:
        self.limits = limits
        self.max_connections = limits.connections()
        # Connections waiting for a request header, oldest first, with since when.
        self._waiting: dict[GuardedH11Protocol, float] = {}
        self._open: set[GuardedH11Protocol] = set()
        self._sweeper: asyncio.TimerHandle | None = None
        self.closed_slow = 0
        self.closed_for_room = 0

    def opened(self, conn: GuardedH11Protocol) -> None:
        """A new connection: make room if the limit is reached; it now waits for a header."""
        while len(self._open) >= self.max_connections:
            oldest = next(iter(self._waiting), None)
            if oldest is None:
                # Every connection is in a request: the new one is the one to go.
                self.closed_for_room += 1
                conn.transport.close()
                return
            self.closed_for_room += 1
            self._close(oldest)
        self._open.add(conn)
        self._waiting[conn] = time.monotonic()
        if self._sweeper is None:
            self._schedule(conn.loop)

    def request_started(self, conn: GuardedH11Protocol) -> None:
        """A complete header arrived: the body and the answer have their own time-outs."""
        self._waiting.pop(conn, None)

    def request_done(self, conn: GuardedH11Protocol) -> None:
        """The answer went out; on keep-alive the next header must come in time too."""
        if conn in self._open:
            self._waiting.pop(conn, None)
            self._waiting[conn] = time.monotonic()

    def closed(self, conn: GuardedH11Protocol) -> None:
        """The connection is gone."""
        self._open.discard(conn)
        self._waiting.pop(conn, None)

    def _close(self, conn: GuardedH11Protocol) -> None:
        self.closed(conn)
        conn.transport.close()

    def _schedule(self, loop: asyncio.AbstractEventLoop) -> None:
        period = max(0.1, min(1.0, self.limits.header_timeout_s / 4))
        self._sweeper = loop.call_later(period, self._sweep, loop)

    def _sweep(self, loop: asyncio.AbstractEventLoop) -> None:
        horizon = time.monotonic() - self.limits.header_timeout_s
        # Oldest first: stop at the first that is still within its time.
        while self._waiting:
            conn, since = next(iter(self._waiting.items()))
            if since > horizon:
                break
            self.closed_slow += 1
            self._close(conn)
        if self._open:
            self._schedule(loop)
        else:
            self._sweeper = None


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, telling a ``ConnectionGuard`` when requests start and end."""

    def __init__(self, *args: Any, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.guard.opened(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.guard.closed(self)
        super().connection_lost(exc)

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete:
            self.guard.request_started(self)

    def on_response_complete(self) -> None:
        self.guard.request_done(self)
        super().on_response_complete()  # may start a pipelined request: request_started


class RepeatFilter(logging.Filter):
    """Each message template at most once per ``every_s`` seconds, with the count held back."""

    def __init__(self, every_s: float = 10.0) -> None:
        super().__init__()
        self.every_s = every_s
        self._last: dict[str, float] = {}
        self._held: dict[str, int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """True if ``record`` may be written (with the count of those held back since)."""
        key = str(record.msg)
        now = time.monotonic()
        last = self._last.get(key)
        if last is not None and now - last < self.every_s:
            self._held[key] = self._held.get(key, 0) + 1
            return False
        self._last[key] = now
        held = self._held.pop(key, 0)
        if held:
            record.msg = f"{record.msg} ({held} more like this not logged)"
        return True


_FILTERED = ("uvicorn.error", "asyncio")


def bound_logging(every_s: float = 10.0) -> None:
    """Put a RepeatFilter on the loggers clients can make write (once per process)."""
    for name in _FILTERED:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RepeatFilter) for f in logger.filters):
            logger.addFilter(RepeatFilter(every_s))


def hub_config(
    app: Any,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
    forwarded_allow_ips: str | None = None,
    limits: ServeLimits | None = None,
    log_level: str = "info",
) -> uvicorn.Config:
    """uvicorn's configuration for a hub: every server of the hub (CLI, tests) starts here."""
    limits = limits or ServeLimits()
    guard = ConnectionGuard(limits)
    bound_logging()
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
        http=functools.partial(GuardedH11Protocol, guard=guard),  # type: ignore[arg-type]
        proxy_headers=forwarded_allow_ips is not None,
        forwarded_allow_ips=forwarded_allow_ips,
        timeout_keep_alive=int(limits.keep_alive_s),
        h11_max_incomplete_event_size=limits.max_header_bytes,
        # Refused connections wait in the kernel's queue, not in ours.
        backlog=min(2048, guard.max_connections),
        log_level=log_level,
    )


def serve(config: uvicorn.Config) -> int:
    """Run the server until interrupted, as ``uvicorn.run`` does; the exit status."""
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises the SIGINT it stopped on
        server.run()
    return 0 if server.started else 3  # uvicorn's STARTUP_FAILURE
