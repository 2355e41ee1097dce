"""``[returns]``: grade scale, checklist, reasons, disposition rules, refund policy, photos, tags.

Parsed from the TOML table by :func:`parse_returns`; every error names the key at fault the
way ``station.config`` does (``[returns] rules[2] disposition: ...``). ``station.config`` turns
the ``ReturnsConfigError`` into its own ``ConfigError`` (this module cannot import it: config
imports this one). Every key is optional; a table given replaces its default wholly::

    [returns]
    reasons = ["changed_mind", "defective", "other"]
    photo_grades = ["F"]                 # no disposal of these grades without a photo
    default_disposition = "quarantine"   # when no rule matches (refund: none)

    [[returns.checklist]]
    key = "functions"
    question = "Does it work?"

    [[returns.grades]]                   # best first; the last is the fallback
    code = "OK"
    name = "works"
    requires = { functions = true }

    [[returns.grades]]
    code = "F"
    name = "broken"

    [[returns.rules]]                    # first match wins
    name = "pricey-electronics"
    grades = ["OK"]
    categories = ["electronics"]
    min_value = 100.0                    # also max_value, min_days, max_days (since sale)
    disposition = "resell_open_box"      # restock refurbish resell_open_box liquidate
    refund = "partial"                   # recycle return_to_vendor quarantine
    refund_pct = 85

    [returns.refund]
    window_days = 30                     # no refund after this...
    fault_reasons = ["defective"]        # ...unless the inspector observed our fault

    [returns.destinations]
    restock = "Aisle 4"
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from station.config import returns_defaults as defaults
from station.config.returns_model import ChecklistQuestion, DispositionRule, Grade

_T = TypeVar("_T")


class ReturnsConfigError(ValueError):
    """``[returns]`` values missing, unknown or of the wrong kind: every problem found."""

    def __init__(self, *problems: str) -> None:
        super().__init__("\n".join(problems))
        self.problems: tuple[str, ...] = problems


@dataclass(frozen=True)
class RefundPolicy:
    """When a refund is cut whatever the rule says, and when it is full whatever the grade."""

    window_days: int = 30  # after this many days since the sale, no refund...
    fault_reasons: tuple[str, ...] = defaults.FAULT_REASONS  # ...unless the fault is ours


@dataclass(frozen=True)
class ReturnSettings:
    """Everything an inspection decides by: data from the configuration, never code."""

    grades: tuple[Grade, ...] = defaults.GRADES
    checklist: tuple[ChecklistQuestion, ...] = defaults.CHECKLIST
    reasons: tuple[str, ...] = defaults.REASONS
    rules: tuple[DispositionRule, ...] = defaults.RULES
    default_disposition: str = "quarantine"
    refund: RefundPolicy = field(default_factory=RefundPolicy)
    photo_grades: tuple[str, ...] = ("D", "F")  # a photo is required before these are disposed
    destinations: dict[str, str] = field(default_factory=lambda: dict(defaults.DESTINATIONS))
    tag_printer: str = ""  # empty: the bench's configured printer
    tag_language: str = "zpl"

    def grade(self, code: str) -> Grade:
        """The grade with this code (KeyError if the scale has none)."""
        for grade in self.grades:
            if grade.code == code:
                return grade
        raise KeyError(code)

    def destination(self, disposition: str) -> str:
        """Where a unit of this disposition goes (the tag says so)."""
        return self.destinations.get(disposition, disposition)


_SCALARS = {
    "reasons": tuple,
    "default_disposition": str,
    "photo_grades": tuple,
    "tag_printer": str,
    "tag_language": str,
}
_TABLES = {"grades", "checklist", "rules", "refund", "destinations"}


def _fail(where: str, message: str) -> ReturnsConfigError:
    return ReturnsConfigError(f"[returns] {where}: {message}")


class _Problems:
    """The problems found so far; a part that fails is reported and parsing goes on."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def attempt(self, step: Callable[..., _T], *args: Any) -> _T | None:
        """``step(*args)``, or None with its problems kept when it fails."""
        try:
            return step(*args)
        except ReturnsConfigError as exc:
            self.found.extend(exc.problems)
            return None

    def rows(
        self, rows: list[dict[str, Any]], parse: Callable[[int, dict[str, Any]], _T]
    ) -> list[_T]:
        """Each row parsed on its own, so that every bad row is reported."""
        parsed = [self.attempt(parse, n, row) for n, row in enumerate(rows, start=1)]
        return [p for p in parsed if p is not None]


