"""How much each fuzz test tries, scaled by ``STATION_FUZZ_EXAMPLES``, and how much it tried.

``STATION_FUZZ_EXAMPLES`` is the number of examples of a test of weight 1 (default 200); a
long run sets it to 10000 or more. Every example a test executes is counted, and the total
is printed at the end of the run (``tests/conftest.py``), so the closing figures can say how many
inputs were fuzzed.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from hypothesis import HealthCheck, settings

BASE = int(os.environ.get("STATION_FUZZ_EXAMPLES", "200"))
# CI replays the same inputs on every run, so a red CI means a change broke something, not
# that this run drew a new input; every other run (and a long one) draws fresh inputs, and a
# failure they find becomes a regression test (as the ESC/POS paper-sensor one did).
FIXED_SEED = os.environ.get("CI", "").lower() in ("1", "true", "yes")
INPUTS: Counter[str] = Counter()

P = ParamSpec("P")
R = TypeVar("R")


def fuzz_settings(weight: float = 1.0) -> settings:
    """Bounded hypothesis settings: ``weight`` times the base count, no deadline."""
    return settings(
        max_examples=max(1, int(BASE * weight)),
        deadline=None,
        derandomize=FIXED_SEED,
        # The examples are the point; a saved failing example is replayed by the database.
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )


def counted(target: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Count each call of the decorated test body under ``target``."""

    def wrap(body: Callable[P, R]) -> Callable[P, R]:
        @wraps(body)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            INPUTS[target] += 1
            return body(*args, **kwargs)

        return run

    return wrap
