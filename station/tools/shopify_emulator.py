"""A Shopify GraphQL Admin API emulator on 127.0.0.1, for the channel tests and benchmark.

It answers the three operations the hub's connector sends, in the shapes of Shopify's public
reference: ``fulfillmentOrders`` (a connection with ``pageInfo``/``edges``, filtered by the
``assigned_location_id:`` search term), ``fulfillmentCreate`` (``fulfillment`` and
``userErrors``) and ``nodes(ids:)`` of fulfilment orders with their ``fulfillments``. Every
answer carries ``extensions.cost``; calls are charged to a leaky bucket
(``maximumAvailable`` points, refilled at ``restoreRate`` per second) and a call the bucket
cannot pay is answered ``THROTTLED`` with no data, as Shopify does. It is not a GraphQL
server: the operation is recognised by its root field, and its arguments come from variables.

``hold_at`` stops the answer to the fulfilment that makes that many (created, not answered:
the moment a sender can be killed with the shop holding more than the sender knows) until
``release`` is set; ``holding`` says it is there.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

API_PATH = "/admin/api/2025-01/graphql.json"
_ROOT = re.compile(r"\{\s*(\w+)\s*\(")


@dataclass
class LeakyBucket:
    """Shopify's cost bucket: ``maximum`` points, refilled at ``restore_rate`` per second."""

    maximum: float = 1000.0
    restore_rate: float = 50.0
    available: float = 1000.0
    _at: float = field(default_factory=time.monotonic)

    def _refill(self) -> None:
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self._at) * self.restore_rate)
        self._at = now

    def take(self, cost: float) -> bool:
        """Charge ``cost`` if the bucket holds it; False (nothing charged) if not."""
        self._refill()
        if cost > self.available:
            return False
        self.available -= cost
        return True

    def drain(self) -> None:
        """Empty the bucket now, as another app on the same shop spending it would."""
        self.available = 0.0
        self._at = time.monotonic()

    def status(self) -> dict[str, float]:
        """The ``throttleStatus`` object of an answer."""
        return {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": round(self.available, 1),
            "restoreRate": self.restore_rate,
        }


@dataclass
class EmulatedShop:
    """The shop's state: fulfilment orders by id, the fulfilments created, the bucket."""

    token: str
    bucket: LeakyBucket = field(default_factory=LeakyBucket)
    fulfillment_orders: dict[str, dict[str, Any]] = field(default_factory=dict)
    fulfillments: list[dict[str, Any]] = field(default_factory=list)
    throttled: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    hold_at: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    _next: int = 1000

    def add_order(
        self,
        name: str,
        lines: list[tuple[str, int]],
        *,
        location_id: str = "gid://shopify/Location/1",
        status: str = "OPEN",
        shipping_title: str = "Standard",
        note: str | None = None,
        currency: str = "EUR",
        country: str = "DE",
    ) -> dict[str, Any]:
        """A new order with one fulfilment order at ``location_id``; returns that node."""
        with self.lock:
            self._next += 1
            n = self._next
        order = {
            "id": f"gid://shopify/Order/{n}",
            "name": name,
            "email": f"customer{n}@example.com",
            "note": note,
            "tags": ["web"],
            "currencyCode": currency,
            "cancelledAt": None,
            "shippingLine": {"title": shipping_title, "code": shipping_title.upper()},
            "shippingAddress": {
                "name": f"Customer {n}",
                "company": None,
                "address1": f"{n} Main Street",
                "address2": None,
                "city": "Berlin",
                "zip": "10115",
                "provinceCode": None,
                "countryCodeV2": country,
                "phone": None,
            },
        }
        node: dict[str, Any] = {
            "id": f"gid://shopify/FulfillmentOrder/{n}",
            "status": status,
            "updatedAt": "2026-12-06T04:00:00Z",
            "assignedLocation": {"location": {"id": location_id}},
            "order": order,
            "lineItems": {
                "edges": [
                    {
                        "node": {
                            "id": f"gid://shopify/FulfillmentOrderLineItem/{n}{i}",
                            "sku": sku,
                            "totalQuantity": qty,
                            "remainingQuantity": qty,
                            "variant": {"barcode": None},
                            "originalUnitPriceSet": {
                                "shopMoney": {"amount": "10.00", "currencyCode": currency}
                            },
                        }
                    }
                    for i, (sku, qty) in enumerate(lines)
                ]
            },
        }
        with self.lock:
            self.fulfillment_orders[str(node["id"])] = node
        return node

    def fulfilments_of(self, order_name: str) -> list[dict[str, Any]]:
        """The fulfilments created for the order named ``order_name``."""
        return [f for f in self.fulfillments if f["orderName"] == order_name]


def _cost(requested: int, status: dict[str, float], actual: int | None) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": status,
        }
    }