def _kind(where: str, value: object, wanted: type) -> Any:
    if wanted is tuple:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _fail(where, "expected a list of strings")
        return tuple(value)
    if wanted is float and type(value) is int:
        return float(value)
    if type(value) is not wanted:
        raise _fail(where, f"expected {wanted.__name__}, got {type(value).__name__}")
    return value


def _one_of(where: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(where, f"{value!r} is unknown; use {', '.join(allowed)}")
    return value


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data[key]
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise _fail(key, f"expected a non-empty array of tables ([[returns.{key}]])")
    return rows


def _fields(
    where: str, row: dict[str, Any], spec: dict[str, type], needed: set[str]
) -> dict[str, Any]:
    problems = _Problems()
    problems.found += [f"[returns] {where} {key}: missing" for key in sorted(needed - set(row))]
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key not in spec:
            problems.found.append(f"[returns] {where} {key}: unknown setting")
        else:
            out[key] = problems.attempt(_kind, f"{where} {key}", value, spec[key])
    if problems.found:
        raise ReturnsConfigError(*problems.found)
    return out


def _checklist(data: dict[str, Any], problems: _Problems) -> tuple[ChecklistQuestion, ...]:
    def row(n: int, row: dict[str, Any]) -> ChecklistQuestion:
        spec: dict[str, type] = {"key": str, "question": str}
        return ChecklistQuestion(**_fields(f"checklist[{n}]", row, spec, {"key", "question"}))

    count = len(problems.found)
    out = problems.rows(_rows(data, "checklist"), row)
    if len(problems.found) > count:
        raise ReturnsConfigError()  # the rows' problems are kept; what depends on it is skipped
    keys = [q.key for q in out]
    if len(set(keys)) != len(keys):
        raise _fail("checklist", "each key may appear once")
    return tuple(out)


def _grades(
    data: dict[str, Any], questions: tuple[str, ...], problems: _Problems
) -> tuple[Grade, ...]:
    def grade(n: int, row: dict[str, Any]) -> Grade:
        where = f"grades[{n}]"
        requires = row.get("requires", {})
        if not isinstance(requires, dict):
            raise _fail(f"{where} requires", "expected a table of checklist key = true/false")
        for key, wanted in requires.items():
            if key not in questions:
                raise _fail(f"{where} requires", f"{key!r} is not a checklist key")
            if not isinstance(wanted, bool):
                raise _fail(f"{where} requires {key}", "expected true or false")
        rest = {k: v for k, v in row.items() if k != "requires"}
        values = _fields(where, rest, {"code": str, "name": str}, {"code", "name"})
        return Grade(values["code"], values["name"], tuple(requires.items()))

    count = len(problems.found)
    out = problems.rows(_rows(data, "grades"), grade)
    if len(problems.found) > count:
        raise ReturnsConfigError()  # the rows' problems are kept; what depends on it is skipped
    codes = [g.code for g in out]
    if len(set(codes)) != len(codes):
        raise _fail("grades", "each code may appear once")
    return tuple(out)


_RULE = {
    "name": str,
    "disposition": str,
    "refund": str,
    "refund_pct": int,
    "grades": tuple,
    "categories": tuple,
    "min_value": float,
    "max_value": float,
    "min_days": int,
    "max_days": int,
}


def _rules(
    data: dict[str, Any], codes: tuple[str, ...], problems: _Problems
) -> tuple[DispositionRule, ...]:
    def rule(n: int, row: dict[str, Any]) -> DispositionRule:
        where = f"rules[{n}]"
        values = _fields(where, row, _RULE, {"name", "disposition"})
        _one_of(f"{where} disposition", values["disposition"], defaults.DISPOSITIONS)
        refund = _one_of(f"{where} refund", values.get("refund", "full"), defaults.REFUNDS)
        pct = values.get("refund_pct")
        if pct is not None and (refund != "partial" or not 0 < pct < 100):
            raise _fail(f"{where} refund_pct", "only for a partial refund, 1 to 99")
        for code in values.get("grades", ()):
            _one_of(f"{where} grades", code, codes)
        return DispositionRule(**values)

    return tuple(problems.rows(_rows(data, "rules"), rule))


def _refund(data: dict[str, Any]) -> RefundPolicy:
    table = data["refund"]
    if not isinstance(table, dict):
        raise _fail("refund", "expected a table")
    spec = {"window_days": int, "fault_reasons": tuple}
    return RefundPolicy(**_fields("refund", table, spec, set()))


def _destinations(data: dict[str, Any]) -> dict[str, str]:
    table = data["destinations"]
    if not isinstance(table, dict):
        raise _fail("destinations", "expected a table of disposition = place")
    out = dict(defaults.DESTINATIONS)
    for key, value in table.items():
        _one_of("destinations", key, defaults.DISPOSITIONS)
        out[key] = _kind(f"destinations {key}", value, str)
    return out


def parse_returns(data: dict[str, Any]) -> ReturnSettings:
    """``[returns]`` from its TOML table; absent keys keep their defaults.

    Every problem is reported at once (:class:`ReturnsConfigError` holds them all); only what
    depends on a part that failed (the grades of a broken checklist...) is not checked.
    """
    problems = _Problems()
    for key in sorted(set(data) - set(_SCALARS) - _TABLES):
        problems.found.append(f"[returns] {key}: unknown setting")
    values: dict[str, Any] = {}
    for key in (k for k in data if k in _SCALARS):
        value = problems.attempt(_kind, key, data[key], _SCALARS[key])
        if value is not None:
            values[key] = value
    checklist: tuple[ChecklistQuestion, ...] | None = defaults.CHECKLIST
    if "checklist" in data:
        checklist = problems.attempt(_checklist, data, problems)
    grades: tuple[Grade, ...] | None = None
    if checklist is not None:
        keys = {q.key for q in checklist}
        if "grades" in data:
            grades = problems.attempt(_grades, data, tuple(keys), problems)
        elif any(k not in keys for g in defaults.GRADES for k, _ in g.requires):
            problems.found.append("[returns] grades: a custom checklist needs its own grades")
        else:
            grades = defaults.GRADES
    if grades is not None:
        codes = tuple(g.code for g in grades)
        if "rules" in data:
            rules = problems.attempt(_rules, data, codes, problems)
            if rules is not None:
                values["rules"] = rules
        elif any(c not in codes for r in defaults.RULES for c in r.grades):
            problems.found.append("[returns] rules: a custom grade scale needs its own rules")
        # A replaced scale without photo_grades still needs a photo of its worst grade.
        worst = ("D", "F") if "grades" not in data else codes[-1:]
        photo_grades = values.get("photo_grades", worst)
        for code in photo_grades:
            problems.attempt(_one_of, "photo_grades", code, codes)
        values.update(checklist=checklist, grades=grades, photo_grades=photo_grades)
    if "refund" in data:
        refund = problems.attempt(_refund, data)
        if refund is not None:
            values["refund"] = refund
    if "destinations" in data:
        destinations = problems.attempt(_destinations, data)
        if destinations is not None:
            values["destinations"] = destinations
    default = values.get("default_disposition", "quarantine")
    problems.attempt(_one_of, "default_disposition", default, defaults.DISPOSITIONS)
    if problems.found:
        raise ReturnsConfigError(*problems.found)
    return ReturnSettings(**values)
