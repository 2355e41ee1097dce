"""The shift dashboard's figures: what one scope (everyone, a user, a bench) did in a period.

Plain frozen dataclasses with the ratios as properties, so the screen, the command line and
the tests read the same numbers; ``None`` where a ratio has nothing to divide by (no scans
yet is not 100 % accuracy).
"""

from __future__ import annotations

import enum
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from station.dashboard.period import Period

# Box utilisation is shown as a histogram of packages over these bands of item volume / box
# volume; the last band is open (a package fuller than 75 % is well packed).
UTILISATION_EDGES = (0.25, 0.5, 0.75)


class OrderMix(enum.StrEnum):
    """What an order holds, which decides how long it takes to pack."""

    SINGLE = "single"  # one line of quantity 1
    MULTI_UNIT = "multi_unit"  # one SKU, quantity above 1
    MIXED = "mixed"  # several SKUs


@dataclass(frozen=True)
class OrderTime:
    """The orders of a mix that were packed: each one's seconds from open to complete."""

    seconds: tuple[float, ...] = ()

    @property
    def orders(self) -> int:
        """Orders packed."""
        return len(self.seconds)

    @property
    def median_s(self) -> float | None:
        """Median seconds per order (None when none was packed).

        A median, not a mean: one order left open over a break (735 s among 47 s ones)
        moves a mean several times over and a median hardly at all.
        """
        return statistics.median(self.seconds) if self.seconds else None


def _ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class Figures:
    """The figures of one scope in a period.

    ``packs`` are orders completed; ``active_hours`` the local hours in which at least one
    was completed (the divisor of packs per hour, so breaks and other work do not count).
    ``scans`` are item decisions (accepted or wrong), ``wrong_scans`` those that were wrong.
    Weight mismatch is per package: weighed packages (a pass or a fail) that failed at least
    once. Box utilisation is the mean over closed packages with a box type of the volume of
    their items over the box's inner volume.
    """

    packs: int = 0
    active_hours: int = 0
    scans: int = 0
    wrong_scans: int = 0
    exceptions: Mapping[str, int] = field(default_factory=dict)
    weighed_packages: int = 0
    mismatched_packages: int = 0
    order_time: Mapping[OrderMix, OrderTime] = field(default_factory=dict)
    boxed_packages: int = 0
    utilisation_sum: float = 0.0
    utilisation_bands: tuple[int, ...] = (0,) * (len(UTILISATION_EDGES) + 1)
    return_grades: Mapping[str, int] = field(default_factory=dict)
    return_dispositions: Mapping[str, int] = field(default_factory=dict)
    batch_packs: int = 0
    """Orders completed in single-item batch mode (picked by their item's scan)."""
    # What packers read and added (station.dashboard.pack_info).
    instruction_confirmations: int = 0
    inserts_added: int = 0
    inserts_missing: int = 0

    @property
    def packs_per_hour(self) -> float | None:
        """Orders completed per active hour."""
        return _ratio(self.packs, self.active_hours)

    @property
    def scan_accuracy(self) -> float | None:
        """1 − wrong scans / scans."""
        wrong = _ratio(self.wrong_scans, self.scans)
        return None if wrong is None else 1.0 - wrong

    @property
    def weight_mismatch_rate(self) -> float | None:
        """Share of weighed packages that failed their weight check at least once."""
        return _ratio(self.mismatched_packages, self.weighed_packages)

    @property
    def box_utilisation(self) -> float | None:
        """Mean item volume / box volume of the packages closed with a box type."""
        return _ratio(self.utilisation_sum, self.boxed_packages)

    @property
    def exception_count(self) -> int:
        """Exceptions of every kind."""
        return sum(self.exceptions.values())

    @property
    def returns_inspected(self) -> int:
        """Returned units graded."""
        return sum(self.return_grades.values())

    @property
    def median_order_s(self) -> float | None:
        """Median seconds per order over every mix (None when none was packed)."""
        return OrderTime(tuple(s for t in self.order_time.values() for s in t.seconds)).median_s

    def time_of(self, mix: OrderMix) -> OrderTime:
        """Orders and time of one mix (zero when none)."""
        return self.order_time.get(mix, OrderTime())

    def to_json(self) -> dict[str, object]:
        """The figures and ratios as one JSON-ready object."""
        return {
            "packs": self.packs,
            "active_hours": self.active_hours,
            "packs_per_hour": _round(self.packs_per_hour),
            "scans": self.scans,
            "wrong_scans": self.wrong_scans,
            "scan_accuracy": _round(self.scan_accuracy),
            "exceptions": dict(sorted(self.exceptions.items())),
            "weighed_packages": self.weighed_packages,
            "mismatched_packages": self.mismatched_packages,
            "weight_mismatch_rate": _round(self.weight_mismatch_rate),
            "seconds_per_order": {
                mix.value: {
                    "orders": self.time_of(mix).orders,
                    "median_s": _round(self.time_of(mix).median_s, 1),
                }
                for mix in OrderMix
            },
            "boxed_packages": self.boxed_packages,
            "box_utilisation": _round(self.box_utilisation),
            "utilisation_bands": list(self.utilisation_bands),
            "return_grades": dict(sorted(self.return_grades.items())),
            "return_dispositions": dict(sorted(self.return_dispositions.items())),
            "batch_packs": self.batch_packs,
            "instruction_confirmations": self.instruction_confirmations,
            "inserts_added": self.inserts_added,
            "inserts_missing": self.inserts_missing,
        }


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


@dataclass(frozen=True)
class Slot:
    """One bar of the packs-per-hour chart: an hour (today) or a day (7 days)."""

    start: datetime  # local, aware
    packs: int
    active_hours: int

    @property
    def packs_per_hour(self) -> float | None:
        """Packs per active hour in the slot (None when nothing was packed)."""
        return _ratio(self.packs, self.active_hours)


@dataclass(frozen=True)
class Group:
    """The figures of one user or one bench."""

    name: str
    figures: Figures


@dataclass(frozen=True)
class Dashboard:
    """Everything the dashboard shows for one period."""

    period: Period
    computed_at: datetime  # UTC
    total: Figures
    throughput: tuple[Slot, ...]
    by_user: tuple[Group, ...]
    by_station: tuple[Group, ...]

    def to_json(self) -> dict[str, object]:
        """The whole dashboard as one JSON-ready object (times ISO 8601)."""
        return {
            "days": self.period.days,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "until": self.period.until.isoformat(),
            "first_day": self.period.first_day.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "total": self.total.to_json(),
            "packs_per_hour_chart": [
                {
                    "start": s.start.isoformat(),
                    "packs": s.packs,
                    "active_hours": s.active_hours,
                    "packs_per_hour": _round(s.packs_per_hour, 2),
                }
                for s in self.throughput
            ],
            "by_user": [{"user": g.name, **g.figures.to_json()} for g in self.by_user],
            "by_station": [{"station": g.name, **g.figures.to_json()} for g in self.by_station],
        }
