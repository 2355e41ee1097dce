"""The carrier emulator's HTTP server: a thread on 127.0.0.1, with fault modes.

Faults are what carriers do on a bad day: ``timeout`` (the answer never comes before the
client gives up), ``error_500``, ``rate_limited`` (429 with Retry-After), ``invalid_address``
(also given for any destination ZIP ``00000``), ``no_label`` (a success without label data).
A fault applies to the next ``count`` label, rate or manifest requests (token requests are
never faulted, so a fault hits the call the test means).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from station.tools.carrier_emulator import usps

HISTORY = 200  # requests kept for tests to read, oldest dropped


class Fault(StrEnum):
    """What the emulator does instead of answering properly."""

    TIMEOUT = "timeout"
    ERROR_500 = "error_500"
    RATE_LIMITED = "rate_limited"
    INVALID_ADDRESS = "invalid_address"
    NO_LABEL = "no_label"


@dataclass(frozen=True)
class Seen:
    """A request the emulator received (path and decoded JSON body, if any)."""

    method: str
    path: str
    body: Any


class CarrierEmulator:
    """USPS's v3 API on 127.0.0.1 (karrio's USPS connector is pointed at ``url``)."""

    def __init__(self, *, latency_s: float = 0.0, timeout_hold_s: float = 5.0) -> None:
        self.latency_s = latency_s
        self.timeout_hold_s = timeout_hold_s
        self.retry_after_s = 7
        self.seen: deque[Seen] = deque(maxlen=HISTORY)
        self.labels: dict[str, str] = {}  # tracking number -> status (issued | cancelled)
        self._fault: Fault | None = None
        self._fault_count = 0
        self._serial = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL (the connector's ``server_url``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

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

    def fail_next(self, fault: Fault, count: int = 1) -> None:
        """Answer the next ``count`` carrier calls with ``fault``."""
        with self._lock:
            self._fault, self._fault_count = fault, count

    def _take_fault(self) -> Fault | None:
        with self._lock:
            if self._fault is None or self._fault_count <= 0:
                return None
            self._fault_count -= 1
            return self._fault

    def _next_serial(self) -> int:
        with self._lock:
            self._serial += 1
            return self._serial

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass  # tests read ``seen``; stderr stays quiet

            def do_POST(self) -> None:
                emulator._serve(self)

            def do_DELETE(self) -> None:
                emulator._serve(self)

        return Handler

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        path = handler.path.split("?", 1)[0]
        body: Any = None
        if raw and "json" in (handler.headers.get("Content-Type") or "").lower():
            try:
                body = json.loads(raw)
            except ValueError:
                self._send_json(handler, 400, usps.error_body(400, "BAD_JSON", "Bad request", ""))
                return
        self.seen.append(Seen(handler.command, path, body))
        if path == "/oauth2/v3/token":
            self._send_json(handler, 200, usps.token())
            return
        if path == "/payments/v3/payment-authorization":
            self._send_json(handler, 200, usps.payment_token())
            return
        if self.latency_s:
            time.sleep(self.latency_s)
        fault = self._take_fault()
        if fault is Fault.TIMEOUT:
            time.sleep(self.timeout_hold_s)
            handler.close_connection = True
            return
        if fault is Fault.ERROR_500:
            self._send_text(handler, 500, "Internal Server Error", "text/plain")
            return
        if fault is Fault.RATE_LIMITED:
            self._send_json(
                handler,
                429,
                usps.error_body(429, "TOO_MANY_REQUESTS", "Too Many Requests", "quota exceeded"),
                {"Retry-After": str(self.retry_after_s)},
            )
            return
        self._route(handler, handler.command, path, body or {}, fault)

    def _route(
        self,
        handler: BaseHTTPRequestHandler,
        method: str,
        path: str,
        body: dict[str, Any],
        fault: Fault | None,
    ) -> None:
        if method == "POST" and path == "/shipments/v3/options/search":
            if fault is Fault.INVALID_ADDRESS or body.get("destinationZIPCode") == "00000":
                self._invalid_address(handler)
                return
            self._send_json(handler, 200, usps.rates(body))
            return
        if method == "POST" and path == "/labels/v3/label":
            to = body.get("toAddress") or {}
            if fault is Fault.INVALID_ADDRESS or to.get("ZIPCode") == "00000":
                self._invalid_address(handler)
                return
            number = usps.tracking_number(body, self._next_serial())
            data, kind = usps.label(body, number, with_image=fault is not Fault.NO_LABEL)
            self.labels[number] = "issued"
            self._send_text(handler, 200, data, kind)
            return
        if method == "DELETE" and path.startswith("/labels/v3/label/"):
            number = path.rsplit("/", 1)[1]
            if self.labels.get(number) != "issued":
                self._send_json(
                    handler,
                    404,
                    usps.error_body(404, "NOT_FOUND", "Label not found", number),
                )
                return
            self.labels[number] = "cancelled"
            self._send_json(handler, 200, usps.cancelled(number))
            return
        if method == "POST" and path == "/scan-forms/v3/scan-form":
            issued = [n for n, s in self.labels.items() if s == "issued"]
            self._send_json(handler, 200, usps.scan_form(body, issued))
            return
        self._send_json(handler, 404, usps.error_body(404, "NOT_FOUND", "Not Found", path))

    def _invalid_address(self, handler: BaseHTTPRequestHandler) -> None:
        self._send_json(
            handler,
            400,
            usps.error_body(
                400,
                "ADDRESS_NOT_FOUND",
                "Address Not Found",
                "The destination address could not be found: check the ZIP code.",
            ),
        )

    @staticmethod
    def _send_json(
        handler: BaseHTTPRequestHandler,
        status: int,
        body: object,
        headers: dict[str, str] | None = None,
    ) -> None:
        CarrierEmulator._send_text(
            handler, status, json.dumps(body).encode(), "application/json", headers
        )

    @staticmethod
    def _send_text(
        handler: BaseHTTPRequestHandler,
        status: int,
        data: bytes | str,
        kind: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        raw = data.encode() if isinstance(data, str) else data
        handler.send_response(status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(raw)
