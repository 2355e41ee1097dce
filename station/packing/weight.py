"""Weight rules of a package: what it should weigh, how close is close enough, and what to say.

Pure: products, tares and readings come in as values, decisions go out; the engine
(``station.packing.proof``) reads the database and records what is decided here.

Where a product's weight comes from: the catalog (``unit_weight_g``, trusted), a learned
estimate (``weight_estimated``; used only after ``learn_min_samples`` verified packs, and always
named in the decision), or nowhere: then the package cannot pass by weight and a supervisor
must check it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from drivers.scale.model import ScaleReading, ScaleState
from station.config import WeightSettings


class WeightSource(enum.StrEnum):
    """Where the unit weight used for a product comes from."""

    CATALOG = "catalog"
    ESTIMATED = "estimated"
    UNKNOWN = "unknown"


class WeightStatus(enum.StrEnum):
    """A package's weight check, as stored in ``packages.weight_status``."""

    PENDING = "pending"
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"  # a product has no usable weight: a supervisor must check
    OVERRIDE = "override"


@dataclass(frozen=True)
class ProductWeight:
    """A product in a package: how many units, and what the catalog knows of its weight."""

    product_id: int
    sku: str
    quantity: int
    unit_weight_g: float | None
    estimated: bool = False
    samples: int = 0
    tolerance_g: float | None = None  # per-product override of the station tolerance
    tolerance_pct: float | None = None

    def source(self, min_samples: int) -> WeightSource:
        """Catalog, a usable estimate, or unknown (no weight, or too few samples)."""
        if self.unit_weight_g is None:
            return WeightSource.UNKNOWN
        if not self.estimated:
            return WeightSource.CATALOG
        return WeightSource.ESTIMATED if self.samples >= min_samples else WeightSource.UNKNOWN


@dataclass(frozen=True)
class Expectation:
    """What a package should weigh: its parts, the tolerance, and what is not known."""

    expected_g: float  # items with a usable weight + tare + packing material
    tolerance_g: float
    items_g: float
    tare_g: float
    packing_g: float
    unknown: tuple[str, ...] = ()  # SKUs with no usable weight
    estimated: tuple[str, ...] = ()  # SKUs weighed by a learned estimate
    note: str = ""  # e.g. "box not scanned: assumed BOX-M"


@dataclass(frozen=True)
class WeightCheck:
    """The decision on one stable weight of a package."""

    status: WeightStatus  # PASS, FAIL or UNKNOWN
    measured_g: float
    expected_g: float
    tolerance_g: float
    difference_g: float  # measured - expected
    hint: str
    message: str


def tolerance_for(expected_g: float, items: Iterable[ProductWeight], s: WeightSettings) -> float:
    """The allowed difference: grams or percent of ``expected_g``, whichever is larger.

    A product's override replaces the station value for that product; across the products of a
    package the largest applicable value wins, because a package is only as exact as its
    least exact item (an override may also tighten: a package of only that product).
    """
    grams = [s.tolerance_g]
    pcts = [s.tolerance_pct]
    present = [p for p in items if p.quantity > 0]
    if present:
        grams = [s.tolerance_g if p.tolerance_g is None else p.tolerance_g for p in present]
        pcts = [s.tolerance_pct if p.tolerance_pct is None else p.tolerance_pct for p in present]
    return max(*grams, max(pcts) * expected_g / 100.0)


def expect(
    items: Sequence[ProductWeight], tare_g: float, s: WeightSettings, note: str = ""
) -> Expectation:
    """The expected weight of a package holding ``items`` in a box of ``tare_g``."""
    known = 0.0
    unknown: list[str] = []
    estimated: list[str] = []
    for p in items:
        source = p.source(s.learn_min_samples)
        if source is WeightSource.UNKNOWN or p.unit_weight_g is None:
            unknown.append(p.sku)
            continue
        if source is WeightSource.ESTIMATED:
            estimated.append(p.sku)
        known += p.unit_weight_g * p.quantity
    expected = known + tare_g + s.packing_material_g
    return Expectation(
        expected_g=expected,
        tolerance_g=tolerance_for(expected, items, s),
        items_g=known,
        tare_g=tare_g,
        packing_g=s.packing_material_g,
        unknown=tuple(unknown),
        estimated=tuple(estimated),
        note=note,
    )


