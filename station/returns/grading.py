"""From checklist answers to a grade: pure, tested by value.

The scale is ordered best first; an item earns the first grade whose required answers all
hold. :func:`assess` also says which question to ask next, so the inspector answers only the
few that can still change the grade (a unit that does not work is F after one answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from station.config.returns import ReturnSettings
from station.config.returns_model import Answer, ChecklistQuestion, Grade


class ChecklistError(ValueError):
    """An answer to a question the checklist does not have, or a grade not yet decided."""


@dataclass(frozen=True)
class Assessment:
    """The grade the answers so far give, or the next question that decides it."""

    grade: Grade | None
    next_question: ChecklistQuestion | None

    @property
    def decided(self) -> bool:
        """True once more answers cannot change the grade."""
        return self.grade is not None


def _checked(answers: Mapping[str, Answer], settings: ReturnSettings) -> dict[str, Answer]:
    keys = {q.key for q in settings.checklist}
    unknown = sorted(set(answers) - keys)
    if unknown:
        raise ChecklistError(f"no checklist question {', '.join(unknown)}: use {', '.join(keys)}")
    return dict(answers)


def assess(answers: Mapping[str, Answer], settings: ReturnSettings) -> Assessment:
    """The grade ``answers`` earn, or the first unanswered question that would decide it."""
    given = _checked(answers, settings)
    for grade in settings.grades:
        holds = grade.holds(given)
        if holds:
            return Assessment(grade, None)
        if holds is None:
            needed = {key for key, _ in grade.requires if key not in given}
            ask = next(q for q in settings.checklist if q.key in needed)
            return Assessment(None, ask)
    return Assessment(settings.grades[-1], None)


def grade_for(answers: Mapping[str, Answer], settings: ReturnSettings) -> Grade:
    """The grade of a finished checklist; ChecklistError names the question still open."""
    result = assess(answers, settings)
    if result.grade is None:
        assert result.next_question is not None
        raise ChecklistError(f"the checklist is not finished: {result.next_question.question}")
    return result.grade


def photos_required(grade: str, settings: ReturnSettings) -> bool:
    """True if an item of this grade may not be disposed of without a photo."""
    return grade in settings.photo_grades
