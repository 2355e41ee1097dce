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

from dataclasses import dataclass, field
from typing import Any

from station.config import returns_defaults as defaults
from station.config.returns_model import ChecklistQuestion, DispositionRule, Grade


class ReturnsConfigError(ValueError):
    """A ``[returns]`` value is missing, unknown or of the wrong kind."""


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
    for key in needed - set(row):
        raise _fail(f"{where} {key}", "missing")
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key not in spec:
            raise _fail(f"{where} {key}", "unknown setting")
        out[key] = _kind(f"{where} {key}", value, spec[key])
    return out


def _checklist(data: dict[str, Any]) -> tuple[ChecklistQuestion, ...]:
    out = []
    for n, row in enumerate(_rows(data, "checklist"), start=1):
        values = _fields(f"checklist[{n}]", row, {"key": str, "question": str}, {"key", "question"})
        out.append(ChecklistQuestion(**values))
    keys = [q.key for q in out]
    if len(set(keys)) != len(keys):
        raise _fail("checklist", "each key may appear once")
    return tuple(out)


def _grades(data: dict[str, Any], questions: tuple[str, ...]) -> tuple[Grade, ...]:
    out = []
    for n, row in enumerate(_rows(data, "grades"), start=1):
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
        out.append(Grade(values["code"], values["name"], tuple(requires.items())))
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


def _rules(data: dict[str, Any], codes: tuple[str, ...]) -> tuple[DispositionRule, ...]:
    out = []
    for n, row in enumerate(_rows(data, "rules"), start=1):
        where = f"rules[{n}]"
        values = _fields(where, row, _RULE, {"name", "disposition"})
        _one_of(f"{where} disposition", values["disposition"], defaults.DISPOSITIONS)
        refund = _one_of(f"{where} refund", values.get("refund", "full"), defaults.REFUNDS)
        pct = values.get("refund_pct")
        if pct is not None and (refund != "partial" or not 0 < pct < 100):
            raise _fail(f"{where} refund_pct", "only for a partial refund, 1 to 99")
        for code in values.get("grades", ()):
            _one_of(f"{where} grades", code, codes)
        out.append(DispositionRule(**values))
    return tuple(out)


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
    """``[returns]`` from its TOML table; absent keys keep their defaults."""
    for key in set(data) - set(_SCALARS) - _TABLES:
        raise _fail(key, "unknown setting")
    values: dict[str, Any] = {k: _kind(k, v, _SCALARS[k]) for k, v in data.items() if k in _SCALARS}
    checklist = _checklist(data) if "checklist" in data else defaults.CHECKLIST
    grades = _grades(data, tuple(q.key for q in checklist)) if "grades" in data else None
    if grades is None:
        keys = {q.key for q in checklist}
        if any(k not in keys for g in defaults.GRADES for k, _ in g.requires):
            raise _fail("grades", "a custom checklist needs its own grades")
        grades = defaults.GRADES
    codes = tuple(g.code for g in grades)
    values.update(checklist=checklist, grades=grades)
    if "rules" in data:
        values["rules"] = _rules(data, codes)
    elif any(c not in codes for r in defaults.RULES for c in r.grades):
        raise _fail("rules", "a custom grade scale needs its own rules")
    if "refund" in data:
        values["refund"] = _refund(data)
    if "destinations" in data:
        values["destinations"] = _destinations(data)
    _one_of(
        "default_disposition",
        values.get("default_disposition", "quarantine"),
        defaults.DISPOSITIONS,
    )
    # A replaced scale without photo_grades still needs a photo of its worst grade.
    photo_grades = values.get("photo_grades", ("D", "F") if "grades" not in data else codes[-1:])
    for code in photo_grades:
        _one_of("photo_grades", code, codes)
    values["photo_grades"] = photo_grades
    return ReturnSettings(**values)
