"""Tracking out, batched, and still never sent twice: the dispatching process is killed
(SIGKILL) mid-batch, with the shop holding one more fulfilment than the hub was told of.

The dispatch is ``station hub channels sync`` in a process of its own, against the Shopify
emulator on 127.0.0.1, which stops answering the third fulfilment it creates until the
process is dead. The next dispatch finds the batch in doubt, asks the shop, and sends only
what the shop does not hold.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from station.hub.channels.outbound import dispatch_fulfilments, package_shipped
from station.hub.channels.registry import add_channel
from station.hub.channels.sync import sync_channel
from station.hub.db import open_hub_database
from station.hub.models import HubChannelFulfilment
from station.tools.shopify_emulator import EmulatedShop, create_shop_app
from tests.hub.channels.shops import LOCATION, TOKEN, load_catalog
from tests.hub.server import running_hub

ENV = {"STATION_CHANNEL_SHOP_EU_TOKEN": TOKEN}
ORDERS = [f"SO-70{n:02d}" for n in range(6)]
CLI = (sys.executable, "-m", "station.cli.main")


def statuses(url: str) -> dict[str, str]:
    hub = open_hub_database(url)
    try:
        with hub.read() as s:
            rows = s.scalars(select(HubChannelFulfilment)).all()
            return {r.order_number: r.status for r in rows}
    finally:
        hub.close()


def test_a_dispatch_killed_mid_batch_sends_each_fulfilment_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'hub.sqlite'}"
    hub = open_hub_database(url)
    shop = EmulatedShop(token=TOKEN, hold_at=3)
    try:
        load_catalog(hub, tmp_path)
        with running_hub(create_shop_app(shop)) as shop_url:
            add_channel(hub, "shop-eu", "shopify", shop_url, [LOCATION])
            for number in ORDERS:
                shop.add_order(number, [("MUG", 1)])
            sync_channel(hub, "shop-eu", ENV)
            with hub.write() as s:
                for number in ORDERS:
                    package_shipped(s, number, 1, "DHL", f"JD{number[-4:]}", None)
            proc = subprocess.Popen(
                [*CLI, "hub", "channels", "sync", "--channel", "shop-eu", "--db", url],
                env={**os.environ, **ENV, "XDG_DATA_HOME": str(tmp_path / "data")},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                assert shop.holding.wait(60), "the dispatch never reached the third fulfilment"
            finally:
                proc.kill()
                proc.wait(timeout=30)
            # The shop created three; the hub's one batch is wholly in doubt.
            assert len(shop.fulfillments) == 3
            assert set(statuses(url).values()) == {"sending"}
            shop.release.set()
            report = dispatch_fulfilments(hub, "shop-eu", ENV)
            again = dispatch_fulfilments(hub, "shop-eu", ENV)
    finally:
        hub.close()
    assert sorted(report.reconciled) == [f"{n}/1" for n in ORDERS[:3]]
    assert sorted(report.sent) == [f"{n}/1" for n in ORDERS[3:]]
    assert (again.sent, again.reconciled) == ([], [])
    for number in ORDERS:
        made = shop.fulfilments_of(number)
        assert [f["trackingInfo"][0]["number"] for f in made] == [f"JD{number[-4:]}"], number
    assert set(statuses(url).values()) == {"sent"}
