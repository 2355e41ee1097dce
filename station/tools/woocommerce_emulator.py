"""A WooCommerce REST API v3 emulator on 127.0.0.1, for the channel tests.

``GET /wp-json/wc/v3/orders`` with ``status``, ``page`` and ``per_page`` and the pagination
headers ``X-WP-Total`` / ``X-WP-TotalPages``; ``PUT /wp-json/wc/v3/orders/{id}`` (status and
``meta_data``); ``GET /wp-json/wc/v3/orders/{id}``; ``POST /wp-json/wc/v3/orders/{id}/notes``.
Authentication is HTTP Basic with the consumer key and secret, as over HTTPS; anything else
is 401 in WooCommerce's error shape.
``fail_next`` makes the next calls answer 500, as a shop's PHP crashing does.
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BASE = "/wp-json/wc/v3"


@dataclass
class EmulatedWooShop:
    """The shop's orders by id, the notes written on them, and faults to inject."""

    key: str
    secret: str
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    fail_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add_order(
        self, number: str, lines: list[tuple[str, int]], *, status: str = "processing"
    ) -> dict[str, Any]:
        """A new order; returns it (the test may change it in place)."""
        with self.lock:
            order_id = 700 + len(self.orders) + 1
            order = {
                "id": order_id,
                "number": number,
                "status": status,
                "currency": "EUR",
                "customer_note": "",
                "billing": {"email": f"buyer{order_id}@example.com", "phone": ""},
                "shipping": {
                    "first_name": "Ana",
                    "last_name": f"Buyer {order_id}",
                    "company": "",
                    "address_1": f"{order_id} Rua Nova",
                    "address_2": "",
                    "city": "Porto",
                    "state": "",
                    "postcode": "4000-001",
                    "country": "PT",
                    "phone": "",
                },
                "shipping_lines": [{"method_title": "Flat rate"}],
                "line_items": [
                    {"id": i + 1, "sku": sku, "quantity": qty, "price": 20.0}
                    for i, (sku, qty) in enumerate(lines)
                ],
                "meta_data": [],
            }
            self.orders[order_id] = order
        return order


def _unauthorized() -> JSONResponse:
    return JSONResponse(
        {
            "code": "woocommerce_rest_cannot_view",
            "message": "Sorry, you cannot list resources.",
            "data": {"status": 401},
        },
        status_code=401,
    )


def create_woo_app(shop: EmulatedWooShop) -> FastAPI:
    """The emulator's ASGI app, serving ``shop``."""
    app = FastAPI(title="WooCommerce REST API emulator")
    expected = "Basic " + base64.b64encode(f"{shop.key}:{shop.secret}".encode()).decode()

    def fault(request: Request) -> JSONResponse | None:
        if request.headers.get("Authorization") != expected:
            return _unauthorized()
        with shop.lock:
            if shop.fail_next > 0:
                shop.fail_next -= 1
                return JSONResponse(
                    {"code": "internal_server_error", "message": "There has been a critical "
                     "error on this website.", "data": {"status": 500}},
                    status_code=500,
                )  # fmt: skip
        return None

    @app.get(f"{BASE}/orders")
    async def list_orders(
        request: Request, status: str = "any", page: int = 1, per_page: int = 10
    ) -> JSONResponse:
        refused = fault(request)
        if refused is not None:
            return refused
        per_page = max(1, min(per_page, 100))
        with shop.lock:
            wanted = [
                o
                for o in shop.orders.values()
                if status == "any" or o["status"] in status.split(",")
            ]
        total = len(wanted)
        pages = (total + per_page - 1) // per_page
        chunk = wanted[(page - 1) * per_page : page * per_page]
        return JSONResponse(
            chunk, headers={"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        )

    @app.get(f"{BASE}/orders/{{order_id}}")
    async def get_order(request: Request, order_id: int) -> JSONResponse:
        refused = fault(request)
        if refused is not None:
            return refused
        with shop.lock:
            order = shop.orders.get(order_id)
            if order is not None:
                return JSONResponse(order)
        return JSONResponse(
            {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.",
             "data": {"status": 404}},
            status_code=404,
        )  # fmt: skip

    @app.put(f"{BASE}/orders/{{order_id}}")
    async def update_order(request: Request, order_id: int) -> JSONResponse:
        refused = fault(request)
        if refused is not None:
            return refused
        order = shop.orders.get(order_id)
        if order is None:
            return JSONResponse(
                {"code": "woocommerce_rest_shop_order_invalid_id", "message": "Invalid ID.",
                 "data": {"status": 404}},
                status_code=404,
            )  # fmt: skip
        changes = await request.json()
        with shop.lock:
            if "status" in changes:
                order["status"] = changes["status"]
            for meta in changes.get("meta_data") or []:
                order["meta_data"] = [m for m in order["meta_data"] if m["key"] != meta["key"]]
                order["meta_data"].append(meta)
        return JSONResponse(order)

    @app.post(f"{BASE}/orders/{{order_id}}/notes")
    async def add_note(request: Request, order_id: int) -> JSONResponse:
        refused = fault(request)
        if refused is not None:
            return refused
        if order_id not in shop.orders:
            return JSONResponse({"code": "woocommerce_rest_order_invalid_id"}, status_code=404)
        note = await request.json()
        with shop.lock:
            notes = shop.notes.setdefault(order_id, [])
            created = {"id": len(notes) + 1, **note}
            notes.append(created)
        return JSONResponse(created, status_code=201)

    return app