def create_shop_app(shop: EmulatedShop) -> FastAPI:
    """The emulator's ASGI app, serving ``shop``."""
    app = FastAPI(title="Shopify Admin API emulator")

    @app.post(API_PATH)
    async def graphql(request: Request) -> JSONResponse:
        if request.headers.get("X-Shopify-Access-Token") != shop.token:
            return JSONResponse(
                {
                    "errors": "[API] Invalid API key or access token (unrecognized login or wrong "
                    "password)"
                },
                status_code=401,
            )
        body = await request.json()
        query = str(body.get("query", ""))
        variables = dict(body.get("variables") or {})
        match = _ROOT.search(query)
        root = match.group(1) if match else ""
        if root == "fulfillmentOrders":
            first = int(variables.get("first", 50))
            requested = 2 + first * 3  # an object per node, its order and a line page
            with shop.lock:
                if not shop.bucket.take(requested):
                    return _throttled(shop, requested)
                data, actual = _fulfillment_orders(shop, first, variables)
                status = shop.bucket.status()
            return JSONResponse({"data": data, "extensions": _cost(requested, status, actual)})
        if root == "fulfillmentCreate":
            requested = 10
            with shop.lock:
                if not shop.bucket.take(requested):
                    return _throttled(shop, requested)
                data = _fulfillment_create(shop, variables)
                status = shop.bucket.status()
                hold = shop.hold_at is not None and len(shop.fulfillments) == shop.hold_at
            if hold:
                shop.holding.set()
                await asyncio.to_thread(shop.release.wait, 60)
            return JSONResponse({"data": data, "extensions": _cost(requested, status, requested)})
        if root == "nodes":
            ids = [str(i) for i in variables.get("ids") or []]
            requested = 1 + 12 * len(ids)
            with shop.lock:
                if not shop.bucket.take(requested):
                    return _throttled(shop, requested)
                data = {"nodes": [_fulfillment_order_node(shop, i) for i in ids]}
                status = shop.bucket.status()
            return JSONResponse({"data": data, "extensions": _cost(requested, status, requested)})
        return JSONResponse(
            {"errors": [{"message": f"Field '{root}' doesn't exist on type 'QueryRoot'"}]},
            status_code=200,
        )

    return app


def _throttled(shop: EmulatedShop, requested: int) -> JSONResponse:
    shop.throttled += 1
    return JSONResponse(
        {
            "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": _cost(requested, shop.bucket.status(), None),
        }
    )


def _fulfillment_orders(
    shop: EmulatedShop, first: int, variables: dict[str, Any]
) -> tuple[dict[str, Any], int]:
    search = str(variables.get("query") or "")
    locations = set(re.findall(r"assigned_location_id:(\S+)", search))
    nodes = [
        n
        for n in shop.fulfillment_orders.values()
        if not locations or n["assignedLocation"]["location"]["id"].rsplit("/", 1)[-1] in locations
    ]
    after = variables.get("after")
    start = 0
    if after:
        ids = [n["id"] for n in nodes]
        start = ids.index(after) + 1 if after in ids else len(ids)
    page = nodes[start : start + first]
    edges = [{"cursor": n["id"], "node": n} for n in page]
    data = {
        "fulfillmentOrders": {
            "pageInfo": {
                "hasNextPage": start + first < len(nodes),
                "endCursor": page[-1]["id"] if page else None,
            },
            "edges": edges,
        }
    }
    return data, 2 + len(page) * 3


def _fulfillment_create(shop: EmulatedShop, variables: dict[str, Any]) -> dict[str, Any]:
    fulfillment = variables.get("fulfillment") or {}
    pairs = fulfillment.get("lineItemsByFulfillmentOrder") or []
    errors = []
    nodes = []
    for pair in pairs:
        node = shop.fulfillment_orders.get(str(pair.get("fulfillmentOrderId")))
        if node is None:
            errors.append(
                {"field": ["fulfillment"], "message": "Fulfillment order does not exist."}
            )
        elif node["status"] in ("CANCELLED", "CLOSED"):
            errors.append(
                {"field": ["fulfillment"], "message": "Fulfillment order is not fulfillable."}
            )
        else:
            nodes.append(node)
    if errors or not nodes:
        return {
            "fulfillmentCreate": {
                "fulfillment": None,
                "userErrors": errors
                or [{"field": ["fulfillment"], "message": "lineItemsByFulfillmentOrder is empty."}],
            }
        }
    tracking = fulfillment.get("trackingInfo") or {}
    created = {
        "id": f"gid://shopify/Fulfillment/{len(shop.fulfillments) + 1}",
        "status": "SUCCESS",
        "orderName": nodes[0]["order"]["name"],
        "fulfillmentOrderIds": [n["id"] for n in nodes],
        "trackingInfo": [
            {
                "company": tracking.get("company"),
                "number": tracking.get("number"),
                "url": tracking.get("url"),
            }
        ],
    }
    shop.fulfillments.append(created)
    for node in nodes:
        node["status"] = "CLOSED"
    public = {k: v for k, v in created.items() if k not in _PRIVATE}
    return {"fulfillmentCreate": {"fulfillment": public, "userErrors": []}}


_PRIVATE = ("orderName", "fulfillmentOrderIds")  # the emulator's own links, not in answers


def _fulfillment_order_node(shop: EmulatedShop, node_id: str) -> dict[str, Any] | None:
    """``nodes(ids:)`` on a fulfilment order: its status and fulfilments (None if unknown)."""
    node = shop.fulfillment_orders.get(node_id)
    if node is None:
        return None
    made = [f for f in shop.fulfillments if node_id in f["fulfillmentOrderIds"]]
    return {
        "id": node_id,
        "status": node["status"],
        "fulfillments": {
            "nodes": [{k: v for k, v in f.items() if k not in _PRIVATE} for f in made]
        },
    }
