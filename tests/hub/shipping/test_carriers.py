"""Every configured carrier through the hub's /v1/ship API against the carrier emulator:
USPS, UPS, FedEx, DHL Express and DHL Parcel DE over their real request formats (karrio's
connectors, hosts pointed at 127.0.0.1), and karrio's generic carrier (no HTTP at all).
Rates, buy, the label's bytes and void per carrier; every fault mode per HTTP carrier; the
carrier's Retry-After passed on. One emulator and one hub for the module."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from station.hub.admin import enrol_code
from station.hub.db import open_hub_database
from station.hub.shipping.config import ShippingConfig
from station.hub.shipping.service import ShippingService
from station.hub.sites import put_site
from station.ship.protocol import BuyRequest
from station.sync.records import ShipToRecord
from station.tools.carrier_emulator import CarrierEmulator, Fault
from tests.hub.shipping.shipfixtures import (
    DE_SHIP_FROM,
    DE_SHIP_TO,
    FR_SHIP_TO,
    SECRET,
    SHIP_FROM,
    SHIP_TO,
    ShipHub,
    carrier_account,
    start_ship_hub,
)

# (account, site, destination): the US site ships with USPS and generic at home, UPS, FedEx
# and DHL Express abroad; the Berlin site ships DHL Parcel DE at home.
ACCOUNTS = {
    "usps": ("main", SHIP_TO),
    "ups": ("main", FR_SHIP_TO),
    "fedex": ("main", FR_SHIP_TO),
    "dhl_express": ("main", FR_SHIP_TO),
    "generic": ("main", SHIP_TO),
    "dhl_parcel_de": ("berlin", DE_SHIP_TO),
}
HTTP_CARRIERS = ("usps", "ups", "fedex", "dhl_express", "dhl_parcel_de")


class Carriers:
    """The module's hub: a client per site's station, and the emulator."""

    def __init__(self, hub: ShipHub, berlin: httpx.Client) -> None:
        self.hub = hub
        self.emulator = hub.emulator
        self.clients = {"main": hub.client, "berlin": berlin}

    def client(self, carrier: str) -> httpx.Client:
        return self.clients[ACCOUNTS[carrier][0]]

    def package(self, carrier: str, order: str, **extra: Any) -> dict[str, Any]:
        return {
            "order_number": order,
            "package_no": 1,
            "weight_g": 1200,
            "dims_mm": [300, 200, 100],
            "ship_to": ACCOUNTS[carrier][1],
            **extra,
        }


@pytest.fixture(scope="module")
def carriers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Carriers]:
    with ExitStack() as stack:
        emulator = stack.enter_context(CarrierEmulator(timeout_hold_s=3))
        accounts = {
            c: carrier_account(c, emulator.url, site="berlin" if site == "berlin" else None)
            for c, (site, _) in ACCOUNTS.items()
        }
        hub = start_ship_hub(
            stack,
            tmp_path_factory.mktemp("carriers"),
            emulator,
            config=ShippingConfig(accounts, carrier_timeout_s=1.5),
        )
        with hub.db.write() as s:
            put_site(s, "berlin", "Berlin", DE_SHIP_FROM)
        code = enrol_code(hub.db, "bench-berlin", site="berlin")
        token = httpx.post(f"{hub.url}/v1/enroll", json={"code": code, "station": "bench-berlin"})
        berlin = stack.enter_context(
            httpx.Client(
                base_url=hub.url,
                headers={"Authorization": f"Bearer {token.json()['token']}"},
                timeout=30,
            )
        )
        yield Carriers(hub, berlin)


@pytest.mark.parametrize("carrier", list(ACCOUNTS))
def test_rates_buy_label_and_void_per_carrier(carriers: Carriers, carrier: str) -> None:
    client = carriers.client(carrier)
    order = f"SO-{carrier}"
    rates = client.post("/v1/ship/rates", json=carriers.package(carrier, order))
    assert rates.status_code == 200, rates.text
    mine = [r for r in rates.json()["rates"] if r["account"] == carrier]
    assert mine, rates.json()
    assert all(r["price"] > 0 and r["currency"] for r in mine)
    assert all(r["billed_weight_g"] >= r["actual_weight_g"] for r in mine)
    rate = mine[0]
    bought = client.post(
        "/v1/ship/buy",
        json={
            **carriers.package(carrier, order),
            "idempotency_key": f"key-{carrier}-1",
            "account": carrier,
            "service": rate["service"],
        },
    )
    assert bought.status_code == 200, bought.text
    shipment = bought.json()
    assert shipment["carrier"] == carrier and shipment["status"] == "bought"
    number = shipment["tracking_number"]
    label = client.get(f"/v1/ship/label/{order}/1")
    assert label.status_code == 200
    assert label.content.startswith(b"^XA")
    assert hashlib.sha256(label.content).hexdigest() == shipment["label_sha256"]
    if carrier != "generic":  # the generic carrier's label is karrio's template, no emulator
        assert number.encode() in label.content
        assert carriers.emulator.labels[number] == "issued"
    void = client.post("/v1/ship/void", json={"order_number": order, "package_no": 1})
    assert void.status_code == 200, void.text
    assert void.json()["status"] == "voided"
    if carrier in ("usps", "ups", "fedex", "dhl_parcel_de"):
        assert carriers.emulator.labels[number] == "cancelled"
    # No credential ever reaches a station.
    assert SECRET not in rates.text + bought.text + void.text


def test_a_pdf_label_per_http_carrier(carriers: Carriers) -> None:
    for carrier in ("ups", "fedex", "dhl_express", "dhl_parcel_de"):
        client = carriers.client(carrier)
        order = f"SO-PDF-{carrier}"
        rate = next(
            r
            for r in client.post("/v1/ship/rates", json=carriers.package(carrier, order)).json()[
                "rates"
            ]
            if r["account"] == carrier
        )
        bought = client.post(
            "/v1/ship/buy",
            json={
                **carriers.package(carrier, order),
                "idempotency_key": f"key-pdf-{carrier}",
                "account": carrier,
                "service": rate["service"],
                "label_format": "pdf",
            },
        )
        assert bought.status_code == 200, f"{carrier}: {bought.text}"
        label = client.get(f"/v1/ship/label/{order}/1")
        assert label.content.startswith(b"%PDF"), carrier


def test_dhl_express_carries_nothing_inside_the_us_and_the_rules_choose_by_destination(
    carriers: Carriers,
) -> None:
    client = carriers.hub.client
    home = client.post("/v1/ship/rates", json=carriers.package("usps", "SO-HOME"))
    body = home.json()
    assert "dhl_express" not in {r["account"] for r in body["rates"]}
    assert any(p["account"] == "dhl_express" for p in body["problems"])
    abroad = client.post("/v1/ship/rates", json=carriers.package("dhl_express", "SO-ABROAD"))
    accounts = {r["account"] for r in abroad.json()["rates"]}
    assert {"ups", "fedex", "dhl_express"} <= accounts
    assert "usps" not in accounts  # karrio's USPS connector serves US destinations only
    next_day = client.post(
        "/v1/ship/rates",
        json=carriers.package("dhl_express", "SO-ABROAD", ship_method="next_day"),
    ).json()["chosen"]
    assert next_day["transit_days"] == 1


@pytest.mark.parametrize("carrier", HTTP_CARRIERS)
@pytest.mark.parametrize(
    ("fault", "status", "error"),
    [
        (Fault.ERROR_500, 502, "carrier_error"),
        (Fault.RATE_LIMITED, 503, "carrier_busy"),
        (Fault.INVALID_ADDRESS, 422, "invalid_address"),
        (Fault.NO_LABEL, 502, "no_label"),
    ],
)
def test_carrier_faults_per_carrier(
    carriers: Carriers, carrier: str, fault: Fault, status: int, error: str
) -> None:
    client = carriers.client(carrier)
    order = f"SO-F-{carrier}-{fault.value}"
    rates = client.post("/v1/ship/rates", json=carriers.package(carrier, order)).json()["rates"]
    service = next(r["service"] for r in rates if r["account"] == carrier)
    body = {
        **carriers.package(carrier, order),
        "idempotency_key": f"key-{order}",
        "account": carrier,
        "service": service,
    }
    carriers.emulator.fail_next(fault, carrier=carrier)
    answer = client.post("/v1/ship/buy", json=body)
    if (carrier, fault) == ("dhl_express", Fault.NO_LABEL):
        # karrio's DHL Express connector cannot read a waybill without its LabelImage: the
        # answer holds no shipment for the hub (an unused waybill is not charged).
        error = "carrier_error"
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error
    if fault is Fault.RATE_LIMITED:  # karrio drops it; the hub passes the carrier's own on
        assert answer.headers["retry-after"] == str(carriers.emulator.retry_after_s)
    retry = client.post("/v1/ship/buy", json=body)
    assert retry.status_code == 200, retry.text


def test_a_carrier_that_never_answers_is_refused_in_time(carriers: Carriers) -> None:
    client = carriers.client("fedex")
    body = {
        **carriers.package("fedex", "SO-SLOW"),
        "idempotency_key": "key-slow-fedex",
        "account": "fedex",
        "service": "fedex_international_priority",
    }
    carriers.emulator.fail_next(Fault.TIMEOUT, carrier="fedex")
    answer = client.post("/v1/ship/buy", json=body)
    assert answer.status_code == 504 and answer.json()["error"] == "carrier_timeout"


def test_the_generic_carrier_makes_no_http_call(carriers: Carriers) -> None:
    before = len(carriers.emulator.seen)
    client = carriers.hub.client
    bought = client.post(
        "/v1/ship/buy",
        json={
            **carriers.package("generic", "SO-GEN"),
            "idempotency_key": "key-generic-2",
            "account": "generic",
            "service": "local_courier",
        },
    )
    assert bought.status_code == 200, bought.text
    assert len(carriers.emulator.seen) == before


@pytest.mark.parametrize("carrier", ["fedex", "dhl_parcel_de"])
def test_a_manifest_where_karrio_has_none_is_refused_naming_it(
    carriers: Carriers, carrier: str
) -> None:
    client = carriers.client(carrier)
    order = f"SO-CLOSE-{carrier}"
    rates = client.post("/v1/ship/rates", json=carriers.package(carrier, order)).json()["rates"]
    bought = client.post(
        "/v1/ship/buy",
        json={
            **carriers.package(carrier, order),
            "idempotency_key": f"key-close-{carrier}",
            "account": carrier,
            "service": next(r["service"] for r in rates if r["account"] == carrier),
        },
    )
    assert bought.status_code == 200, bought.text
    manifest = client.post("/v1/ship/manifest", json={"account": carrier})
    assert manifest.status_code == 422
    assert manifest.json()["error"] == "no_manifest"
    assert f"karrio's {carrier} connector has no manifest" in manifest.json()["message"]
    # The label stays open: it can still be voided.
    void = client.post("/v1/ship/void", json={"order_number": order, "package_no": 1})
    assert void.status_code == 200, void.text


def test_a_label_bought_beside_a_busy_answer_is_kept(carriers: Carriers, tmp_path: Path) -> None:
    """A busy answer on an account refuses only calls the carrier refused: a buy that
    succeeded while another call of the account was told to wait keeps its label."""
    db = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    with db.write() as s:
        put_site(s, "main", "Main", SHIP_FROM)
    account = carrier_account("ups", carriers.emulator.url)
    service = ShippingService(db, ShippingConfig({"ups": account}))
    request = BuyRequest(
        **{**carriers.package("ups", "SO-BESIDE"), "ship_to": ShipToRecord(**FR_SHIP_TO)},
        idempotency_key="key-beside-busy",
        account="ups",
        service="ups_standard",
    )
    tracer = service._gateway(account).tracer
    busy = threading.Timer(0.1, tracer.trace, ({"response_headers": {"Retry-After": "9"}}, "error"))
    carriers.emulator.latency_s = 0.3
    try:
        busy.start()
        shipment = service.buy("bench-1", "main", "main", request)
    finally:
        carriers.emulator.latency_s = 0
        busy.join()
        service.close()
        db.close()
    assert shipment.status == "bought"
    assert carriers.emulator.labels[shipment.tracking_number] == "issued"
