"""``[returns]`` from a TOML file: a custom grade scale, checklist and rule table; the errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.config import ConfigError, load_settings
from station.returns.disposition import ItemFacts, recommend
from station.returns.grading import assess, grade_for, photos_required

CUSTOM = """
[returns]
reasons = ["unwanted", "faulty", "other"]
photo_grades = ["Scrap"]
default_disposition = "liquidate"

[[returns.checklist]]
key = "sealed"
question = "Still sealed?"

[[returns.checklist]]
key = "works"
question = "Works?"

[[returns.grades]]
code = "Mint"
name = "sealed, as sold"
requires = { sealed = true, works = true }

[[returns.grades]]
code = "Good"
name = "opened, works"
requires = { works = true }

[[returns.grades]]
code = "Scrap"
name = "broken"

[[returns.rules]]
name = "mint-books"
grades = ["Mint"]
categories = ["books"]
max_days = 14
disposition = "restock"

[[returns.rules]]
name = "good-pricey"
grades = ["Good"]
min_value = 100
disposition = "refurbish"
refund = "partial"
refund_pct = 60

[[returns.rules]]
name = "scrap"
grades = ["Scrap"]
disposition = "recycle"
refund = "none"

[returns.refund]
window_days = 14
fault_reasons = ["faulty"]

[returns.destinations]
recycle = "Skip 4"
"""


def settings_from(tmp_path: Path, text: str):
    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings(path, env={}).returns


def test_a_custom_scale_and_rule_table_from_the_file(tmp_path: Path) -> None:
    r = settings_from(tmp_path, CUSTOM)
    assert [g.code for g in r.grades] == ["Mint", "Good", "Scrap"]
    assert [q.key for q in r.checklist] == ["sealed", "works"]
    assert grade_for({"sealed": True, "works": True}, r).code == "Mint"
    assert grade_for({"sealed": False, "works": True}, r).code == "Good"
    assert grade_for({"works": False}, r).code == "Scrap"
    step = assess({}, r)
    assert step.next_question is not None and step.next_question.question == "Still sealed?"
    assert photos_required("Scrap", r) and not photos_required("Good", r)

    def rec(grade: str, category: str, value: float, days: int, reason: str | None = None):
        return recommend(ItemFacts(grade, category, value, days, observed_reason=reason), r)

    assert rec("Mint", "books", 10, 3).rule == "mint-books"
    # Past 14 days no rule matches: the configured default, no refund.
    late = rec("Mint", "books", 10, 20)
    assert (late.disposition, late.refund) == ("liquidate", "none")
    pricey = rec("Good", "toys", 150, 3)
    assert (pricey.disposition, pricey.refund, pricey.refund_pct) == ("refurbish", "partial", 60)
    assert rec("Scrap", "toys", 150, 3, "faulty").refund == "full"
    assert r.destination("recycle") == "Skip 4"
    assert r.destination("restock") == "Stock"  # the defaults fill what the file leaves out
    assert r.reasons == ("unwanted", "faulty", "other")


def test_a_replaced_scale_requires_a_photo_of_its_worst_grade(tmp_path: Path) -> None:
    text = CUSTOM.replace('photo_grades = ["Scrap"]\n', "")
    assert settings_from(tmp_path, text).photo_grades == ("Scrap",)


def test_the_defaults_without_a_returns_table(tmp_path: Path) -> None:
    r = settings_from(tmp_path, "")
    assert [g.code for g in r.grades] == ["A", "B", "C", "D", "F"]
    assert r.photo_grades == ("D", "F")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[returns]\ncolour = 1", r"\[returns\] colour: unknown setting"),
        ("[returns]\nreasons = 3", r"\[returns\] reasons: expected a list of strings"),
        ("[returns]\ndefault_disposition = 'burn'", r"'burn' is unknown; use restock"),
        ("[returns]\nphoto_grades = ['Z']", r"photo_grades: 'Z' is unknown; use A, B"),
        (
            "[[returns.rules]]\nname = 'x'\ndisposition = 'sell'",
            r"\[returns\] rules\[1\] disposition: 'sell' is unknown",
        ),
        (
            "[[returns.rules]]\nname = 'x'\ndisposition = 'restock'\ngrades = ['Q']",
            r"rules\[1\] grades: 'Q' is unknown",
        ),
        (
            "[[returns.rules]]\nname = 'x'\ndisposition = 'restock'\nrefund_pct = 40",
            r"rules\[1\] refund_pct: only for a partial refund",
        ),
        ("[[returns.rules]]\nname = 'x'", r"rules\[1\] disposition: missing"),
        (
            "[[returns.rules]]\nname = 'x'\ndisposition = 'restock'\nmax_days = 'soon'",
            r"rules\[1\] max_days: expected int, got str",
        ),
        (
            "[[returns.grades]]\ncode = 'A'\nname = 'a'\nrequires = { smell = true }",
            r"grades\[1\] requires: 'smell' is not a checklist key",
        ),
        (
            "[[returns.checklist]]\nkey = 'x'\nquestion = 'X?'",
            r"a custom checklist needs its own grades",
        ),
        (
            "[[returns.grades]]\ncode = 'Q'\nname = 'q'",
            r"a custom grade scale needs its own rules",
        ),
        ("[returns]\nrefund = 3", r"\[returns\] refund: expected a table"),
        ("[returns.destinations]\nmoon = 'x'", r"destinations: 'moon' is unknown"),
        ("returns = 3", r"\[returns\] must be a table"),
    ],
)
def test_errors_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from(tmp_path, text)


def test_the_documented_example_loads(tmp_path: Path) -> None:
    from station.config import returns as module

    assert module.__doc__ is not None
    example = module.__doc__.split("::", 1)[1]
    r = settings_from(tmp_path, "\n".join(line[4:] for line in example.splitlines()))
    assert [g.code for g in r.grades] == ["OK", "F"]
    assert r.rules[0].refund_pct == 85 and r.destination("restock") == "Aisle 4"
