"""WooCommerce REST v3 orders -> ``ChannelOrder``; the fields are listed in docs/channels.md."""

from __future__ import annotations

from typing import Any

from station.hub.channels.order import ChannelLine, ChannelOrder, MappingError

# WooCommerce order status -> the hub's; the others (pending payment, completed, refunded,
# failed, draft) are not orders to pack and are not taken.
STATUS = {"processing": "open", "on-hold": "on_hold", "cancelled": "cancelled"}


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s[:limit] or None


def wanted(payload: dict[str, Any]) -> bool:
    """Whether this order is one the hub takes (or must cancel/hold)."""
    return str(payload.get("status")) in STATUS


def map_order(payload: dict[str, Any], channel: str) -> ChannelOrder:
    """One WooCommerce order (``GET /wp-json/wc/v3/orders`` item or order webhook body)."""
    if payload.get("id") is None:
        raise MappingError("WooCommerce order without an id")
    remote_id = str(payload["id"])
    number = _text(payload.get("number"), 64) or remote_id
    status = STATUS.get(str(payload.get("status")))
    if status is None:
        raise MappingError(f"order {number}: status {payload.get('status')!r} is not taken")
    ship = payload.get("shipping") or {}
    billing = payload.get("billing") or {}
    name = " ".join(
        p for p in (_text(ship.get("first_name"), 100), _text(ship.get("last_name"), 100)) if p
    )
    method = (payload.get("shipping_lines") or [{}])[0] or {}
    header: dict[str, Any] = {
        "channel": _text(channel, 64),
        "status": status,
        "ship_method": _text(method.get("method_title"), 64) or "standard",
        "gift_note": _text(payload.get("customer_note"), 2000),
        "currency": _text(payload.get("currency"), 64),
        "customer_name": name or None,
        "email": _text(billing.get("email"), 200),
        "phone": _text(ship.get("phone") or billing.get("phone"), 64),
        "company": _text(ship.get("company"), 200),
        "street1": _text(ship.get("address_1"), 200),
        "street2": _text(ship.get("address_2"), 200),
        "city": _text(ship.get("city"), 100),
        "postcode": _text(ship.get("postcode"), 32),
        "region": _text(ship.get("state"), 100),
        "country": _text(ship.get("country"), 64),
    }
    lines = []
    for item in payload.get("line_items") or []:
        qty = item.get("quantity") if isinstance(item, dict) else None
        if not isinstance(qty, int) or qty <= 0:
            raise MappingError(f"order {number}: a line has no quantity")
        try:
            price = float(item["price"]) if item.get("price") is not None else None
        except (TypeError, ValueError):
            price = None
        lines.append(
            ChannelLine(
                sku=_text(item.get("sku"), 64), barcode=None, quantity=qty, unit_value=price
            )
        )
    if not lines and status != "cancelled":
        raise MappingError(f"order {number}: no lines")
    return ChannelOrder(remote_id, number, status, header, lines, [remote_id])
