"""The gate of a troubled printer, by value."""

from __future__ import annotations

from drivers.backoff import Backoff
from station.printing.retry_gate import RetryGate


def test_waits_double_up_to_the_cap_and_clear_on_success() -> None:
    gate = RetryGate(Backoff(first_s=1.0, cap_s=5.0))
    assert gate.due(0.0)
    assert [gate.failed(10.0) for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert not gate.due(14.9)
    assert gate.remaining(12.0) == 3.0
    assert gate.due(15.0)
    gate.cleared()
    assert gate.due(0.0)
    assert gate.failed(20.0) == 1.0  # a new trouble starts quick again
