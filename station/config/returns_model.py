"""The pieces of ``[returns]`` as typed data: grades, checklist questions, disposition rules."""

from __future__ import annotations

from dataclasses import dataclass

Answer = bool | None  # None: not applicable to this item


@dataclass(frozen=True)
class ChecklistQuestion:
    """One yes/no question of the inspection checklist; ``key`` is what grades refer to."""

    key: str
    question: str


@dataclass(frozen=True)
class Grade:
    """A grade of the scale and the checklist answers an item needs to earn it."""

    code: str
    name: str
    requires: tuple[tuple[str, bool], ...] = ()

    def holds(self, answers: dict[str, Answer]) -> bool | None:
        """True if every requirement holds, False if one fails, None if one is unanswered."""
        unanswered = False
        for key, wanted in self.requires:
            if key not in answers:
                unanswered = True
            elif answers[key] is not None and answers[key] is not wanted:
                return False
        return None if unanswered else True


@dataclass(frozen=True)
class DispositionRule:
    """grade × category × value × days since sale -> disposition and refund.

    An empty ``grades`` or ``categories`` matches any; an absent bound does not limit. A bound
    on a value that is unknown (no price, no sale date) does not match.
    """

    name: str
    disposition: str
    refund: str = "full"
    refund_pct: int | None = None  # for a partial refund (50 if not given)
    grades: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    min_days: int | None = None
    max_days: int | None = None

    @property
    def percent(self) -> int:
        """The share of the price refunded: 100 for full, 0 for none."""
        return {"full": 100, "none": 0}.get(self.refund, self.refund_pct or 50)

    def matches(
        self, grade: str, category: str | None, value: float | None, days: int | None
    ) -> bool:
        """True if an item with these facts falls under the rule."""
        if self.grades and grade not in self.grades:
            return False
        if self.categories and category not in self.categories:
            return False
        return _within(value, self.min_value, self.max_value) and _within(
            days, self.min_days, self.max_days
        )


def _within(x: float | None, low: float | None, high: float | None) -> bool:
    if low is None and high is None:
        return True
    if x is None:
        return False
    return (low is None or x >= low) and (high is None or x <= high)
