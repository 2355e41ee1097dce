"""The stable-weight rule, driven by a synthetic sequence and clock."""

from __future__ import annotations

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.stable import StableWeightRule


def stable(grams: float, resolution: float = 1.0) -> ScaleReading:
    return ScaleReading(ScaleState.STABLE, grams, resolution, f"{grams} g")


MOVING = ScaleReading(ScaleState.MOVING, 500.0, 1.0, "moving")


def test_accepts_on_the_nth_agreeing_stable_reading():
    rule = StableWeightRule(count=3)
    assert rule.feed(stable(500), 0.0) is None
    assert rule.feed(stable(500), 0.2) is None
    assert rule.feed(stable(501), 0.4) == stable(501)  # within one resolution step
    assert rule.feed(stable(500), 0.6) == stable(500)  # the window slides


def test_readings_further_apart_than_the_resolution_do_not_agree():
    rule = StableWeightRule(count=3)
    for at, grams in enumerate([500, 500, 502]):
        assert rule.feed(stable(grams), at * 0.2) is None
    # now 500, 502, 502: still 2 g apart
    assert rule.feed(stable(502), 0.6) is None
    assert rule.feed(stable(502), 0.8) == stable(502)


def test_a_moving_reading_restarts_the_count():
    rule = StableWeightRule(count=2)
    rule.feed(stable(500), 0.0)
    assert rule.feed(MOVING, 0.2) is None
    assert rule.feed(stable(500), 0.4) is None
    assert rule.feed(stable(500), 0.6) == stable(500)


def test_states_without_weight_are_never_accepted():
    rule = StableWeightRule(count=1)
    for state in (ScaleState.NEGATIVE, ScaleState.OVERLOAD, ScaleState.FAULT, ScaleState.UNKNOWN):
        assert rule.feed(ScaleReading(state, None, None, str(state)), 0.0) is None


def test_a_gap_in_time_restarts_the_count():
    rule = StableWeightRule(count=2, max_gap_s=1.0)
    rule.feed(stable(500), 0.0)
    assert rule.feed(stable(500), 5.0) is None
    assert rule.feed(stable(500), 5.2) == stable(500)


def test_reset_restarts_the_count():
    rule = StableWeightRule(count=2)
    rule.feed(stable(500), 0.0)
    rule.reset()
    assert rule.feed(stable(500), 0.1) is None


def test_count_of_one_trusts_the_scale_alone():
    assert StableWeightRule(count=1).feed(stable(7), 0.0) == stable(7)


def test_pound_steps_converted_to_grams_still_agree():
    step = 4.5359237
    rule = StableWeightRule(count=2)
    rule.feed(stable(100 * step, step), 0.0)
    assert rule.feed(stable(101 * step, step), 0.1) is not None


def test_count_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        StableWeightRule(count=0)
