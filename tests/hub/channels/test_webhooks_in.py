"""Order webhooks from Shopify and WooCommerce into a real hub on 127.0.0.1, HMAC-checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from station.hub.app import create_app
from station.hub.channels.registry import add_channel
from station.hub.channels.webhooks_in import signature
from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import get_record
from station.hub.models import HubChannelOrder
from tests.hub.channels.shops import load_catalog
from tests.hub.server import running_hub

SECRET = "whsec-test-0123456789"


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[HubDatabase, str]]:
    monkeypatch.setenv("STATION_CHANNEL_SHOP_EU_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("STATION_CHANNEL_WOO_WEBHOOK_SECRET", SECRET)
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    db = open_hub_database(url)
    load_catalog(db, tmp_path)
    add_channel(db, "shop-eu", "shopify", "https://shop-eu.example", ["1"])
    add_channel(db, "woo", "woocommerce", "https://woo.example", [])
    with running_hub(create_app(url, blob_dir=tmp_path / "blobs")) as base:
        yield db, base
    db.close()


def shopify_order(name: str = "#1001", cancelled: bool = False) -> dict[str, Any]:
    return {
        "id": 820982911946154508,
        "admin_graphql_api_id": "gid://shopify/Order/820982911946154508",
        "name": name,
        "email": "jon@example.com",
        "currency": "EUR",
        "note": None,
        "cancelled_at": "2026-12-06T05:00:00Z" if cancelled else None,
        "shipping_lines": [{"title": "Standard"}],
        "shipping_address": {
            "name": "Jon Snow",
            "address1": "1 Wall St",
            "city": "Berlin",
            "zip": "10115",
            "country_code": "DE",
        },
        "line_items": [
            {"id": 1, "sku": "MUG", "quantity": 2, "fulfillable_quantity": 2, "price": "12.50"}
        ],
    }


def woo_order(status: str = "processing") -> dict[str, Any]:
    return {
        "id": 727,
        "number": "727",
        "status": status,
        "currency": "EUR",
        "customer_note": "Leave at the door",
        "billing": {"email": "ana@example.com"},
        "shipping": {
            "first_name": "Ana",
            "last_name": "Lima",
            "address_1": "2 Rua Nova",
            "city": "Porto",
            "postcode": "4000-001",
            "country": "PT",
        },
        "shipping_lines": [{"method_title": "Flat rate"}],
        "line_items": [{"sku": "TEE", "quantity": 1, "price": 20}],
    }


def post(base: str, channel: str, headers: dict[str, str], body: bytes) -> httpx.Response:
    return httpx.post(f"{base}/v1/channels/{channel}/webhook", content=body, headers=headers)


def shopify_headers(
    body: bytes, topic: str = "orders/create", secret: str = SECRET
) -> dict[str, str]:
    return {
        "X-Shopify-Hmac-Sha256": signature(secret, body),
        "X-Shopify-Topic": topic,
        "Content-Type": "application/json",
    }


def order(db: HubDatabase, number: str) -> dict[str, Any] | None:
    with db.read() as s:
        return get_record(s, "order", number)


def test_a_signed_shopify_order_is_taken_once_however_often_it_comes(
    hub: tuple[HubDatabase, str],
) -> None:
    db, base = hub
    body = json.dumps(shopify_order()).encode()
    first = post(base, "shop-eu", shopify_headers(body), body)
    second = post(base, "shop-eu", shopify_headers(body), body)
    assert (first.status_code, first.json()["result"]) == (200, "created")
    assert (second.status_code, second.json()["result"]) == (200, "unchanged")
    record = order(db, "#1001")
    assert record is not None and record["lines"][0]["quantity"] == 2
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(HubChannelOrder)) == 1


def test_a_bad_signature_is_401_and_stores_nothing(hub: tuple[HubDatabase, str]) -> None:
    db, base = hub
    body = json.dumps(shopify_order()).encode()
    forged = post(base, "shop-eu", shopify_headers(body, secret="guessed"), body)
    unsigned = post(base, "shop-eu", {"X-Shopify-Topic": "orders/create"}, body)
    tampered = post(
        base, "shop-eu", shopify_headers(body), body.replace(b'"quantity": 2', b'"quantity": 9')
    )
    assert [r.status_code for r in (forged, unsigned, tampered)] == [401, 401, 401]
    assert forged.json()["error"] == "bad_signature"
    assert order(db, "#1001") is None


def test_orders_cancelled_cancels_the_hub_order(hub: tuple[HubDatabase, str]) -> None:
    db, base = hub
    body = json.dumps(shopify_order()).encode()
    post(base, "shop-eu", shopify_headers(body), body)
    cancel = json.dumps(shopify_order(cancelled=True)).encode()
    answer = post(base, "shop-eu", shopify_headers(cancel, "orders/cancelled"), cancel)
    assert answer.json()["result"] == "updated"
    record = order(db, "#1001")
    assert record is not None and record["status"] == "cancelled"


def test_a_woocommerce_order_webhook_with_its_signature(hub: tuple[HubDatabase, str]) -> None:
    db, base = hub
    body = json.dumps(woo_order()).encode()
    headers = {
        "X-WC-Webhook-Signature": signature(SECRET, body),
        "X-WC-Webhook-Topic": "order.created",
    }
    answer = post(base, "woo", headers, body)
    assert (answer.status_code, answer.json()["result"]) == (200, "created")
    record = order(db, "727")
    assert record is not None
    assert (record["gift_note"], record["ship_method"]) == ("Leave at the door", "Flat rate")
    bad = post(base, "woo", {**headers, "X-WC-Webhook-Signature": "AAAA"}, body)
    assert bad.status_code == 401
    ping = b"webhook_id=12"
    pinged = post(base, "woo", {"X-WC-Webhook-Signature": signature(SECRET, ping)}, ping)
    assert pinged.json() == {"result": "ping"}


def test_a_malformed_order_says_why(hub: tuple[HubDatabase, str]) -> None:
    _db, base = hub
    body = json.dumps({**shopify_order(), "line_items": [{"sku": "MUG"}]}).encode()
    answer = post(base, "shop-eu", shopify_headers(body), body)
    assert answer.status_code == 422
    assert "#1001" in answer.json()["message"]
