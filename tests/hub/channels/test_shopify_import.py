"""Shopify orders into the hub by polling: the emulator on 127.0.0.1, the real hub database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from station.hub.channels.errors import ChannelAuthError
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.db import HubDatabase, open_hub_database
from station.hub.feed import get_record, put_records
from station.hub.models import HubConflict
from station.tools.shopify_emulator import LeakyBucket
from tests.hub.channels.shops import LOCATION, TOKEN, load_catalog, shopify

ENV = {"STATION_CHANNEL_SHOP_EU_TOKEN": TOKEN}


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubDatabase]:
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    load_catalog(db, tmp_path)
    yield db
    db.close()


def order(hub: HubDatabase, number: str) -> dict[str, object] | None:
    with hub.read() as s:
        return get_record(s, "order", number)


def conflicts(hub: HubDatabase) -> list[tuple[str, str | None]]:
    with hub.read() as s:
        return [(c.kind, c.order_number) for c in s.scalars(select(HubConflict))]


def test_orders_at_our_location_are_imported_mapped_field_by_field(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        shop.add_order(
            "#1001",
            [("MUG", 2), ("TEE", 1)],
            shipping_title="Express",
            note="Happy birthday",
            currency="GBP",
            country="GB",
        )
        shop.add_order("#1002", [("MUG", 1)], location_id="gid://shopify/Location/2")
        report = sync_channel(hub, "shop-eu", ENV)
    assert report.taken.created == ["#1001"]
    record = order(hub, "#1001")
    assert record is not None
    assert record["channel"] == "shop-eu"
    assert record["status"] == "open"
    assert record["ship_method"] == "Express"
    assert record["gift_note"] == "Happy birthday"
    assert record["currency"] == "GBP"
    lines = record["lines"]
    assert isinstance(lines, list)
    assert [(ln["sku"], ln["quantity"]) for ln in lines] == [("MUG", 2), ("TEE", 1)]
    ship_to = record["ship_to"]
    assert isinstance(ship_to, dict)
    assert (ship_to["city"], ship_to["country"], ship_to["postcode"]) == ("Berlin", "GB", "10115")
    assert order(hub, "#1002") is None  # another location's


def test_the_same_order_twice_is_one_order_and_an_edit_updates_it(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        node = shop.add_order("#1001", [("MUG", 2)])
        first = sync_channel(hub, "shop-eu", ENV)
        again = sync_channel(hub, "shop-eu", ENV)
        node["lineItems"]["edges"][0]["node"]["remainingQuantity"] = 3
        edited = sync_channel(hub, "shop-eu", ENV)
    assert (first.taken.created, again.taken.unchanged, edited.taken.updated) == (
        ["#1001"],
        ["#1001"],
        ["#1001"],
    )
    record = order(hub, "#1001")
    assert record is not None and record["lines"][0]["quantity"] == 3  # type: ignore[index]


def test_an_edit_after_packing_is_a_conflict_not_an_overwrite(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        node = shop.add_order("#1001", [("MUG", 2)])
        sync_channel(hub, "shop-eu", ENV)
        with hub.write() as s:  # what the ingest of a pack.completed does to the record
            packed = get_record(s, "order", "#1001")
            assert packed is not None
            packed.update(status="packed", packed_by="bench-1")
            put_records(s, "order", [("#1001", packed)])
        node["lineItems"]["edges"][0]["node"]["remainingQuantity"] = 5
        report = sync_channel(hub, "shop-eu", ENV)
        sync_channel(hub, "shop-eu", ENV)  # polled again: still one conflict
    assert "#1001" in report.taken.refused
    record = order(hub, "#1001")
    assert record is not None and record["lines"][0]["quantity"] == 2  # type: ignore[index]
    assert conflicts(hub) == [("channel_changed_after_packing", "#1001")]


def test_an_unknown_sku_is_reported_and_the_other_orders_are_taken(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        shop.add_order("#1001", [("MUG", 1), ("NOT-IN-CATALOG", 1)])
        shop.add_order("#1002", [("TEE", 1)])
        report = sync_channel(hub, "shop-eu", ENV)
        sync_channel(hub, "shop-eu", ENV)
    assert report.taken.created == ["#1002"]
    assert "NOT-IN-CATALOG" in report.taken.refused["#1001"]
    assert order(hub, "#1001") is None
    assert conflicts(hub) == [("channel_unknown_sku", "#1001")]
    with hub.read() as s:
        detail = s.scalars(select(HubConflict.detail)).one()
    assert detail["skus"] == ["NOT-IN-CATALOG"]


def test_an_order_the_importer_refuses_is_reported_and_the_rest_taken(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        shop.add_order("#1001", [("MUG", 1)], country="Germany")
        shop.add_order("#1002", [("TEE", 1)])
        report = sync_channel(hub, "shop-eu", ENV)
    assert report.taken.created == ["#1002"]
    assert "country" in report.taken.refused["#1001"]
    assert conflicts(hub) == [("channel_invalid_order", "#1001")]


def test_a_cancellation_and_a_hold_reach_the_feed(hub: HubDatabase) -> None:
    with shopify() as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        one = shop.add_order("#1001", [("MUG", 1)])
        two = shop.add_order("#1002", [("TEE", 1)])
        sync_channel(hub, "shop-eu", ENV)
        one["status"] = "CANCELLED"
        one["order"]["cancelledAt"] = "2026-12-06T05:00:00Z"
        two["status"] = "ON_HOLD"
        report = sync_channel(hub, "shop-eu", ENV)
    assert sorted(report.taken.updated) == ["#1001", "#1002"]
    with hub.read() as s:
        from station.hub.feed import pull_page

        page = pull_page(s, None, 100)
    statuses = {c.key: c.data["status"] for c in page.changes if c.entity == "order" and c.data}
    assert statuses == {"#1001": "cancelled", "#1002": "on_hold"}


def test_pages_are_followed_and_the_throttle_is_respected(hub: HubDatabase) -> None:
    # A bucket of 400 points refilled at 2000/s: a 152-point page fits twice, then waits.
    bucket = LeakyBucket(maximum=400, restore_rate=2000, available=400)
    with shopify(bucket) as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        for n in range(230):
            shop.add_order(f"#{2000 + n}", [("MUG", 1)])
        report = sync_channel(hub, "shop-eu", ENV)
    assert len(report.taken.created) == 230
    assert report.throttle_wait_s > 0
    assert shop.throttled == 0  # waited before asking, not refused


def test_a_wrong_token_says_so(hub: HubDatabase) -> None:
    with shopify() as (_shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        with pytest.raises(ChannelAuthError, match="shop-eu: the shop refused the access token"):
            sync_channel(hub, "shop-eu", {"STATION_CHANNEL_SHOP_EU_TOKEN": "wrong"})


def test_a_throttled_answer_is_waited_out_and_the_call_repeated(hub: HubDatabase) -> None:
    # Another app on the shop has emptied the bucket: the first call is answered THROTTLED.
    bucket = LeakyBucket(maximum=400, restore_rate=100)
    with shopify(bucket) as (shop, url):
        add_channel(hub, "shop-eu", "shopify", url, [LOCATION])
        shop.add_order("#3000", [("MUG", 1)])
        bucket.drain()
        report = sync_channel(hub, "shop-eu", ENV)
    assert shop.throttled >= 1
    assert report.taken.created == ["#3000"]
    assert report.throttle_wait_s > 0
