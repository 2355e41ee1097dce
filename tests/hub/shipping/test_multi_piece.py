"""Multi-piece shipments through /v1/ship against the carrier emulator: UPS buys an order's
weighed packages in one shipment (a master and a child tracking number and label per package),
each package's own buy answers its stored label, a replay buys nothing, a void voids the
shipment whole; USPS stays one label per package. And at the bench: a two-box order's label
buyer names the other box, so both are bought in one UPS shipment, each row with its master."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from drivers.printer.emulator import Language, TcpPrinterEmulator
from station.db import Database
from station.db.models import CarrierLabel, Order, ShipTo
from station.hub.admin import enrol_code
from station.hub.shipping.config import ShippingConfig
from station.ship.awaiting import BOUGHT
from station.sync.enroll import enroll_station
from station.tools.carrier_emulator import CarrierEmulator, Fault
from tests.hub.shipping.shipfixtures import (
    FR_SHIP_TO,
    SHIP_FROM,
    ShipHub,
    carrier_account,
    start_ship_hub,
)
from tests.hub.shipping.test_label_buyer import STATION, Bench, station_db
from tests.station.test_ship_choice import pack_two_boxes

__all__ = ["station_db"]


@pytest.fixture(scope="module")
def ups_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ShipHub]:
    """A hub with UPS, FedEx and DHL Express accounts on the emulator (US ship-from, French
    destinations)."""
    with ExitStack() as stack:
        emulator = stack.enter_context(CarrierEmulator(timeout_hold_s=3))
        config = ShippingConfig(
            {c: carrier_account(c, emulator.url) for c in ("ups", "fedex", "dhl_express")}
        )
        folder: Path = tmp_path_factory.mktemp("ups-hub")
        yield start_ship_hub(stack, folder, emulator, config=config)


def key(order: str, package_no: int) -> str:
    return f"bench-1:{order}:{package_no}"


def piece(order: str, package_no: int, weight_g: float = 900) -> dict[str, Any]:
    return {
        "package_no": package_no,
        "weight_g": weight_g,
        "idempotency_key": key(order, package_no),
    }


def buy(
    hub: ShipHub, order: str, package_no: int, *pieces: int, account: str = "ups"
) -> dict[str, Any]:
    if account == "ups":
        service = "ups_standard"
    else:
        rates = hub.client.post("/v1/ship/rates", json=hub.package(order, ship_to=FR_SHIP_TO))
        service = next(r["service"] for r in rates.json()["rates"] if r["account"] == account)
    body = {
        **hub.package(order, package_no, ship_to=FR_SHIP_TO),
        "idempotency_key": key(order, package_no),
        "pieces": [piece(order, n) for n in pieces],
        "account": account,
        "service": service,
    }
    answer = hub.client.post("/v1/ship/buy", json=body)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result


def ship_calls(hub: ShipHub) -> list[Any]:
    return [s for s in hub.emulator.seen if s.method == "POST" and s.path.endswith("/ship")]


def packages_sent(call: Any) -> int:
    packages = call.body["ShipmentRequest"]["Shipment"]["Package"]
    return 1 if isinstance(packages, dict) else len(packages)


def test_ups_buys_the_orders_packages_once_with_a_master_and_a_child_each(
    ups_hub: ShipHub,
) -> None:
    before = len(ship_calls(ups_hub))
    first = buy(ups_hub, "SO-MP1", 1, 2, 3)
    calls = ship_calls(ups_hub)[before:]
    assert len(calls) == 1 and packages_sent(calls[0]) == 3
    master = first["master_tracking_number"]
    assert master and first["tracking_number"] == master  # UPS: the lead package's number
    assert first["replayed"] is False

    # Each other package's own buy answers its stored child; the carrier is not asked again.
    second = buy(ups_hub, "SO-MP1", 2, 1, 3)
    third = buy(ups_hub, "SO-MP1", 3, 1, 2)
    assert len(ship_calls(ups_hub)[before:]) == 1
    numbers = {first["tracking_number"], second["tracking_number"], third["tracking_number"]}
    assert len(numbers) == 3
    assert second["master_tracking_number"] == third["master_tracking_number"] == master
    assert second["replayed"] and third["replayed"]

    # Each package's label is its own: its number, no other's.
    for shipment in (first, second, third):
        label = ups_hub.client.get(f"/v1/ship/label/SO-MP1/{shipment['package_no']}")
        assert label.status_code == 200
        assert len(re.findall(rb"\^XA", label.content)) == 1
        assert shipment["tracking_number"].encode() in label.content
        assert not any(n.encode() in label.content for n in numbers - {shipment["tracking_number"]})

    # A replay of the first buy answers the same shipment, again without the carrier.
    again = buy(ups_hub, "SO-MP1", 1, 2, 3)
    assert again == {**first, "replayed": True}
    assert len(ship_calls(ups_hub)[before:]) == 1
    # Another key for a package of the shipment is refused while its label stands.
    other = ups_hub.client.post(
        "/v1/ship/buy",
        json={**ups_hub.package("SO-MP1", 3, ship_to=FR_SHIP_TO), "idempotency_key": "other:key:3"},
    )
    assert other.status_code == 409 and other.json()["error"] == "already_bought"


def test_a_package_bought_on_its_own_stays_out_of_the_shipment(ups_hub: ShipHub) -> None:
    alone = buy(ups_hub, "SO-MP2", 2)
    assert alone["master_tracking_number"] is None
    before = len(ship_calls(ups_hub))
    first = buy(ups_hub, "SO-MP2", 1, 2, 3)
    calls = ship_calls(ups_hub)[before:]
    assert len(calls) == 1 and packages_sent(calls[0]) == 2  # packages 1 and 3
    again = buy(ups_hub, "SO-MP2", 2, 1, 3)
    assert again == {**alone, "replayed": True}
    third = buy(ups_hub, "SO-MP2", 3, 1, 2)
    assert third["master_tracking_number"] == first["master_tracking_number"]
    assert len(ship_calls(ups_hub)[before:]) == 1


def test_voiding_one_package_voids_the_shipment_and_frees_every_key(ups_hub: ShipHub) -> None:
    first = buy(ups_hub, "SO-MP3", 1, 2)
    void = ups_hub.client.post("/v1/ship/void", json={"order_number": "SO-MP3", "package_no": 2})
    assert void.status_code == 200, void.text
    assert ups_hub.emulator.ledger.labels[first["master_tracking_number"]] == "cancelled"
    for package_no in (1, 2):
        label = ups_hub.client.get(f"/v1/ship/label/SO-MP3/{package_no}")
        assert label.status_code == 409 and label.json()["error"] == "voided"
    # The keys are free: package 2's own buy now buys it (alone, no pieces named).
    before = len(ship_calls(ups_hub))
    fresh = buy(ups_hub, "SO-MP3", 2)
    assert fresh["replayed"] is False and fresh["master_tracking_number"] is None
    assert len(ship_calls(ups_hub)[before:]) == 1


@pytest.mark.parametrize("fault", [Fault.ERROR_500, Fault.NO_LABEL])
def test_a_failed_multi_piece_buy_keeps_nothing_and_a_retry_buys_every_package(
    ups_hub: ShipHub, fault: Fault
) -> None:
    order = f"SO-MP-{fault.value}"
    body = {
        **ups_hub.package(order, 1, ship_to=FR_SHIP_TO),
        "idempotency_key": key(order, 1),
        "pieces": [piece(order, 2)],
        "account": "ups",
        "service": "ups_standard",
    }
    ups_hub.emulator.fail_next(fault, 1, carrier="ups")
    failed = ups_hub.client.post("/v1/ship/buy", json=body)
    assert failed.status_code == 502, failed.text
    # No claim is left on either package: the piece's own buy, or a retry, may buy it.
    before = len(ship_calls(ups_hub))
    first = buy(ups_hub, order, 1, 2)
    second = buy(ups_hub, order, 2, 1)
    assert first["replayed"] is False and second["replayed"] is True
    assert first["master_tracking_number"] == second["master_tracking_number"] is not None
    assert len(ship_calls(ups_hub)[before:]) == 1


@pytest.mark.parametrize("carrier", ["fedex", "dhl_express"])
def test_fedex_and_dhl_express_stay_one_package_per_buy(ups_hub: ShipHub, carrier: str) -> None:
    # Their karrio connectors answer several parcels with the master only (below): no child.
    order = f"SO-MP-{carrier}"
    before = len(ups_hub.emulator.seen)
    first = buy(ups_hub, order, 1, 2, account=carrier)
    second = buy(ups_hub, order, 2, 1, account=carrier)
    assert first["master_tracking_number"] is None and second["replayed"] is False
    assert first["tracking_number"] != second["tracking_number"]
    bodies = [s.body for s in list(ups_hub.emulator.seen)[before:] if s.carrier == carrier]
    if carrier == "fedex":
        shipped = [b for b in bodies if isinstance(b, dict) and "requestedShipment" in b]
        shipped = [b for b in shipped if "labelSpecification" in b["requestedShipment"]]
        assert [len(b["requestedShipment"]["requestedPackageLineItems"]) for b in shipped] == [1, 1]


@pytest.mark.parametrize("carrier", ["fedex", "dhl_express"])
def test_karrio_answers_a_fedex_or_dhl_express_multi_piece_with_no_child_numbers(
    ups_hub: ShipHub, carrier: str
) -> None:
    """Why those two stay one package per buy: the emulator answers every piece as the
    carrier does (FedEx a piece response each, DHL Express a licence plate each), and
    karrio 2026.1 hands on the master (waybill) and one bundled label, no child number."""
    from station.hub.shipping import karrio_link as k

    gateway = k.Gateways().of(carrier_account(carrier, ups_hub.emulator.url))
    parcel = {"weight": 1.2, "weight_unit": "KG", "length": 30, "width": 20, "height": 10,
              "dimension_unit": "CM"}  # fmt: skip
    service = {"fedex": "fedex_international_priority", "dhl_express": "dhl_express_worldwide"}
    request = k.km.ShipmentRequest(
        shipper=k.address(SHIP_FROM),
        recipient=k.address(FR_SHIP_TO),
        parcels=[parcel, parcel],
        service=service[carrier],
        label_type="ZPL",
        payment={"paid_by": "sender"},
        customs={"content_type": "merchandise", "incoterm": "DDU", "commodities": [
            {"description": "Mug", "quantity": 2, "value_amount": 10, "value_currency": "USD",
             "weight": 1.0, "weight_unit": "KG", "origin_country": "US"}]},
    )  # fmt: skip
    shipment, messages = k.karrio.Shipment.create(request).from_(gateway).parse()
    assert shipment is not None, messages
    answered = ups_hub.emulator.seen[-1]
    assert answered.carrier == carrier
    label = k.decode_label(shipment.docs.label)
    assert label is not None and len(re.findall(rb"\^XA", label)) == 2  # both pieces' labels
    assert "tracking_numbers" not in (shipment.meta or {})


def test_usps_stays_one_label_per_package(ship_hub: ShipHub) -> None:
    def usps_buy(package_no: int, *pieces: int) -> dict[str, Any]:
        body = {
            **ship_hub.package("SO-MP4", package_no),
            "idempotency_key": key("SO-MP4", package_no),
            "pieces": [piece("SO-MP4", n) for n in pieces],
        }
        answer = ship_hub.client.post("/v1/ship/buy", json=body)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    first = usps_buy(1, 2)
    second = usps_buy(2, 1)
    labels = [s for s in ship_hub.emulator.seen if s.path == "/labels/v3/label"]
    assert len(labels) == 2
    assert first["master_tracking_number"] is None and second["replayed"] is False
    assert first["tracking_number"] != second["tracking_number"]


@pytest.fixture
def printer() -> Iterator[TcpPrinterEmulator]:
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        yield emulator


def test_the_bench_buys_a_two_box_order_as_one_ups_shipment_with_its_master(
    tmp_path: Path, station_db: Database, printer: TcpPrinterEmulator
) -> None:
    with station_db.session() as s:  # a UPS destination
        order = s.scalars(select(Order).where(Order.number == "SO-1001")).one()
        ship_to = s.get(ShipTo, order.ship_to_id)
        assert ship_to is not None
        for field, value in FR_SHIP_TO.items():
            setattr(ship_to, field, value)
        s.commit()
    with ExitStack() as stack:
        emulator = stack.enter_context(CarrierEmulator(timeout_hold_s=3))
        config = ShippingConfig({"ups": carrier_account("ups", emulator.url)})
        hub = start_ship_hub(stack, tmp_path / "hub", emulator, config=config)
        enroll_station(station_db, hub.url, enrol_code(hub.db, STATION), STATION)
        bench = Bench(station_db, tmp_path, printer)
        stack.callback(bench.close)
        pack_two_boxes(bench, "SO-1001")
        assert bench.buyer.run_once()
        with station_db.session() as s:
            rows = list(s.scalars(select(CarrierLabel).order_by(CarrierLabel.package_no)))
        assert [(r.package_no, r.status, r.carrier) for r in rows] == [
            (1, BOUGHT, "ups"),
            (2, BOUGHT, "ups"),
        ]
        assert len({r.tracking_number for r in rows}) == 2
        assert rows[0].master_tracking_number == rows[1].master_tracking_number
        assert rows[0].master_tracking_number == rows[0].tracking_number  # UPS's lead package
        calls = ship_calls(hub)
        assert len(calls) == 1 and packages_sent(calls[0]) == 2  # bought once, both boxes
        for row in rows:  # each box prints its own label
            assert row.label is not None and row.tracking_number is not None
            assert row.tracking_number.encode() in row.label
