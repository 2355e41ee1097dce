"""Grades from the checklist (default A-F scale): each grade, n/a answers, the short path."""

from __future__ import annotations

import pytest

from station.config.returns import ReturnSettings
from station.returns.grading import ChecklistError, assess, grade_for, photos_required

S = ReturnSettings()
PERFECT = {
    "packaging_intact": True,
    "accessories": True,
    "functions": True,
    "cosmetic_damage": False,
    "hygiene_seal": True,
}


@pytest.mark.parametrize(
    ("changes", "grade"),
    [
        ({}, "A"),
        ({"packaging_intact": False}, "B"),
        ({"packaging_intact": False, "accessories": False}, "C"),
        ({"cosmetic_damage": True}, "D"),
        ({"cosmetic_damage": True, "accessories": False}, "D"),
        ({"functions": False}, "F"),
        ({"hygiene_seal": False}, "F"),
    ],
)
def test_each_grade_of_the_default_scale(changes: dict[str, bool], grade: str) -> None:
    assert grade_for({**PERFECT, **changes}, S).code == grade


def test_not_applicable_satisfies_a_requirement() -> None:
    # A mug: no hygiene seal, nothing to switch on.
    answers = {**PERFECT, "hygiene_seal": None, "functions": None}
    assert grade_for(answers, S).code == "A"


def test_the_checklist_asks_only_what_can_change_the_grade() -> None:
    first = assess({}, S)
    assert not first.decided and first.next_question is not None
    assert first.next_question.key == "packaging_intact"
    # A broken unit is F after one answer, whatever the rest would be.
    assert assess({"functions": False}, S).grade is not None
    assert grade_for({"functions": False}, S).code == "F"
    # Opened packaging: A is out, the next question is B's first.
    step = assess({"packaging_intact": False}, S)
    assert step.next_question is not None and step.next_question.key == "accessories"


def test_an_unfinished_or_unknown_answer_is_refused() -> None:
    with pytest.raises(ChecklistError, match="not finished"):
        grade_for({"packaging_intact": True}, S)
    with pytest.raises(ChecklistError, match="no checklist question smell"):
        assess({"smell": True}, S)


def test_photos_are_required_for_the_configured_grades() -> None:
    assert photos_required("D", S) and photos_required("F", S)
    assert not photos_required("A", S)
