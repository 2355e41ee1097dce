"""WooCommerce's REST API v3, through httpx: orders in status processing, completion out.

Authenticated with the consumer key and secret as HTTP Basic (WooCommerce's scheme over
HTTPS). Pages are followed by ``X-WP-TotalPages``. A 5xx answer is retried a few times with a
growing pause (a shop's PHP often fails for a moment); 401/403 is a ``ChannelAuthError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from station.hub.channels.errors import ChannelAuthError, ChannelError

PER_PAGE = 100
RETRIES = 3
# The meta key of the common "Shipment Tracking" plugin (one list of tracking items).
TRACKING_META = "_wc_shipment_tracking_items"


@dataclass
class WooClient:
    """One WooCommerce shop; ``token`` is ``consumer_key:consumer_secret``."""

    name: str
    base_url: str
    http: httpx.Client
    sleep: Callable[[float], None] = field(default=time.sleep)

    @classmethod
    def open(cls, name: str, base_url: str, token: str, timeout_s: float = 30.0) -> WooClient:
        """A client with its own connection pool; ChannelAuthError if the token is malformed."""
        key, sep, secret = token.partition(":")
        if not sep or not key or not secret:
            raise ChannelAuthError(f"{name}: the token must be consumer_key:consumer_secret")
        http = httpx.Client(timeout=timeout_s, auth=(key, secret))
        return cls(name, base_url.rstrip("/"), http)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        url = f"{self.base_url}/wp-json/wc/v3{path}"
        for attempt in range(RETRIES):
            try:
                response = self.http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                raise ChannelError(
                    f"{self.name}: cannot reach the shop ({type(exc).__name__})"
                ) from exc
            if response.status_code in (401, 403):
                raise ChannelAuthError(
                    f"{self.name}: the shop refused the consumer key (HTTP {response.status_code})"
                )
            if response.status_code >= 500 and attempt + 1 < RETRIES:
                self.sleep(0.2 * 2**attempt)
                continue
            if response.status_code >= 400:
                raise ChannelError(
                    f"{self.name}: {method} {path} answered HTTP {response.status_code}"
                )
            return response
        raise AssertionError("unreachable")

    def processing_orders(self) -> Iterator[dict[str, Any]]:
        """Every order in status processing, on-hold or cancelled, page by page."""
        page = 1
        while True:
            response = self._request(
                "GET",
                "/orders",
                params={
                    "status": "processing,on-hold,cancelled",
                    "page": page,
                    "per_page": PER_PAGE,
                },
            )
            try:
                items = response.json()
                pages = int(response.headers.get("X-WP-TotalPages", "1"))
            except ValueError as exc:
                raise ChannelError(f"{self.name}: the order list is not readable") from exc
            if not isinstance(items, list):
                raise ChannelError(f"{self.name}: the order list is not a list")
            yield from (i for i in items if isinstance(i, dict))
            if page >= pages:
                return
            page += 1

    def complete(
        self, order_id: str, *, carrier: str | None, number: str | None, url: str | None
    ) -> str:
        """Note the tracking on the order (customer-visible), add the plugin's meta, complete it."""
        text = "Shipped"
        if carrier:
            text += f" with {carrier}"
        if number:
            text += f", tracking number {number}"
        if url:
            text += f": {url}"
        note = self._request(
            "POST", f"/orders/{order_id}/notes", json={"note": text, "customer_note": True}
        )
        item = {
            "tracking_provider": carrier or "",
            "tracking_number": number or "",
            "custom_tracking_link": url or "",
            "date_shipped": str(int(datetime.now(UTC).timestamp())),
        }
        self._request(
            "PUT",
            f"/orders/{order_id}",
            json={"status": "completed", "meta_data": [{"key": TRACKING_META, "value": [item]}]},
        )
        return f"note:{note.json().get('id', '')}"

    def tracking_of(self, order_id: str) -> list[str | None]:
        """The tracking numbers the order holds in the shipment-tracking meta, if completed
        (what :meth:`complete` leaves); empty otherwise."""
        try:
            order = self._request("GET", f"/orders/{order_id}").json()
        except ValueError as exc:
            raise ChannelError(f"{self.name}: order {order_id} is not readable") from exc
        if not isinstance(order, dict) or order.get("status") != "completed":
            return []
        numbers: list[str | None] = []
        for meta in order.get("meta_data") or []:
            if isinstance(meta, dict) and meta.get("key") == TRACKING_META:
                value = meta.get("value")
                items = value if isinstance(value, list) else []
                numbers += [i.get("tracking_number") or None for i in items if isinstance(i, dict)]
        return numbers
