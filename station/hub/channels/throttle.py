"""Respecting Shopify's cost-based rate limit from what each answer says about the bucket.

Shopify charges every GraphQL call its query cost against a leaky bucket and reports the
bucket in ``extensions.cost.throttleStatus``. Rather than sending and being refused, the
connector keeps the last reported level, lets it refill at the reported rate, and waits
before a call until the bucket holds that call's expected cost. A ``THROTTLED`` answer still
happens (another app on the same shop spends from the same bucket) and is waited out the same
way. The time spent waiting is counted, so the benchmark can tell the shop's limit from the
hub's own work.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class CostThrottle:
    """The connector's view of one shop's bucket; ``wait_for(cost)`` before each call."""

    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    available: float | None = None  # unknown until the first answer
    maximum: float = 1000.0
    restore_rate: float = 50.0
    waited_s: float = 0.0
    _at: float = field(default=0.0)

    def _level(self) -> float | None:
        if self.available is None:
            return None
        return min(self.maximum, self.available + (self.clock() - self._at) * self.restore_rate)

    def wait_for(self, cost: float) -> None:
        """Sleep until the bucket should hold ``cost`` points (not at all before any answer)."""
        level = self._level()
        # One point to spare: the shop rounds the level it reports.
        wanted = min(cost + 1.0, self.maximum)
        if level is None or level >= wanted or self.restore_rate <= 0:
            return
        delay = (wanted - level) / self.restore_rate
        self.waited_s += delay
        self.sleep(delay)

    def update(self, extensions: Any) -> None:
        """Take the bucket's state from an answer's ``extensions`` (ignored when absent)."""
        status = (extensions or {}).get("cost", {}).get("throttleStatus") if extensions else None
        if not isinstance(status, dict):
            return
        try:
            self.maximum = float(status["maximumAvailable"])
            self.available = float(status["currentlyAvailable"])
            self.restore_rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return
        self._at = self.clock()