def hint_for(
    difference_g: float,
    tolerance_g: float,
    missing: Sequence[tuple[str, float]],
    extra: Sequence[tuple[str, float]],
) -> str:
    """What a difference most likely means: whole units of a product, or just light/heavy.

    ``missing``: (SKU, unit weight) of what was scanned into the package (a lighter box lacks
    one of those); ``extra``: what could have gone in unscanned (the order's products).
    """
    if abs(difference_g) <= tolerance_g:
        return ""
    size = abs(difference_g)
    pool = missing if difference_g < 0 else extra
    best: tuple[int, float] | None = None
    skus: list[str] = []
    for sku, unit in pool:
        if unit <= 0:
            continue
        n = round(size / unit)
        residual = abs(size - n * unit)
        if not 1 <= n <= 3 or residual > tolerance_g:
            continue
        key = (n, round(residual, 3))
        if best is None or key < best:
            best, skus = key, [sku]
        elif key == best and sku not in skus:
            skus.append(sku)
    word = "missing" if difference_g < 0 else "extra"
    if best is not None:
        return f"≈ {best[0]} × {' or '.join(skus)} {word}"
    if difference_g < 0:
        return f"{size:.0f} g too light: an item missing?"
    return f"{size:.0f} g too heavy: an extra item or a heavier box?"


def decide(
    e: Expectation,
    measured_g: float,
    missing: Sequence[tuple[str, float]] = (),
    extra: Sequence[tuple[str, float]] = (),
) -> WeightCheck:
    """Pass, fail, or unknown (a product without a usable weight: never a silent pass)."""
    diff = measured_g - e.expected_g
    core = (
        f"{measured_g:.0f} g, expected {e.expected_g:.0f} g ± {e.tolerance_g:.0f} g ({diff:+.0f} g)"
    )
    notes = [n for n in (e.note,) if n]
    if e.estimated:
        notes.append(f"estimated weight for {', '.join(e.estimated)}")
    tail = f" [{'; '.join(notes)}]" if notes else ""
    if e.unknown:
        message = (
            f"unknown weight for {', '.join(e.unknown)}: supervisor check"
            f" ({measured_g:.0f} g measured, known parts {e.expected_g:.0f} g){tail}"
        )
        return WeightCheck(
            WeightStatus.UNKNOWN, measured_g, e.expected_g, e.tolerance_g, diff, "", message
        )
    if abs(diff) <= e.tolerance_g:
        return WeightCheck(
            WeightStatus.PASS, measured_g, e.expected_g, e.tolerance_g, diff, "", f"{core}{tail}"
        )
    hint = hint_for(diff, e.tolerance_g, missing, extra)
    return WeightCheck(
        WeightStatus.FAIL,
        measured_g,
        e.expected_g,
        e.tolerance_g,
        diff,
        hint,
        f"weight mismatch: {core}: {hint}{tail}",
    )


@dataclass(frozen=True)
class Learned:
    """A new estimate of a product's unit weight (a running mean over verified packs)."""

    product_id: int
    sku: str
    unit_weight_g: float
    samples: int


def learn(
    items: Sequence[ProductWeight], measured_g: float, tare_g: float, s: WeightSettings
) -> Learned | None:
    """Learn the one product of a verified package that has no catalog weight, if there is one.

    (measured - catalog parts - tare - packing) / quantity, folded into the running mean of
    earlier samples. Two such products in one package cannot be told apart: nothing is learned.
    """
    learnable = [p for p in items if p.quantity > 0 and (p.estimated or p.unit_weight_g is None)]
    if len(learnable) != 1:
        return None
    target = learnable[0]
    catalog = sum(
        (p.unit_weight_g or 0.0) * p.quantity for p in items if p is not target and p.quantity > 0
    )
    sample = (measured_g - catalog - tare_g - s.packing_material_g) / target.quantity
    if sample <= 0:
        return None  # the parts weigh more than the package: something else is wrong
    n = target.samples if target.estimated and target.unit_weight_g is not None else 0
    mean = ((target.unit_weight_g or 0.0) * n + sample) / (n + 1)
    return Learned(target.product_id, target.sku, round(mean, 1), n + 1)


# --- scale-confirmed scans ---------------------------------------------------------------


def same_plateau(reading: ScaleReading, other_g: float | None) -> bool:
    """True if ``reading`` shows the same resting weight as ``other_g``.

    The one tolerance for "the same plateau" (scale-confirmed scans and the bench's weighing
    rule alike): a display step or two, at least 1 g, since a stable scale still flips its
    last digit.
    """
    if other_g is None or reading.weight_g is None:
        return False
    return abs(reading.weight_g - other_g) <= max(2 * (reading.resolution_g or 0.5), 1.0)


