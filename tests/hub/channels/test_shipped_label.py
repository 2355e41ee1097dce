"""A label bought through the hub's shipping service tells the shop: ``package_shipped`` is
recorded with the purchase, and the shop ends with exactly one fulfilment carrying the
carrier's tracking number, a replayed buy included.

Real parts: the hub on 127.0.0.1 with karrio's USPS connector against the carrier emulator,
and the Shopify emulator the channel is pointed at.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import select

from station.hub.channels.outbound import dispatch_fulfilments
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.channels.webhooks_out import add_subscription
from station.hub.models import HubChannelFulfilment, HubWebhookDelivery
from station.tools.carrier_emulator import CarrierEmulator
from tests.hub.channels.shops import LOCATION, TOKEN, load_catalog, shopify
from tests.hub.shipping.shipfixtures import emulator, start_ship_hub

__all__ = ["emulator"]  # the carrier emulator fixture

ENV = {"STATION_CHANNEL_SHOP_EU_TOKEN": TOKEN}


def test_a_bought_label_ends_as_one_fulfilment_with_its_tracking(
    tmp_path: Path, emulator: CarrierEmulator
) -> None:
    with ExitStack() as stack, shopify() as (shop, shop_url):
        hub = start_ship_hub(stack, tmp_path / "hub", emulator)
        load_catalog(hub.db, tmp_path)
        add_channel(hub.db, "shop-eu", "shopify", shop_url, [LOCATION])
        add_subscription(hub.db, "erp", "https://erp.example/hooks", ["package.shipped"])
        shop.add_order("SO-6001", [("MUG", 1)])
        assert sync_channel(hub.db, "shop-eu", ENV).taken.created == ["SO-6001"]

        body = {**hub.package("SO-6001"), "idempotency_key": "bench-1:SO-6001:1:a"}
        bought = hub.client.post("/v1/ship/buy", json=body)
        assert bought.status_code == 200, bought.text
        tracking = bought.json()["tracking_number"]
        assert tracking
        replayed = hub.client.post("/v1/ship/buy", json=body)  # the station asks again
        assert replayed.status_code == 200 and replayed.json()["tracking_number"] == tracking

        with hub.db.read() as s:
            rows = [
                (r.order_number, r.package_no, r.carrier, r.tracking_number, r.status)
                for r in s.scalars(select(HubChannelFulfilment))
            ]
            announced = [(d.event, d.payload) for d in s.scalars(select(HubWebhookDelivery))]
        assert rows == [("SO-6001", 1, "usps", tracking, "pending")]
        assert announced == [
            (
                "package.shipped",
                {
                    "order": "SO-6001",
                    "package": 1,
                    "carrier": "usps",
                    "tracking_number": tracking,
                    "tracking_url": None,
                },
            )
        ]

        sent = dispatch_fulfilments(hub.db, "shop-eu", ENV)
        again = dispatch_fulfilments(hub.db, "shop-eu", ENV)
    assert (sent.sent, again.sent) == (["SO-6001/1"], [])
    [fulfilment] = shop.fulfilments_of("SO-6001")
    assert fulfilment["trackingInfo"][0]["number"] == tracking
    assert fulfilment["trackingInfo"][0]["company"] == "usps"
