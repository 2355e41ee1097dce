"""WooCommerce orders polled into the hub, and completed with tracking: emulator on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.hub.channels.errors import ChannelAuthError
from station.hub.channels.outbound import dispatch_fulfilments, package_shipped
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.channels.woocommerce import TRACKING_META
from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import get_record
from tests.hub.channels.shops import WOO_KEY, WOO_SECRET, load_catalog, woocommerce

ENV = {"STATION_CHANNEL_WOO_TOKEN": f"{WOO_KEY}:{WOO_SECRET}"}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubDatabase]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    load_catalog(db, tmp_path)
    yield db
    db.close()


def test_processing_orders_are_taken_across_pages_through_a_500(hub: HubDatabase) -> None:
    with woocommerce() as (shop, url):
        add_channel(hub, "woo", "woocommerce", url, [])
        for n in range(230):
            shop.add_order(f"WC-{n}", [("TEE", 1)])
        shop.add_order("WC-PENDING", [("TEE", 1)], status="pending")
        shop.fail_next = 1  # the first page fails once, then answers
        report = sync_channel(hub, "woo", ENV)
    assert len(report.taken.created) == 230
    with hub.read() as s:
        assert get_record(s, "order", "WC-PENDING") is None
        record = get_record(s, "order", "WC-7")
    assert record is not None and record["channel"] == "woo"


def test_a_wrong_key_says_so(hub: HubDatabase) -> None:
    with woocommerce() as (_shop, url):
        add_channel(hub, "woo", "woocommerce", url, [])
        with pytest.raises(ChannelAuthError, match="woo: the shop refused the consumer key"):
            sync_channel(hub, "woo", {"STATION_CHANNEL_WOO_TOKEN": "ck_x:cs_y"})


def test_shipping_completes_the_order_with_a_tracking_note_and_meta(hub: HubDatabase) -> None:
    with woocommerce() as (shop, url):
        add_channel(hub, "woo", "woocommerce", url, [])
        order = shop.add_order("WC-1", [("TEE", 1)])
        sync_channel(hub, "woo", ENV)
        with hub.write() as s:
            package_shipped(s, "WC-1", 1, "DHL", "JD0146000012345", "https://dhl.example/JD01")
        report = dispatch_fulfilments(hub, "woo", ENV)
        again = dispatch_fulfilments(hub, "woo", ENV)
    assert (report.sent, again.sent) == (["WC-1/1"], [])
    assert order["status"] == "completed"
    notes = shop.notes[order["id"]]
    assert len(notes) == 1 and "JD0146000012345" in notes[0]["note"] and notes[0]["customer_note"]
    meta = {m["key"]: m["value"] for m in order["meta_data"]}
    assert meta[TRACKING_META][0]["tracking_number"] == "JD0146000012345"
    assert meta[TRACKING_META][0]["tracking_provider"] == "DHL"
