"""A threaded TCP proxy between a station's client and the hub that injects faults per request.

It reads each HTTP/1.1 request whole (head and Content-Length or chunked body), so a fault
can be aimed at one request: by method and path prefix, for the next ``times`` matches. The
faults are what a real network and a real hub do to a station:

- ``DROP_REPLY``: forward, let the hub answer (it has committed), close without the answer;
- ``RESET_REQUEST``: forward half the request body, then reset both sides (the hub never
  gets a whole request);
- ``RESET_REPLY``: forward the request, send the client the head and half the answer, reset;
- ``DELAY_REPLY``: hold the hub's answer past the client's time-out, then drop it;
- ``DUPLICATE``: send the request to the hub twice at once (two connections), answer with
  the second;
- ``CORRUPT``: flip one byte in the middle of the request body (a damaged photo chunk);
- ``STALL``: hold the hub's answer until ``release()`` (the client waits; a test kills it).

A 500 at event k of a batch is not done here: a proxy can only rewrite an answer the hub has
already committed, which is ``DROP_REPLY`` again. It is a hub-side hook instead (see
``tests.sync.hubfaults``), so the hub really fails half-way and rolls back.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

from tests.sync.faultwire import Closed, Message, read_message, reset


class Fault(Enum):
    """What the proxy does to one request (see the module's docstring)."""

    DROP_REPLY = "drop_reply"
    RESET_REQUEST = "reset_request"
    RESET_REPLY = "reset_reply"
    DELAY_REPLY = "delay_reply"
    DUPLICATE = "duplicate"
    CORRUPT = "corrupt"
    STALL = "stall"


@dataclass
class _Rule:
    fault: Fault
    method: str | None
    path: str
    times: int
    after: int  # matching requests let through untouched first


class FaultProxy:
    """Listens on a free 127.0.0.1 port and forwards to ``upstream`` (a base URL)."""

    def __init__(self, upstream: str, *, delay_s: float = 1.5) -> None:
        self.upstream = upstream
        self.delay_s = delay_s
        self.log: list[tuple[str, Fault | None]] = []  # (request line, fault applied)
        self._rules: list[_Rule] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._released = threading.Event()
        self.stalled = threading.Event()  # set once a STALL holds an answer back
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads: list[threading.Thread] = []
        self._sockets: set[socket.socket] = set()
        self._spawn(self._accept)

    # --- control -------------------------------------------------------------------------

    def plan(
        self,
        fault: Fault,
        path: str = "/",
        method: str | None = None,
        *,
        times: int = 1,
        after: int = 0,
    ) -> None:
        """Apply ``fault`` to ``times`` requests whose path starts with ``path``, once
        ``after`` of them have gone through untouched."""
        with self._lock:
            self._rules.append(_Rule(fault, method, path, times, after))

    def clear(self) -> None:
        """Forget the faults not yet applied (the network heals)."""
        with self._lock:
            self._rules.clear()

    def pending(self) -> int:
        """Faults planned and not yet applied."""
        with self._lock:
            return sum(r.times for r in self._rules)

    def applied(self) -> list[Fault]:
        """The faults applied so far, in order."""
        with self._lock:
            return [f for _, f in self.log if f is not None]

    def release(self) -> None:
        """Let stalled answers go (to a client that may have died meanwhile)."""
        self._released.set()

    def close(self) -> None:
        """Stop listening, end every connection, wait for the threads."""
        self._closing.set()
        self._released.set()
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                reset(sock)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- plumbing ------------------------------------------------------------------------

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _untrack(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)

    def _connect(self) -> socket.socket:
        parts = urlsplit(self.upstream)
        return self._track(socket.create_connection((parts.hostname, parts.port), timeout=30))

    def _accept(self) -> None:
        # A time-out, because closing a socket does not wake an accept() in another thread.
        self._listener.settimeout(0.1)
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, self._track(client))

    def _take(self, request: Message) -> Fault | None:
        method, path = request.first_line.split(" ")[:2]
        with self._lock:
            for rule in self._rules:
                if path.startswith(rule.path) and rule.method in (None, method):
                    if rule.after > 0:
                        rule.after -= 1
                        break
                    rule.times -= 1
                    if rule.times == 0:
                        self._rules.remove(rule)
                    self.log.append((f"{method} {path}", rule.fault))
                    return rule.fault
            self.log.append((f"{method} {path}", None))
        return None

    def _serve(self, client: socket.socket) -> None:
        buffer = bytearray()
        try:
            while not self._closing.is_set():
                request = read_message(client, buffer)
                # A new hub connection per request: a kept-alive one that the hub closed while
                # idle would fail the next request, a fault nobody planned.
                upstream = self._connect()
                try:
                    if not self._forward(self._take(request), request, client, upstream):
                        return
                finally:
                    self._untrack(upstream)
                    upstream.close()
        except (Closed, OSError):
            return
        finally:
            self._untrack(client)
            client.close()

    def _forward(
        self, fault: Fault | None, request: Message, client: socket.socket, up: socket.socket
    ) -> bool:
        """Carry one exchange with ``fault`` applied; False when the connection must end."""
        if fault is Fault.RESET_REQUEST:
            up.sendall(request.head + request.body[: len(request.body) // 2])
            reset(up)
            reset(client)
            return False
        if fault is Fault.CORRUPT and request.body:
            body = bytearray(request.body)
            body[len(body) // 2] ^= 0xFF
            request = Message(request.head, bytes(body))
        if fault is Fault.DUPLICATE:
            answer = self._twice(request, up)
        else:
            up.sendall(request.raw())
            answer = read_message(up, bytearray())
        # From here the hub has answered: whatever it committed stays committed.
        if fault is Fault.DROP_REPLY:
            reset(client)
            return False
        if fault is Fault.RESET_REPLY:
            client.sendall(answer.head + answer.body[: len(answer.body) // 2])
            reset(client)
            return False
        if fault is Fault.DELAY_REPLY:
            self._closing.wait(self.delay_s)
            return False  # the client gave up long ago
        if fault is Fault.STALL:
            self.stalled.set()
            self._released.wait()
            reset(client)
            return False
        client.sendall(answer.raw())
        return True

    def _twice(self, request: Message, up: socket.socket) -> Message:
        # Both copies are on the wire before either answer is read: the hub sees them at once.
        other = self._connect()
        try:
            up.sendall(request.raw())
            other.sendall(request.raw())
            read_message(up, bytearray())
            return read_message(other, bytearray())
        finally:
            self._untrack(other)
            other.close()
