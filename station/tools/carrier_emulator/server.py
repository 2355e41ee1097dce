"""The carrier emulator's HTTP server: a thread on 127.0.0.1 serving every carrier by path.

Each carrier's module (``usps``, ``ups``, ``fedex``, ``dhl_express``, ``dhl_parcel_de``) owns
the paths its API uses, so karrio's connectors, with their hosts replaced by this server's URL
(``server_url`` of an account), reach it unchanged. karrio's generic carrier makes no HTTP
call at all (rates from its rate sheet, labels from its template) and needs no module.

Faults are what carriers do on a bad day: ``timeout`` (the answer never comes before the
client gives up), ``error_500``, ``rate_limited`` (429 with Retry-After), ``invalid_address``
(also given for any destination postcode ``00000``), ``no_label`` (a success without label
data). A fault applies to the next ``count`` label, rate, void or manifest requests, of one
carrier if named (token requests are never faulted, so a fault hits the call the test means).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from station.tools.carrier_emulator import dhl_express, dhl_parcel_de, fedex, ups, usps
from station.tools.carrier_emulator.wire import Answer, Call, Fault, Ledger

HISTORY = 200  # requests kept for tests to read, oldest dropped
CARRIERS: tuple[ModuleType, ...] = (usps, ups, fedex, dhl_express, dhl_parcel_de)


@dataclass(frozen=True)
class Seen:
    """A request the emulator received (carrier, path and decoded JSON body, if any)."""

    method: str
    path: str
    body: Any
    carrier: str = ""


class CarrierEmulator:
    """USPS, UPS, FedEx, DHL Express and DHL Parcel DE on 127.0.0.1 (accounts point at ``url``)."""

    def __init__(self, *, latency_s: float = 0.0, timeout_hold_s: float = 5.0) -> None:
        self.latency_s = latency_s
        self.timeout_hold_s = timeout_hold_s
        self.retry_after_s = 7
        self.seen: deque[Seen] = deque(maxlen=HISTORY)
        self.ledger = Ledger()
        self._fault: Fault | None = None
        self._fault_carrier: str | None = None
        self._fault_count = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL (the accounts' ``server_url``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def labels(self) -> dict[str, str]:
        """Tracking number → ``issued`` | ``cancelled``, every carrier."""
        return self.ledger.labels

    def start(self) -> CarrierEmulator:
        """Serve in a daemon thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> CarrierEmulator:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fail_next(self, fault: Fault, count: int = 1, carrier: str | None = None) -> None:
        """Answer the next ``count`` calls (of ``carrier`` only, if named) with ``fault``."""
        with self._lock:
            self._fault, self._fault_count, self._fault_carrier = fault, count, carrier

    def _take_fault(self, carrier: str) -> Fault | None:
        with self._lock:
            if self._fault is None or self._fault_count <= 0:
                return None
            if self._fault_carrier not in (None, carrier):
                return None
            self._fault_count -= 1
            return self._fault

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass  # tests read ``seen``; stderr stays quiet

            def do_GET(self) -> None:
                emulator._serve(self)

            def do_POST(self) -> None:
                emulator._serve(self)

            def do_PUT(self) -> None:
                emulator._serve(self)

            def do_DELETE(self) -> None:
                emulator._serve(self)

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        parts = urlsplit(handler.path)
        path = parts.path
        carrier = next((c for c in CARRIERS if path.startswith(c.PREFIXES)), None)
        if carrier is None:
            self._send(handler, Answer.json(404, {"error": f"no carrier serves {path}"}))
            return
        body: Any = None
        if raw and "json" in (handler.headers.get("Content-Type") or "").lower():
            try:
                body = json.loads(raw)
            except ValueError:
                self._send(handler, carrier.error(400, "BAD_JSON", "the body is not JSON"))
                return
        call = Call(handler.command, path, dict(parse_qsl(parts.query)), raw, body)
        self.seen.append(Seen(handler.command, path, body, carrier.NAME))
        if carrier.free(call):
            self._send(handler, carrier.answer(call, self.ledger, None) or _not_found(carrier))
            return
        if self.latency_s:
            time.sleep(self.latency_s)
        fault = self._take_fault(carrier.NAME)
        if fault is Fault.TIMEOUT:
            time.sleep(self.timeout_hold_s)
            handler.close_connection = True
            return
        if fault is Fault.ERROR_500:
            self._send(handler, Answer(500, b"Internal Server Error", "text/plain"))
            return
        if fault is Fault.RATE_LIMITED:
            busy = carrier.error(429, "TOO_MANY_REQUESTS", "Too Many Requests: quota exceeded")
            headers = {**busy.headers, "Retry-After": str(self.retry_after_s)}
            self._send(handler, Answer(429, busy.body, busy.content_type, headers))
            return
        self._send(handler, carrier.answer(call, self.ledger, fault) or _not_found(carrier))

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        handler.send_response(answer.status)
        handler.send_header("Content-Type", answer.content_type)
        handler.send_header("Content-Length", str(len(answer.body)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(answer.body)


def _not_found(carrier: ModuleType) -> Answer:
    answer: Answer = carrier.error(404, "NOT_FOUND", "Not Found")
    return answer
