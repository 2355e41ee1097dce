"""The one back-off of scales, scanners, printers and sync, by value."""

from __future__ import annotations

import pytest

from drivers.backoff import Backoff


def test_delays_double_from_the_first_failure_up_to_the_cap() -> None:
    backoff = Backoff(first_s=0.5, cap_s=3.0)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    assert backoff.delay(0) == 0.5  # no failure counted yet: the shortest wait
    assert backoff.delay(10_000) == 3.0  # a night of failures stays at the cap, no overflow


def test_jitter_shortens_each_delay_by_up_to_its_fraction() -> None:
    highest = Backoff(first_s=1, cap_s=8, jitter=0.5, rng=lambda: 1.0)
    assert [highest.delay(n) for n in range(1, 7)] == [1, 2, 4, 8, 8, 8]
    lowest = Backoff(first_s=1, cap_s=8, jitter=0.5, rng=lambda: 0.0)
    assert [lowest.delay(n) for n in range(1, 4)] == [0.5, 1, 2]


def test_a_policy_is_shared_without_state() -> None:
    backoff = Backoff(first_s=0.25, cap_s=1.0)
    assert backoff.delay(3) == backoff.delay(3) == 1.0
    assert backoff == Backoff(first_s=0.25, cap_s=1.0)


@pytest.mark.parametrize(
    ("first_s", "cap_s", "jitter", "message"),
    [
        (-1.0, 10.0, 0.0, "cannot be negative"),
        (0.5, -0.5, 0.0, "cannot be negative"),
        (0.5, 10.0, 1.5, "jitter must be between 0 and 1"),
    ],
)
def test_a_wrong_policy_is_refused_naming_the_cause(
    first_s: float, cap_s: float, jitter: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Backoff(first_s=first_s, cap_s=cap_s, jitter=jitter)
