"""``[[packing.inserts]]``: flyers and samples a package gets, by rule (issue 18, point 3).

Each table names an insert (``code``, ``name``, the ``barcode`` printed on its stack) and
when it goes in. Every condition given must hold; one left out is not checked:

- ``channels``: the order came from one of these sales channels;
- ``skus``: the order holds one of these SKUs;
- ``min_order_value``: the order's goods are worth at least this much (its lines' unit values);
- ``first_order``: this is the customer's first order the station knows.

``low_stock``: the bench shows the stock as low at or below this many.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_KEYS = {"code", "name", "barcode", "channels", "skus", "min_order_value", "first_order",
         "low_stock"}  # fmt: skip


@dataclass(frozen=True)
class InsertRule:
    """One insert and the orders that get it."""

    code: str
    name: str
    barcode: str
    channels: tuple[str, ...] = ()
    skus: tuple[str, ...] = ()
    min_order_value: float | None = None
    first_order: bool = False
    low_stock: int = 0


def parse_inserts(value: object, problems: list[str]) -> tuple[InsertRule, ...]:
    """The rules of ``[[packing.inserts]]``; every mistake is added to ``problems``."""
    if not isinstance(value, list):
        problems.append("[packing] inserts: expected a list of tables ([[packing.inserts]])")
        return ()
    rules: list[InsertRule] = []
    seen: dict[str, int] = {}
    for n, table in enumerate(value, start=1):
        where = f"[[packing.inserts]] #{n}"
        if not isinstance(table, dict):
            problems.append(f"{where}: expected a table")
            continue
        rule = _rule(table, where, problems)
        if rule is None:
            continue
        for key in (rule.code, rule.barcode):
            if key in seen:
                problems.append(f"{where}: {key!r} is also used by insert #{seen[key]}")
            seen[key] = n
        rules.append(rule)
    return tuple(rules)


def _rule(table: dict[str, Any], where: str, problems: list[str]) -> InsertRule | None:
    before = len(problems)
    for key in sorted(set(table) - _KEYS):
        problems.append(f"{where} {key}: unknown setting")
    texts: dict[str, str] = {}
    for key in ("code", "name", "barcode"):
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{where} {key}: required text")
        else:
            texts[key] = value.strip()
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("channels", "skus"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{where} {key}: expected a list of text")
        else:
            lists[key] = tuple(v.strip() for v in value if v.strip())
    minimum = table.get("min_order_value")
    if minimum is not None and (
        isinstance(minimum, bool) or not isinstance(minimum, int | float) or minimum < 0
    ):
        problems.append(f"{where} min_order_value: expected a number of at least 0")
    first = table.get("first_order", False)
    if not isinstance(first, bool):
        problems.append(f"{where} first_order: expected true or false")
    low = table.get("low_stock", 0)
    if isinstance(low, bool) or not isinstance(low, int) or low < 0:
        problems.append(f"{where} low_stock: expected a whole number of at least 0")
    if len(problems) > before:
        return None
    return InsertRule(
        code=texts["code"],
        name=texts["name"],
        barcode=texts["barcode"],
        channels=lists["channels"],
        skus=lists["skus"],
        min_order_value=None if minimum is None else float(minimum),
        first_order=bool(first),
        low_stock=int(low),
    )