_PLATEAUS = 8  # how many plateaus a first unit may be compared with


@dataclass
class ScaleTrack:
    """What the engine has seen of the scale between scans (memory only).

    ``plateaus`` are the stable weights seen, oldest first (the last is the weight now); a
    jitter of a display step or two stays the same plateau. ``baseline_g`` is the weight when
    the last unit of the package was accepted: the next unit must add one unit to it. The
    first unit of a package (or the next after an undo) has no baseline: it is compared with
    the plateaus before the current one, newest first (the box before the unit went in, even
    if a wrong unit went in and out meanwhile).
    """

    state: ScaleState | None = None
    plateaus: list[float] = field(default_factory=list)
    baseline_g: float | None = None
    package_id: int | None = None
    raw: str = ""
    # The last weight recorded for a package (package id, grams, net): what an override of
    # that package's check may learn from.
    weighed: tuple[int, float, bool] | None = None

    @property
    def current_g(self) -> float | None:
        """The stable weight now (None before the first stable reading)."""
        return self.plateaus[-1] if self.plateaus else None

    def observe(self, reading: ScaleReading) -> None:
        """Take a reading: a stable weight moves the plateaus, anything else only the state."""
        self.state, self.raw = reading.state, reading.raw
        if not reading.stable or reading.weight_g is None:
            return
        if not self.plateaus or not same_plateau(reading, self.plateaus[-1]):
            self.plateaus = [*self.plateaus[-(_PLATEAUS - 1) :], reading.weight_g]
        else:
            self.plateaus[-1] = reading.weight_g

    def references(self) -> list[float]:
        """The weights the next unit may be compared with, the likeliest first."""
        if self.baseline_g is not None:
            return [self.baseline_g]
        return self.plateaus[-2::-1]

    def accepted(self) -> None:
        """A unit was counted at the current weight: it is the next unit's baseline."""
        self.baseline_g = self.current_g
        self.plateaus = self.plateaus[-1:]

    def changed(self) -> None:
        """The package changed otherwise (undo, new box): no baseline until the next unit."""
        self.baseline_g = None
        self.plateaus = self.plateaus[-2:]

    def for_package(self, package_id: int) -> None:
        """Start over when the package changes (a new box on the scale)."""
        if self.package_id != package_id:
            self.package_id = package_id
            self.changed()


@dataclass(frozen=True)
class ScanCheck:
    """Whether a scanned unit is confirmed by the rise of the stable weight."""

    ok: bool
    delta_g: float | None
    expected_g: float | None
    tolerance_g: float
    message: str


def scan_check(
    delta_g: float | None, unit_g: float | None, quantity: int, sku: str, s: WeightSettings
) -> ScanCheck:
    """Did the weight rise by about ``quantity`` units of ``sku`` since the last accepted unit?

    No unit weight or no reference weight: unchecked (``ok``, and the message says so), since
    refusing would block every first unit and every product the catalog does not weigh.
    """
    if unit_g is None or delta_g is None:
        why = f"no known weight for {sku}" if unit_g is None else "no earlier weight"
        return ScanCheck(True, delta_g, None, s.scan_tolerance_g, f"not checked by weight: {why}")
    expected = unit_g * quantity
    tol = max(s.scan_tolerance_g, s.scan_tolerance_pct * expected / 100.0)
    if abs(delta_g - expected) <= tol:
        return ScanCheck(
            True, delta_g, expected, tol, f"+{delta_g:.0f} g confirms {quantity} × {sku}"
        )
    if abs(delta_g) <= tol:
        message = (
            f"no weight added for {quantity} × {sku}: scanned twice?"
            " Put the unit in the box, then scan it"
        )
    elif (units := round(delta_g / unit_g)) > quantity and abs(delta_g - units * unit_g) <= tol:
        message = (
            f"the weight rose by ≈ {units} × {sku} for {quantity} scanned:"
            " an item went in unscanned. Take it out, then scan again"
        )
    else:
        message = (
            f"the weight changed by {delta_g:+.0f} g; {quantity} × {sku} should add"
            f" ≈ {expected:.0f} g ± {tol:.0f} g. Check the box, then scan again"
        )
    return ScanCheck(False, delta_g, expected, tol, message)
