"""Polling a shop for its orders: ``station hub channels sync``.

For shops that cannot call the hub's webhooks, and to catch any webhook that was lost. Orders
are taken in batches of ``BATCH`` (one hub transaction each), so a long first sync commits as
it goes and a restart repeats only the batch under way (taking an order twice is harmless).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import update

from station.hub.channels import woocommerce_mapping
from station.hub.channels.errors import ChannelError
from station.hub.channels.order import ChannelOrder, MappingError
from station.hub.channels.registry import ChannelInfo, get_channel
from station.hub.channels.secrets import channel_secrets
from station.hub.channels.shopify import ShopifyClient
from station.hub.channels.shopify_mapping import group_by_order, map_order
from station.hub.channels.store import TakeReport, take_orders
from station.hub.channels.woocommerce import WooClient
from station.hub.db import HubDatabase
from station.hub.models import HubChannel, utcnow

BATCH = 1000


@dataclass
class SyncReport:
    """What a sync did: the take report, orders the mapping refused, and where time went."""

    channel: str
    taken: TakeReport = field(default_factory=TakeReport)
    malformed: dict[str, str] = field(default_factory=dict)  # shop order id -> why
    throttle_wait_s: float = 0.0
    hub_s: float = 0.0  # the hub's own time: mapping and taking, no network, no throttle
    hub_ms_per_order: list[float] = field(default_factory=list)


def sync_channel(
    hub: HubDatabase, name: str, environ: Mapping[str, str] | None = None
) -> SyncReport:
    """Fetch the channel's open orders and take them; ChannelError if the shop fails."""
    info = get_channel(hub, name)
    secrets = channel_secrets(name, environ)
    if not secrets.token:
        raise ChannelError(f"{name}: no token (set STATION_CHANNEL_..._TOKEN or the secrets file)")
    if info.kind == "shopify":
        return _sync_shopify(hub, info, secrets.token)
    return _sync_woocommerce(hub, info, secrets.token)


def _sync_shopify(hub: HubDatabase, info: ChannelInfo, token: str) -> SyncReport:
    report = SyncReport(info.name)
    client = ShopifyClient.open(info.name, info.base_url, token)
    try:
        nodes = list(client.fulfillment_orders(info.location_ids))
    finally:
        client.close()
    report.throttle_wait_s = client.throttle.waited_s
    orders: list[ChannelOrder] = []
    started = time.perf_counter()
    for group in group_by_order(nodes):
        try:
            orders.append(map_order(group, info.name))
        except MappingError as exc:
            report.malformed[str(group[0].get("id", "?"))] = str(exc)
    _take_batches(hub, info, orders, report, started)
    return report


def _sync_woocommerce(hub: HubDatabase, info: ChannelInfo, token: str) -> SyncReport:
    report = SyncReport(info.name)
    client = WooClient.open(info.name, info.base_url, token)
    try:
        items = list(client.processing_orders())
    finally:
        client.close()
    orders: list[ChannelOrder] = []
    started = time.perf_counter()
    for item in items:
        if not woocommerce_mapping.wanted(item):
            continue
        try:
            orders.append(woocommerce_mapping.map_order(item, info.name))
        except MappingError as exc:
            report.malformed[str(item.get("id", "?"))] = str(exc)
    _take_batches(hub, info, orders, report, started)
    return report


def _take_batches(
    hub: HubDatabase,
    info: ChannelInfo,
    orders: list[ChannelOrder],
    report: SyncReport,
    started: float,
) -> None:
    for start in range(0, len(orders), BATCH):
        batch = orders[start : start + BATCH]
        t0 = time.perf_counter()
        report.taken.merge(take_orders(hub, info.name, batch))
        per_order = (time.perf_counter() - t0) * 1000 / len(batch)
        report.hub_ms_per_order.extend([per_order] * len(batch))
    report.hub_s = time.perf_counter() - started
    # Stamped once the shop's whole list was taken: the console's "last sync" of the channel.
    with hub.write() as session:
        session.execute(
            update(HubChannel).where(HubChannel.name == info.name).values(last_sync_at=utcnow())
        )
