"""How long to wait before trying a troubled device or service again: the one back-off.

Scales and scanners reconnect with it, the print queue paces a refusing printer and the sync
worker retries the hub. A policy only (no clock, no counter): each caller counts its own
consecutive failures, so one policy can be shared by several devices. Our own few lines rather
than ``backoff`` or ``tenacity``: those wrap a function call in retries, while every user here is
a worker loop that must stay stoppable and report the wait (``retrying in 2 s``) before it waits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Capped exponential delays: ``first_s`` after the first failure, doubling per consecutive
    failure, never above ``cap_s``.

    ``jitter`` (0 to 1) shortens each delay by up to that fraction at random, so that many
    stations cut off together do not all come back in the same second.
    """

    first_s: float = 0.5
    cap_s: float = 10.0
    jitter: float = 0.0
    rng: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.first_s < 0 or self.cap_s < 0:
            raise ValueError(f"back-off delays cannot be negative: {self.first_s}, {self.cap_s}")
        if not 0.0 <= self.jitter <= 1.0:
            raise ValueError(f"back-off jitter must be between 0 and 1, got {self.jitter}")

    def delay(self, failures: int) -> float:
        """The wait after the ``failures``-th consecutive failure (1 for the first)."""
        exponent = min(max(failures - 1, 0), 64)  # 2**64 × first_s is past any cap already
        base = float(min(self.cap_s, self.first_s * 2.0**exponent))
        if self.jitter:
            return base * (1.0 - self.jitter + self.jitter * self.rng())
        return base
