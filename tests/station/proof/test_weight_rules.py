"""The weight rules by value: expected weight, tolerance, decisions, hints and learning."""

from __future__ import annotations

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from station.config import WeightSettings
from station.packing.weight import (
    ProductWeight,
    ScaleTrack,
    WeightSource,
    WeightStatus,
    decide,
    expect,
    hint_for,
    learn,
    scan_check,
    tolerance_for,
)

S = WeightSettings(tolerance_g=20.0, tolerance_pct=3.0, packing_material_g=15.0)


def mug(qty: int = 1, **kw: object) -> ProductWeight:
    return ProductWeight(1, "MUG", qty, 350.0, **kw)  # type: ignore[arg-type]


def test_expected_weight_is_units_times_quantity_plus_tare_and_packing() -> None:
    items = [mug(2), ProductWeight(2, "TEE", 1, 180.0)]
    e = expect(items, tare_g=200.0, s=S)
    assert e.items_g == 880.0
    assert e.expected_g == 880.0 + 200.0 + 15.0
    assert (e.unknown, e.estimated) == ((), ())


def test_tolerance_grams_win_for_light_packages_percent_for_heavy_ones() -> None:
    assert tolerance_for(300.0, [mug()], S) == 20.0  # 3 % of 300 g is 9 g
    assert tolerance_for(5000.0, [mug()], S) == pytest.approx(150.0)  # 3 % beats 20 g
    # No items at all: the station's values.
    assert tolerance_for(1000.0, [], S) == 30.0


def test_per_product_override_the_largest_applicable_wins() -> None:
    loose = ProductWeight(3, "SOIL", 1, 1000.0, tolerance_g=80.0)
    assert tolerance_for(1200.0, [mug(), loose], S) == 80.0
    loose_pct = ProductWeight(3, "SOIL", 1, 1000.0, tolerance_pct=10.0)
    assert tolerance_for(1200.0, [mug(), loose_pct], S) == pytest.approx(120.0)
    # A package holding only a product with a tighter override is held to it.
    ring = ProductWeight(4, "RING", 1, 12.0, tolerance_g=2.0, tolerance_pct=1.0)
    assert tolerance_for(300.0, [ring], S) == pytest.approx(3.0)


def test_pass_and_fail_with_difference_and_hint() -> None:
    e = expect([mug(2)], tare_g=200.0, s=S)  # 915 g ± 27.45
    ok = decide(e, 930.0)
    assert ok.status is WeightStatus.PASS and ok.difference_g == pytest.approx(15.0)
    light = decide(e, 565.0, missing=[("MUG", 350.0)], extra=[("MUG", 350.0)])
    assert light.status is WeightStatus.FAIL
    assert light.difference_g == pytest.approx(-350.0)
    assert light.hint == "≈ 1 × MUG missing"
    assert "915 g" in light.message and "565 g" in light.message
    heavy = decide(e, 1265.0, missing=[("MUG", 350.0)], extra=[("MUG", 350.0), ("TEE", 180.0)])
    assert heavy.hint == "≈ 1 × MUG extra"


def test_hint_without_a_matching_unit() -> None:
    assert hint_for(-95.0, 20.0, [("MUG", 350.0)], []) == "95 g too light: an item missing?"
    assert "too heavy" in hint_for(95.0, 20.0, [], [("MUG", 350.0)])
    assert hint_for(10.0, 20.0, [], []) == ""
    # Two products of the same weight: both are named.
    assert hint_for(-100.0, 20.0, [("A", 100.0), ("B", 100.0)], []) == "≈ 1 × A or B missing"
    assert hint_for(-200.0, 20.0, [("A", 100.0)], []) == "≈ 2 × A missing"


def test_unknown_weight_is_never_a_silent_pass() -> None:
    nameless = ProductWeight(5, "GIZMO", 1, None)
    e = expect([mug(), nameless], tare_g=200.0, s=S)
    assert e.unknown == ("GIZMO",)
    check = decide(e, e.expected_g)  # even a weight that matches the known parts exactly
    assert check.status is WeightStatus.UNKNOWN
    assert check.message.startswith("unknown weight for GIZMO: supervisor check")


