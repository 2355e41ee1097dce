"""Hazardous goods go by ground only (issue 18, point 4): the rule as data in
``station.hub.shipping.rules``, and the station's package request saying it holds some."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from station.barcodes import Interpreter
from station.config import BarcodeSettings
from station.db.models import Order, Package, Product, ShipTo
from station.hub.shipping.rules import RateOption, RuleError, ShippingRules, parse_rules
from station.packing.bench import PackBench
from station.ship.package import package_request
from tests.station.packfixtures import MUG, TEE, build_db, make_service

RATES = [
    RateOption("a", "ups", "ups_next_day_air", 25.0, 1),
    RateOption("a", "ups", "ups_ground", 9.0, 4),
    RateOption("b", "dhl_express", "dhl_express_worldwide", 7.0, 2),
    RateOption("c", "usps", "usps_ground_advantage_machinable_single_piece", 8.0, 5),
]


def test_hazmat_is_kept_to_ground_services() -> None:
    rules = ShippingRules()
    assert rules.choose("standard", RATES).service == "dhl_express_worldwide"  # cheapest
    # Hazmat: DHL Express flies (no service listed), UPS next day air flies; ground remains.
    assert rules.choose("standard", RATES, hazmat=True).service == "usps_ground_advantage" + (
        "_machinable_single_piece"
    )
    with pytest.raises(RuleError, match="no rate meets ship method 'express'"):
        rules.choose("express", RATES, hazmat=True)  # two days: only air would do
    with pytest.raises(RuleError, match="no ground service offered for hazardous goods"):
        rules.choose("standard", RATES[:1] + RATES[2:3], hazmat=True)
    assert rules.carries_hazmat("ups", "ups_ground")
    assert not rules.carries_hazmat("ups", "ups_groundx")
    assert rules.carries_hazmat("generic", "anything")  # not listed: its Limits decide


def test_the_carriers_file_names_the_ground_services() -> None:
    rules = parse_rules({"rules": {"hazmat_services": {"generic": ["road"]}}})
    assert rules.carries_hazmat("generic", "road") and not rules.carries_hazmat("generic", "air")
    assert rules.hazmat_services["ups"] == ("ups_ground",)  # the defaults stay
    with pytest.raises(RuleError, match=r"hazmat_services\.generic: expected a list"):
        parse_rules({"rules": {"hazmat_services": {"generic": "road"}}})


def test_the_package_request_says_it_holds_hazardous_goods(tmp_path: Path) -> None:
    db = build_db(tmp_path / "h.sqlite")
    try:
        with db.session() as s:
            s.execute(update(Product).where(Product.sku == "TEE").values(hazmat="UN3481"))
            s.commit()
        bench = PackBench(make_service(db), Interpreter(BarcodeSettings()))
        for code in ("SO-1001", MUG, MUG, "CMD-NEWBOX", TEE, "CMD-COMPLETE"):
            bench.scan(code)
        with db.session() as s:
            for package in s.query(Package):
                package.weight_g, package.weight_status = 500.0, "pass"
            order = s.query(Order).filter_by(number="SO-1001").one()
            order.ship_to = ShipTo(customer_name="Ann", country="DE")
            s.commit()
            mugs, _ = package_request(s, "SO-1001", 1)
            battery, _ = package_request(s, "SO-1001", 2)
        assert (mugs.hazmat, battery.hazmat) == (False, True)
    finally:
        db.close()
