"""Weight by history: a package checked against earlier verified packs of the same SKU set in
the same box, and the per-SKU weights those packs suggest for the catalog.

An expected weight (catalog unit weights + box tare + packing material) misses what a box of
the same items really weighs: void fill, a heavier tape, a catalog weight off by a few grams.
So once a SKU set (which SKUs, how many of each) in a box type has
``WeightSettings.history_min_packs`` verified packs, the package is judged against their mean
and spread instead, and flagged only when it is off by more than ``history_pct`` % of the mean
**and** ``history_sigma`` standard deviations **and** ``history_floor_g`` grams. Three limits
that must all be exceeded are one limit, their largest: that is the tolerance shown.

A verified pack: a weighing that passed (either rule) or a supervisor's override of the
package. One row per package in ``weight_history``: weighed again, its row is replaced; changed
after it passed (a unit in or out, another box), its row is gone until it passes again. The
latest ``history_packs`` rows are read through an index on (set, box, package): the cost of a
check does not grow with the history.

The box: the scanned box type's code, ``net`` for a reading with the box tared on the scale,
``unscanned`` when neither (a bench that never scans boxes still gets a history of its own).

Catalog proposals (:func:`proposals`): packs of a single SKU in a box whose tare is known give
that SKU's unit weight as (mean - tare - packing material) / quantity; a supervisor reviews them
(``station catalog weights --proposed``). Nothing here writes the catalog.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from station.config import WeightSettings
from station.outbox import sql_time
from station.packing.weight import (
    Expectation,
    ProductWeight,
    WeightCheck,
    WeightStatus,
    hint_for,
)

NET = "net"
UNSCANNED = "unscanned"


@dataclass(frozen=True)
class PackKey:
    """What makes two packages comparable: the same SKU set in the same box."""

    signature: str  # "SKU-A*1|SKU-B*2", SKUs sorted
    box: str  # a box type's code, NET or UNSCANNED

    @classmethod
    def of(cls, items: Sequence[ProductWeight], box: str) -> PackKey | None:
        """The key of a package holding ``items`` (None when it holds nothing)."""
        counted = sorted((p.sku, p.quantity) for p in items if p.quantity > 0)
        if not counted:
            return None
        return cls("|".join(f"{sku}*{qty}" for sku, qty in counted), box)


def box_key(box_code: str | None, net: bool) -> str:
    """The history's name for the box a reading weighed."""
    if net:
        return NET
    return box_code if box_code else UNSCANNED


@dataclass(frozen=True)
class Spread:
    """The verified packs of one key: how many, their mean and standard deviation."""

    packs: int
    mean_g: float
    sd_g: float

    @classmethod
    def of(cls, weights: Sequence[float]) -> Spread:
        """Mean and sample standard deviation (0 for a single pack)."""
        sd = statistics.stdev(weights) if len(weights) > 1 else 0.0
        return cls(len(weights), statistics.fmean(weights), sd)

    def tolerance_g(self, s: WeightSettings) -> float:
        """The difference beyond which a package is flagged: all three limits exceeded."""
        return max(
            s.history_pct * self.mean_g / 100.0, s.history_sigma * self.sd_g, s.history_floor_g
        )


def judge(
    spread: Spread,
    key: PackKey,
    measured_g: float,
    s: WeightSettings,
    missing: Sequence[tuple[str, float]] = (),
    extra: Sequence[tuple[str, float]] = (),
) -> WeightCheck:
    """Pass or fail against the history of ``key`` (never unknown: the packs are the weight)."""
    tolerance = spread.tolerance_g(s)
    diff = measured_g - spread.mean_g
    sigmas = f"{abs(diff) / spread.sd_g:.1f}σ" if spread.sd_g > 0 else "σ 0"
    pct = abs(diff) * 100.0 / spread.mean_g if spread.mean_g else 0.0
    where = f"{spread.packs} packs of this set in {key.box}"
    core = (
        f"{measured_g:.0f} g, history {spread.mean_g:.0f} g ± {tolerance:.0f} g"
        f" ({diff:+.0f} g, {pct:.1f} %, {sigmas}; {where}, σ {spread.sd_g:.1f} g)"
    )
    if abs(diff) <= tolerance:
        return WeightCheck(WeightStatus.PASS, measured_g, spread.mean_g, tolerance, diff, "", core)
    hint = hint_for(diff, tolerance, missing, extra)
    return WeightCheck(
        WeightStatus.FAIL,
        measured_g,
        spread.mean_g,
        tolerance,
        diff,
        hint,
        f"weight mismatch by history: {core}: {hint}",
    )


