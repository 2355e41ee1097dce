"""Disposition rules (grade × category × value × days since sale) and the refund policy."""

from __future__ import annotations

import pytest

from station.config.returns import RefundPolicy, ReturnSettings
from station.returns.disposition import ItemFacts, overridden, recommend

S = ReturnSettings()


def facts(grade: str, category: str = "home", value: float = 20.0, days: int = 10, **kw: object):
    return ItemFacts(grade, category, value, days, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("item", "disposition", "refund", "pct", "rule"),
    [
        (facts("A"), "restock", "full", 100, "sealed"),
        (facts("B", "electronics", 120.0), "resell_open_box", "partial", 85, "opened-electronics"),
        (facts("B", "apparel"), "restock", "full", 100, "opened"),
        (facts("C", value=80.0), "refurbish", "partial", 70, "used-valuable"),
        (facts("C", value=49.99), "liquidate", "partial", 50, "used"),
        (facts("D", "electronics", 20.0, 20), "return_to_vendor", "partial", 50,
         "damaged-under-warranty"),
        (facts("D", "electronics", 40.0, 91), "refurbish", "none", 0, "damaged-valuable"),
        (facts("D", value=10.0), "liquidate", "none", 0, "damaged"),
        (facts("F", "health"), "recycle", "none", 0, "unsellable-hazardous"),
        (facts("F", "toys"), "recycle", "none", 0, "unsellable"),
    ],
)  # fmt: skip
def test_each_default_rule(
    item: ItemFacts, disposition: str, refund: str, pct: int, rule: str
) -> None:
    rec = recommend(item, S)
    assert (rec.disposition, rec.refund, rec.refund_pct, rec.rule) == (
        disposition,
        refund,
        pct,
        rule,
    )


def test_an_unknown_value_or_sale_date_does_not_meet_a_bound() -> None:
    # "used-valuable" needs value >= 50: an item without a price falls to "used".
    assert recommend(ItemFacts("C", "home", None, 5), S).rule == "used"
    # "damaged-under-warranty" needs <= 90 days: without a sale date it does not apply.
    assert recommend(ItemFacts("D", "electronics", 10.0, None), S).rule == "damaged"


def test_fraud_and_foreign_items_are_held_without_refund() -> None:
    held = recommend(facts("A", fraud=True), S)
    assert (held.disposition, held.refund, held.rule) == ("quarantine", "none", "fraud-hold")
    for verdict in ("not_from_order", "unknown"):
        rec = recommend(facts("A", verdict=verdict), S)
        assert (rec.disposition, rec.refund) == ("quarantine", "none")
    # In the order but not in this return: the rules still apply.
    assert recommend(facts("A", verdict="not_in_return"), S).disposition == "restock"


def test_refund_window_and_fault_reasons() -> None:
    vendor = recommend(facts("D", "electronics", 20.0, 60), S)
    assert (vendor.disposition, vendor.refund) == ("return_to_vendor", "none")
    late = recommend(facts("A", days=45), S)
    assert (late.disposition, late.refund, late.refund_pct) == ("restock", "none", 0)
    assert "45 days" in late.why
    # Our fault: full refund even past the window and for a damaged unit.
    fault = recommend(facts("D", value=10.0, days=45, observed_reason="defective"), S)
    assert (fault.disposition, fault.refund, fault.refund_pct) == ("liquidate", "full", 100)
    # A stated reason alone is not a fault: only what the inspector observed counts.
    assert recommend(facts("C", observed_reason="no_fault_found"), S).refund == "partial"
    wide = ReturnSettings(refund=RefundPolicy(window_days=60, fault_reasons=()))
    assert recommend(facts("A", days=45), wide).refund == "full"


def test_no_rule_gives_the_default_disposition() -> None:
    rec = recommend(facts("A"), ReturnSettings(rules=()))
    assert (rec.disposition, rec.refund, rec.rule) == ("quarantine", "none", "default")


def test_an_override_is_checked() -> None:
    rec = overridden("refurbish", "partial", 40, " customer is a reseller ")
    assert (rec.disposition, rec.refund_pct, rec.rule, rec.why) == (
        "refurbish",
        40,
        "override",
        "customer is a reseller",
    )
    assert overridden("restock", "full", None, "ok").refund_pct == 100
    with pytest.raises(ValueError, match="reason"):
        overridden("restock", "full", None, "  ")
    with pytest.raises(ValueError, match="unknown disposition"):
        overridden("burn", "full", None, "x")
    with pytest.raises(ValueError, match="percentage"):
        overridden("restock", "partial", 100, "x")