def test_estimated_weight_used_after_enough_samples_and_said_so() -> None:
    few = ProductWeight(5, "GIZMO", 1, 240.0, estimated=True, samples=2)
    enough = ProductWeight(5, "GIZMO", 1, 240.0, estimated=True, samples=3)
    assert few.source(S.learn_min_samples) is WeightSource.UNKNOWN
    assert enough.source(S.learn_min_samples) is WeightSource.ESTIMATED
    assert mug().source(S.learn_min_samples) is WeightSource.CATALOG
    e = expect([enough], tare_g=100.0, s=S)
    assert e.estimated == ("GIZMO",) and e.unknown == ()
    check = decide(e, 355.0)
    assert check.status is WeightStatus.PASS
    assert "estimated weight for GIZMO" in check.message
    assert decide(expect([few], 100.0, S), 355.0).status is WeightStatus.UNKNOWN


def test_learning_a_running_mean_of_one_unknown_product() -> None:
    first = learn([mug(), ProductWeight(5, "GIZMO", 2, None)], 350 + 2 * 240 + 200 + 15, 200, S)
    assert first is not None and (first.sku, first.unit_weight_g, first.samples) == (
        "GIZMO",
        240.0,
        1,
    )
    known = ProductWeight(5, "GIZMO", 1, 240.0, estimated=True, samples=1)
    second = learn([known], 250 + 200 + 15, 200, S)
    assert second is not None and (second.unit_weight_g, second.samples) == (245.0, 2)
    # Two products without a catalog weight cannot be told apart; nor can nothing be learned.
    two = [ProductWeight(5, "GIZMO", 1, None), ProductWeight(6, "WIDGET", 1, None)]
    assert learn(two, 900.0, 200.0, S) is None
    assert learn([mug()], 600.0, 200.0, S) is None
    # A sample below zero means something else is wrong: nothing learned.
    assert learn([ProductWeight(5, "GIZMO", 1, None)], 100.0, 200.0, S) is None


def test_scan_check_by_weight_delta() -> None:
    s = WeightSettings(scan_tolerance_g=10.0, scan_tolerance_pct=15.0)
    assert scan_check(352.0, 350.0, 1, "MUG", s).ok
    twice = scan_check(1.0, 350.0, 1, "MUG", s)
    assert not twice.ok and "scanned twice" in twice.message
    dropped = scan_check(700.0, 350.0, 1, "MUG", s)
    assert not dropped.ok and "≈ 2 × MUG for 1 scanned" in dropped.message
    odd = scan_check(180.0, 350.0, 1, "MUG", s)
    assert not odd.ok and "+180 g" in odd.message
    assert scan_check(700.0, 350.0, 2, "MUG", s).ok  # QTY-2: two units' worth is right
    unchecked = scan_check(None, 350.0, 1, "MUG", s)
    assert unchecked.ok and "not checked" in unchecked.message
    assert scan_check(50.0, None, 1, "GIZMO", s).ok


def reading(grams: float | None, state: ScaleState = ScaleState.STABLE) -> ScaleReading:
    return ScaleReading(state, grams, 1.0, f"S S {grams} g")


def baseline(t: ScaleTrack) -> float | None:
    """Read through a call: mypy would keep an earlier assert's narrowing across mutations."""
    return t.baseline_g


def test_scale_track_plateaus_and_baseline() -> None:
    assert ScaleTrack().current_g is None and ScaleTrack().references() == []
    t = ScaleTrack()
    t.observe(reading(0.0))
    t.observe(reading(300.0))  # the empty box
    t.observe(reading(301.0))  # jitter: the same plateau
    t.observe(reading(650.0, ScaleState.MOVING))
    assert t.state is ScaleState.MOVING and t.current_g == 301.0
    t.observe(reading(650.0))
    assert t.plateaus == [0.0, 301.0, 650.0]
    assert t.references() == [301.0, 0.0]  # no unit accepted yet: the plateaus before, newest first
    t.accepted()
    assert baseline(t) == 650.0 and t.references() == [650.0]
    t.observe(reading(750.0))
    t.changed()  # an undo: compare with the plateau before again
    assert baseline(t) is None and t.references() == [650.0]
    # A new package on the scale: its first unit has no baseline.
    moved = ScaleTrack(baseline_g=650.0, package_id=6)
    moved.for_package(7)
    assert baseline(moved) is None and moved.package_id == 7
    for grams in range(0, 2000, 100):
        moved.observe(reading(float(grams)))
    assert len(moved.plateaus) == 8  # bounded
