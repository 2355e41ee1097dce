"""Shipping rules as data: DIM weight per carrier, limits, the ship method's choice."""

from __future__ import annotations

import pytest

from station.hub.shipping.rules import (
    DEFAULT_DIM,
    GRAMS_PER_LB,
    RateOption,
    RuleError,
    ShippingRules,
    parse_rules,
)


def test_ups_rounds_each_side_up_to_the_inch_and_divides_by_139() -> None:
    ups = DEFAULT_DIM["ups"]
    # 300 x 300 x 300 mm = 11.81 in -> 12 in each: 1728 in³ / 139 = 12.43 lb.
    assert ups.dim_weight_g([300, 300, 300]) == pytest.approx(1728 / 139 * GRAMS_PER_LB)
    # 2 kg actual, DIM 12.43 lb: billed 13 lb.
    assert ups.billed_weight_g(2000, [300, 300, 300]) == pytest.approx(13 * GRAMS_PER_LB)


def test_usps_uses_166_and_only_above_a_cubic_foot() -> None:
    usps = DEFAULT_DIM["usps"]
    assert usps.dim_weight_g([300, 300, 300]) == 0  # 1728 in³: not above one cubic foot
    assert usps.dim_weight_g([330, 330, 330]) == pytest.approx(13**3 / 166 * GRAMS_PER_LB)


def test_metric_carriers_use_5000_and_half_kilograms() -> None:
    dhl = DEFAULT_DIM["dhl_express"]
    # 40 x 30 x 20 cm = 24000 cm³ / 5000 = 4.8 kg -> billed 5.0 kg.
    assert dhl.dim_weight_g([400, 300, 200]) == pytest.approx(4800)
    assert dhl.billed_weight_g(1000, [400, 300, 200]) == 5000
    assert dhl.billed_weight_g(5100, [100, 100, 100]) == 5500  # actual wins, next half kg


def test_a_smaller_box_drops_the_billed_weight() -> None:
    ups = DEFAULT_DIM["ups"]
    big = ups.billed_weight_g(1500, [400, 400, 300])
    small = ups.billed_weight_g(1500, [250, 200, 150])
    assert small < big


def test_limits_name_the_cause() -> None:
    rules = ShippingRules()
    assert rules.limit_problem("usps", 40_000, None, False) == "40000 g is over usps's 31751 g"
    assert "side is over" in str(rules.limit_problem("usps", 1000, [1200, 10, 10], False))
    assert "hazardous" in str(rules.limit_problem("ups", 1000, None, True))
    assert rules.limit_problem("ups", 1000, [300, 200, 100], False) is None


def test_the_ship_method_picks_the_cheapest_rate_that_meets_its_promise() -> None:
    rates = [
        RateOption("a", "usps", "ground", 5.0, 5),
        RateOption("a", "usps", "express", 30.0, 1),
        RateOption("b", "ups", "next_day_air", 25.0, 1),
    ]
    rules = ShippingRules()
    assert rules.choose("standard", rates).service == "ground"
    assert rules.choose("next_day", rates).service == "next_day_air"
    with pytest.raises(RuleError, match="no rate meets ship method 'next_day'"):
        rules.choose("next_day", rates[:1])


def test_rules_from_the_carriers_file_override_the_defaults() -> None:
    rules = parse_rules(
        {
            "rules": {
                "dim": {"usps": {"divisor": 139, "imperial": True}},
                "ship_methods": {"same_day": {"max_transit_days": 0, "carriers": ["generic"]}},
            }
        }
    )
    assert rules.dim["usps"].divisor == 139
    assert rules.methods["same_day"].carriers == ("generic",)
    with pytest.raises(RuleError, match="rules:"):
        parse_rules({"rules": {"dim": {"ups": {"imperial": True}}}})
