"""An order created in the emulated shop, packed at a station, fulfilled back with tracking.

The hub runs for real on 127.0.0.1, the station packs with its real engine, and the shop is
the emulator: what is checked is what the shop ends up holding.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

import httpx
import pytest
from sqlalchemy import select

from station.hub.channels.outbound import dispatch_fulfilments, package_shipped
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.channels.webhooks_in import signature
from station.hub.db import open_hub_database
from station.hub.models import HubChannel
from tests.hub.channels.shops import LOCATION, TOKEN, shopify
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import MUG
from tests.sync.events import add_event
from tests.sync.test_pull import pack

ENV = {"STATION_CHANNEL_SHOP_EU_TOKEN": TOKEN}
Make = Callable[[str], StationUnderTest]


def last_sync(hub: HubUnderTest, name: str) -> datetime | None:
    """When the channel's orders were last polled, as the console shows it."""
    with hub.db.read() as s:
        return s.scalar(select(HubChannel.last_sync_at).where(HubChannel.name == name))


def webhook_of(node: dict[str, object]) -> bytes:
    """The orders/create body Shopify sends for the emulated order behind ``node``."""
    order = node["order"]
    assert isinstance(order, dict)
    address = order["shippingAddress"]
    lines = node["lineItems"]["edges"]  # type: ignore[index]
    return json.dumps(
        {
            "id": int(order["id"].rsplit("/", 1)[-1]),
            "admin_graphql_api_id": order["id"],
            "name": order["name"],
            "email": order["email"],
            "note": order["note"],
            "currency": order["currencyCode"],
            "cancelled_at": None,
            "shipping_lines": [{"title": order["shippingLine"]["title"]}],
            "shipping_address": {
                "name": address["name"],
                "company": address["company"],
                "address1": address["address1"],
                "address2": address["address2"],
                "city": address["city"],
                "zip": address["zip"],
                "province_code": address["provinceCode"],
                "country_code": address["countryCodeV2"],
                "phone": address["phone"],
            },
            "line_items": [
                {
                    "id": i,
                    "sku": e["node"]["sku"],
                    "quantity": e["node"]["totalQuantity"],
                    "fulfillable_quantity": e["node"]["remainingQuantity"],
                    "price": e["node"]["originalUnitPriceSet"]["shopMoney"]["amount"],
                }
                for i, e in enumerate(lines)
            ],
        }
    ).encode()


def test_a_shop_order_packed_at_a_station_ends_as_one_fulfilment_with_tracking(
    hub: HubUnderTest, make_station: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STATION_CHANNEL_SHOP_EU_WEBHOOK_SECRET", "whsec")
    with shopify() as (shop, shop_url):
        add_channel(hub.db, "shop-eu", "shopify", shop_url, [LOCATION])
        node = shop.add_order("SO-5001", [("MUG", 1)])
        body = webhook_of(node)
        headers = {
            "X-Shopify-Hmac-Sha256": signature("whsec", body),
            "X-Shopify-Topic": "orders/create",
        }
        answers = [
            httpx.post(f"{hub.url}/v1/channels/shop-eu/webhook", content=body, headers=headers)
            for _ in range(2)  # delivered twice, as Shopify may
        ]
        assert [a.json()["result"] for a in answers] == ["created", "unchanged"]
        assert last_sync(hub, "shop-eu") is None  # a webhook is no poll
        polled = sync_channel(hub.db, "shop-eu", ENV)  # the poll finds the same order
        assert polled.taken.unchanged == ["SO-5001"]
        # The console's "last sync" of the channel.
        assert last_sync(hub, "shop-eu") is not None

        station = make_station("bench-1")
        station.sync()
        pack(station, "SO-5001", MUG)
        station.sync()  # pack.completed reaches the hub
        # What the hub's shipping service does when it has bought the label:
        with hub.db.write() as s:
            package_shipped(s, "SO-5001", 1, "DHL", "JD0146000099999", "https://dhl.example/t")
        # The hub restarts before sending: the fulfilment waits in its database.
        restarted = open_hub_database(hub.db.url)
        try:
            sent = dispatch_fulfilments(restarted, "shop-eu", ENV)
            again = dispatch_fulfilments(restarted, "shop-eu", ENV)
        finally:
            restarted.close()
    assert (sent.sent, again.sent) == (["SO-5001/1"], [])
    fulfilments = shop.fulfilments_of("SO-5001")
    assert len(fulfilments) == 1
    assert fulfilments[0]["trackingInfo"] == [
        {"company": "DHL", "number": "JD0146000099999", "url": "https://dhl.example/t"}
    ]


def test_a_pack_completed_carrying_tracking_records_the_fulfilment(
    hub: HubUnderTest, make_station: Make
) -> None:
    with shopify() as (shop, shop_url):
        add_channel(hub.db, "shop-eu", "shopify", shop_url, [LOCATION])
        shop.add_order("SO-5002", [("MUG", 1)])
        sync_channel(hub.db, "shop-eu", ENV)
        station = make_station("bench-1")
        station.sync()
        add_event(
            station.db,
            "pack.completed",
            {
                "order": "SO-5002",
                "station": "bench-1",
                "packages": 1,
                "carrier": "UPS",
                "tracking_number": "1Z999AA10123456784",
            },
        )
        station.sync()
        report = dispatch_fulfilments(hub.db, "shop-eu", ENV)
    assert report.sent == ["SO-5002/1"]
    assert shop.fulfilments_of("SO-5002")[0]["trackingInfo"][0]["number"] == "1Z999AA10123456784"


def test_a_refused_fulfilment_is_kept_as_failed_with_the_shops_reason(
    hub: HubUnderTest,
) -> None:
    with shopify() as (shop, shop_url):
        add_channel(hub.db, "shop-eu", "shopify", shop_url, [LOCATION])
        node = shop.add_order("SO-5003", [("MUG", 1)])
        sync_channel(hub.db, "shop-eu", ENV)
        node["status"] = "CANCELLED"  # cancelled in the shop after we took it
        with hub.db.write() as s:
            package_shipped(s, "SO-5003", 1, "DHL", "JD1", None)
        report = dispatch_fulfilments(hub.db, "shop-eu", ENV)
    assert "not fulfillable" in report.failed["SO-5003/1"]
    assert shop.fulfilments_of("SO-5003") == []
