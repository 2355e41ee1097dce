"""Billed weight for the box suggestion: the DIM rules of the station's site, as its hub last
gave them (kept by the label buyer under ``station.ship.dim.SETTING``).

A station that never heard from its hub has none, and the suggestion goes by volume alone.
"""

from __future__ import annotations

import sqlite3

from station.packing.boxes import BilledWeight, Dims
from station.ship.dim import SETTING, parse_rules_json


def billed_weight(cur: sqlite3.Cursor) -> BilledWeight | None:
    """The billed weight of a box: the highest of the site's carriers (any of them may be the
    one bought, so the box that keeps every carrier's bill low wins); None without rules."""
    row = cur.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    rules = tuple(parse_rules_json(row[0]).values()) if row is not None else ()
    if not rules:
        return None

    def billed(dims: Dims, grams: float) -> float:
        return max(rule.billed_weight_g(grams, dims) for rule in rules)

    return billed
