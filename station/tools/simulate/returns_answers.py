"""How the simulated inspector answers: stated reasons, checklist answers, observed reasons.

Weights are rough shares seen in e-commerce returns; they only need to exercise every grade
and rule, not to forecast anything.
"""

from __future__ import annotations

import random

from station.config.returns import ReturnSettings
from station.returns.grading import assess

REASONS = {
    "changed_mind": 35,
    "wrong_size": 20,
    "defective": 15,
    "damaged_in_transit": 8,
    "not_as_described": 8,
    "wrong_item_sent": 4,
    "arrived_late": 5,
    "other": 5,
}
# How likely each checklist answer is "yes", and how a stated reason shifts it.
YES = {
    "packaging_intact": 0.45,
    "accessories": 0.9,
    "functions": 0.92,
    "cosmetic_damage": 0.12,
    "hygiene_seal": 0.9,
}
SHIFT = {"defective": {"functions": 0.35}, "damaged_in_transit": {"cosmetic_damage": 0.6}}
# Questions that only make sense for some categories (a mug has no hygiene seal).
APPLIES = {"hygiene_seal": {"health", "food"}, "functions": {"electronics", "tools", "toys"}}


def answers(
    rng: random.Random, settings: ReturnSettings, reason: str, category: str | None
) -> dict[str, bool | None]:
    """Answer the checklist question by question until the grade is decided."""
    given: dict[str, bool | None] = {}
    while (step := assess(given, settings)).next_question is not None:
        key = step.next_question.key
        if key in APPLIES and category not in APPLIES[key]:
            given[key] = None
            continue
        p = SHIFT.get(reason, {}).get(key, YES.get(key, 0.8))
        given[key] = rng.random() < p
    return given


def observed(rng: random.Random, settings: ReturnSettings, reason: str) -> str | None:
    """What the inspector finds: mostly the stated reason, else no fault at all."""
    pick = reason if rng.random() < 0.6 else "no_fault_found"
    return pick if pick in settings.reasons else None
