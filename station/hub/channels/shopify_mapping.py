"""Shopify fulfilment orders -> ``ChannelOrder``; the fields are listed in docs/channels.md.

A Shopify order can have several fulfilment orders (one per location, or split by Shopify);
those assigned to our locations are merged into one hub order under the order's ``name``
(``#1001``), and their ids are kept to fulfil them later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from station.hub.channels.order import ChannelLine, ChannelOrder, MappingError

# Fulfilment order status -> the hub's order status (CLOSED ones are not asked for).
STATUS = {
    "OPEN": "open",
    "IN_PROGRESS": "open",
    "SCHEDULED": "on_hold",
    "ON_HOLD": "on_hold",
    "INCOMPLETE": "on_hold",
    "CANCELLED": "cancelled",
}


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s[:limit] or None


def group_by_order(nodes: Iterable[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Fulfilment order nodes grouped by their order, in the order first seen."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        order = node.get("order") if isinstance(node, dict) else None
        key = str(order.get("id")) if isinstance(order, dict) else f"?{id(node)}"
        grouped.setdefault(key, []).append(node)
    return list(grouped.values())


def map_order(nodes: list[dict[str, Any]], channel: str) -> ChannelOrder:
    """One Shopify order from its fulfilment orders at our locations."""
    order = nodes[0].get("order") if isinstance(nodes[0], dict) else None
    if not isinstance(order, dict) or not order.get("id"):
        raise MappingError(f"fulfilment order {nodes[0].get('id', '?')}: no order")
    remote_id = str(order["id"])
    number = _text(order.get("name"), 64)
    if number is None:
        raise MappingError(f"order {remote_id}: no name")
    statuses = {STATUS.get(str(n.get("status")), "open") for n in nodes}
    if order.get("cancelledAt") or statuses == {"cancelled"}:
        status = "cancelled"
    elif "on_hold" in statuses:
        status = "on_hold"
    else:
        status = "open"
    address = order.get("shippingAddress") or {}
    shipping = order.get("shippingLine") or {}
    header: dict[str, Any] = {
        "channel": _text(channel, 64),
        "status": status,
        "ship_method": _text(shipping.get("title"), 64) or "standard",
        "gift_note": _text(order.get("note"), 2000),
        "currency": _text(order.get("currencyCode"), 64),
        "customer_name": _text(address.get("name"), 200),
        "email": _text(order.get("email"), 200),
        "phone": _text(address.get("phone"), 64),
        "company": _text(address.get("company"), 200),
        "street1": _text(address.get("address1"), 200),
        "street2": _text(address.get("address2"), 200),
        "city": _text(address.get("city"), 100),
        "postcode": _text(address.get("zip"), 32),
        "region": _text(address.get("provinceCode"), 100),
        "country": _text(address.get("countryCodeV2"), 64),
    }
    lines: list[ChannelLine] = []
    for node in nodes:
        for edge in (node.get("lineItems") or {}).get("edges") or []:
            item = edge.get("node") or {}
            qty = item.get("remainingQuantity", item.get("totalQuantity"))
            if not isinstance(qty, int) or qty < 0:
                raise MappingError(f"order {number}: line {item.get('id')} has no quantity")
            if qty == 0:
                continue  # already fulfilled elsewhere
            price = ((item.get("originalUnitPriceSet") or {}).get("shopMoney") or {}).get("amount")
            try:
                unit_value = float(price) if price is not None else None
            except ValueError:
                unit_value = None
            lines.append(
                ChannelLine(
                    sku=_text(item.get("sku"), 64),
                    barcode=_text((item.get("variant") or {}).get("barcode"), 64),
                    quantity=qty,
                    unit_value=unit_value,
                )
            )
    if not lines and status != "cancelled":
        raise MappingError(f"order {number}: no line left to fulfil")
    return ChannelOrder(
        remote_id=remote_id,
        number=number,
        status=status,
        header=header,
        lines=lines,
        remote_refs=sorted(str(n["id"]) for n in nodes),
    )


def map_webhook_order(payload: dict[str, Any], channel: str) -> ChannelOrder:
    """An ``orders/create`` / ``orders/cancelled`` webhook's order (the REST shape).

    It maps to exactly what a poll of the same order gives, so that the order received both
    ways is seen as the same content. The webhook carries no fulfilment order ids; a later
    poll adds them (they are needed only to send tracking back).
    """
    remote_id = _text(payload.get("admin_graphql_api_id"), 200)
    if remote_id is None and payload.get("id") is not None:
        remote_id = f"gid://shopify/Order/{payload['id']}"
    if remote_id is None:
        raise MappingError("webhook order without an id")
    address = payload.get("shipping_address") or {}
    shipping = (payload.get("shipping_lines") or [{}])[0] or {}
    node: dict[str, Any] = {
        "id": f"webhook:{remote_id}",
        "status": "CANCELLED" if payload.get("cancelled_at") else "OPEN",
        "order": {
            "id": remote_id,
            "name": payload.get("name"),
            "email": payload.get("email"),
            "note": payload.get("note"),
            "currencyCode": payload.get("currency"),
            "cancelledAt": payload.get("cancelled_at"),
            "shippingLine": {"title": shipping.get("title")},
            "shippingAddress": {
                "name": address.get("name"),
                "company": address.get("company"),
                "address1": address.get("address1"),
                "address2": address.get("address2"),
                "city": address.get("city"),
                "zip": address.get("zip"),
                "provinceCode": address.get("province_code"),
                "countryCodeV2": address.get("country_code"),
                "phone": address.get("phone"),
            },
        },
        "lineItems": {
            "edges": [
                {
                    "node": {
                        "id": item.get("id"),
                        "sku": item.get("sku"),
                        "remainingQuantity": item.get("fulfillable_quantity", item.get("quantity")),
                        "variant": {"barcode": None},
                        "originalUnitPriceSet": {"shopMoney": {"amount": item.get("price")}},
                    }
                }
                for item in payload.get("line_items") or []
                if isinstance(item, dict)
            ]
        },
    }
    order = map_order([node], channel)
    order.remote_refs = []
    return order
