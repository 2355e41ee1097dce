"""The demo hub's carriers (what ``./dev start`` configures): a demo order to Europe and one
to the US each get a label by their ship method's rule, through the carriers file the hub
reads, against the emulator."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from station.hub.shipping.config import ShippingConfig
from station.tools.carrier_emulator import CarrierEmulator
from station.tools.carrier_emulator.demo import write_demo_carriers
from station.tools.demo.orders import write_orders
from tests.hub.shipping.shipfixtures import SHIP_FROM, ShipHub, start_ship_hub

EU = {"DE", "FR", "NL", "AT", "IT", "ES", "PL", "DK"}
DEV = Path(__file__).resolve().parents[3] / "dev"


@pytest.fixture(scope="module")
def demo_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShipHub]:
    folder = tmp_path_factory.mktemp("demo")
    with ExitStack() as stack:
        emulator = stack.enter_context(CarrierEmulator())
        carriers = folder / "demo-carriers.toml"
        write_demo_carriers(carriers, emulator.url)
        assert carriers.stat().st_mode & 0o777 == 0o600
        config = ShippingConfig.load(carriers, environ={})
        yield start_ship_hub(stack, folder / "hub", emulator, config=config)


@pytest.fixture(scope="module")
def demo_orders(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    path = tmp_path_factory.mktemp("orders") / "orders.csv"
    write_orders(path, 400, ["DEMO-SKU-1"], seed=7)
    with path.open(encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["order_number"]]


def _package(order: dict[str, str]) -> dict[str, Any]:
    ship_to = {
        k: order[k] for k in ("customer_name", "street1", "city", "postcode", "country", "phone")
    }
    if order["region"]:
        ship_to["region"] = order["region"]
    return {
        "order_number": order["order_number"],
        "package_no": 1,
        "weight_g": 900,
        "dims_mm": [250, 180, 90],
        "ship_to": ship_to,
        "ship_method": order["ship_method"],
        "idempotency_key": f"demo:{order['order_number']}:1",
    }


@pytest.mark.parametrize(("where", "carrier"), [("eu", "dhl_express"), ("us", "usps")])
def test_a_demo_order_gets_a_label_from_the_carrier_serving_its_destination(
    demo_hub: ShipHub, demo_orders: list[dict[str, str]], where: str, carrier: str
) -> None:
    order = next(
        o for o in demo_orders if (o["country"] in EU if where == "eu" else o["country"] == "US")
    )
    rates = demo_hub.client.post("/v1/ship/rates", json=_package(order))
    assert rates.status_code == 200, rates.text
    assert {r["carrier"] for r in rates.json()["rates"]} == {carrier}
    bought = demo_hub.client.post("/v1/ship/buy", json=_package(order))  # the rule's choice
    assert bought.status_code == 200, bought.text
    assert bought.json()["carrier"] == carrier
    label = demo_hub.client.get(f"/v1/ship/label/{order['order_number']}/1")
    assert label.content.startswith(b"^XA")
    assert bought.json()["tracking_number"].encode() in label.content


def test_most_demo_orders_go_where_the_demo_carriers_serve(
    demo_orders: list[dict[str, str]],
) -> None:
    countries = [o["country"] for o in demo_orders]
    assert sum(c in EU for c in countries) > len(countries) / 2


def test_the_demo_site_ships_from_where_dev_start_says() -> None:
    text = DEV.read_text(encoding="utf-8")
    assert f"--postcode {SHIP_FROM['postcode']}" in text
    assert f"--country {SHIP_FROM['country']}" in text
    assert "carrier_emulator --carriers" in text