def as_expectation(e: Expectation, spread: Spread, s: WeightSettings) -> Expectation:
    """The expectation a history check stored with the reading: the packs' mean and limit."""
    return replace(e, expected_g=spread.mean_g, tolerance_g=spread.tolerance_g(s), unknown=())


# --- the table ------------------------------------------------------------------------------


def recall(cur: sqlite3.Cursor, key: PackKey, s: WeightSettings) -> Spread | None:
    """The spread of the latest verified packs of ``key``, or None below the minimum."""
    weights = [
        float(w)
        for (w,) in cur.execute(
            "SELECT weight_g FROM weight_history WHERE signature = ? AND box = ?"
            " ORDER BY package_id DESC LIMIT ?",
            (key.signature, key.box, max(s.history_packs, s.history_min_packs)),
        )
    ]
    if len(weights) < max(1, s.history_min_packs):
        return None
    return Spread.of(weights)


def remember(
    cur: sqlite3.Cursor, package_id: int, key: PackKey, weight_g: float, now: datetime
) -> None:
    """A verified pack: its weight joins the history (replacing an earlier one of it)."""
    cur.execute(
        "INSERT INTO weight_history (package_id, signature, box, weight_g, created_at)"
        " VALUES (?,?,?,?,?) ON CONFLICT (package_id) DO UPDATE SET signature = excluded.signature,"
        " box = excluded.box, weight_g = excluded.weight_g, created_at = excluded.created_at",
        (package_id, key.signature, key.box, weight_g, sql_time(now)),
    )


def forget(cur: sqlite3.Cursor, package_id: int) -> None:
    """The package changed: its verified weight no longer tells what its content weighs."""
    cur.execute("DELETE FROM weight_history WHERE package_id = ?", (package_id,))


# --- proposals for the catalog ------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A unit weight the history suggests for a SKU, beside what the catalog says."""

    sku: str
    proposed_g: float
    packs: int
    catalog_g: float | None
    estimated: bool  # the catalog's value is itself a learned estimate

    @property
    def difference_g(self) -> float | None:
        """Proposed minus catalog (None when the catalog has no weight)."""
        return None if self.catalog_g is None else self.proposed_g - self.catalog_g


def proposals(cur: sqlite3.Cursor, s: WeightSettings) -> list[Proposal]:
    """Per SKU, the unit weight its single-SKU packs in boxes of known tare suggest.

    Each (set, box) of enough packs gives (mean - tare - packing material) / quantity; a SKU's
    proposal is those values weighted by their packs. Packs in an unscanned box are left out:
    their tare is a guess.
    """
    rows = cur.execute(
        "SELECT h.signature, h.box, count(*), avg(h.weight_g), b.tare_g FROM weight_history h"
        " LEFT JOIN box_types b ON b.code = h.box"
        " WHERE instr(h.signature, '|') = 0 AND h.box != ?"
        " GROUP BY h.signature, h.box HAVING count(*) >= ?",
        (UNSCANNED, max(1, s.history_min_packs)),
    ).fetchall()
    sums: dict[str, tuple[float, int]] = {}
    for signature, box, packs, mean, tare in rows:
        if box != NET and tare is None:
            continue  # a box type since removed: its tare is unknown
        sku, _, qty = str(signature).rpartition("*")
        unit = (float(mean) - (0.0 if box == NET else float(tare)) - s.packing_material_g) / int(
            qty
        )
        if unit <= 0:
            continue
        total, n = sums.get(sku, (0.0, 0))
        sums[sku] = (total + unit * int(packs), n + int(packs))
    out = []
    for sku, (total, n) in sorted(sums.items()):
        row = cur.execute(
            "SELECT unit_weight_g, weight_estimated FROM products WHERE sku = ?", (sku,)
        ).fetchone()
        catalog = None if row is None or row[0] is None else float(row[0])
        estimated = bool(row[1]) if row is not None else False
        out.append(Proposal(sku, round(total / n, 1), n, catalog, estimated))
    return out
