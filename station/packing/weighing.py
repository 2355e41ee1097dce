"""Which scale readings become weighings of the open package. No Qt, no thread of its own.

The scale's stable-weight rule accepts a reading several times a second while the platter is
still, and the engine records every weight it is given (a row, an event, a decision). So this
decides *when* a reading is put to ``PackService.record_weight``:

- every reading is shown to the engine (``observe_weight``, memory only): scale-confirmed
  scans compare each unit with the plateaus it saw;
- a weight is recorded by itself only once the order's lines are all packed, and only when
  its plateau *settled after* the scan or command that last changed the package, judged by
  the reading's own timestamp (``ScaleUpdate.at``, taken by the driver) and never by the
  order in which readings and scans reach this thread: the weight resting on the platter at
  the moment of the last scan may still lack the unit in the packer's hand, however late a
  reading of it arrives here; nor is a plateau at the weight the platter showed at that
  moment, still moving, as long as no reading since has left it: a fast packer scans the next
  unit while the scale is still settling from the one before, and that plateau, settling
  after the scan, lacks the unit scanned;
- before a box is closed (complete, new box) the current weight is recorded if it was not,
  since the packer may have put the last unit in before scanning it; anything but a pass stops
  the close and is shown instead;
- the weigh key records the current weight whatever the lines say (a box closed early).

Readings under :data:`MIN_G` (an empty platter, the box lifted off) are never weighings.
"""

from __future__ import annotations

from collections import deque

from drivers.scale.model import ScaleReading
from drivers.scale.worker import ScaleUpdate
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.packing.weight import same_plateau

MIN_G = 10.0
RECENT = 64  # readings kept to find the weight shown at a scan's time (1.3 s at 20 ms)

# Verdicts after which the package is not what was weighed: its weight check starts over.
CHANGES = frozenset(
    {
        Verdict.ACCEPTED,
        Verdict.UNDONE,
        Verdict.PACKAGE_OPENED,
        Verdict.BOX_SELECTED,
        Verdict.ORDER_OPENED,
        Verdict.ORDER_RESUMED,
        Verdict.EXCEPTION_RECORDED,
        Verdict.COMPLETED,
    }
)


class WeightFeed:
    """Feeds the engine the scale's readings and decides when one is a weighing."""

    def __init__(self, service: PackService) -> None:
        self._service = service
        self._now: ScaleReading | None = None  # the accepted stable weight on the platter
        self._plateau_g: float | None = None  # the stable weight readings rest at now
        self._since: float | None = None  # driver time of the first reading of that plateau
        self._changed_at = float("-inf")  # time of the scan that last changed the package
        self._decided_g: float | None = None  # recorded for the package as it is now
        self._recent: deque[tuple[float, ScaleReading]] = deque(maxlen=RECENT)  # (at, reading)
        # The platter's weight at that scan, moving or not, while no reading since left it.
        self._at_change_g: float | None = None

    @property
    def current(self) -> ScaleReading | None:
        """The stable weight on the platter now, as the stable-weight rule accepted it."""
        return self._now

    def reading(self, update: ScaleUpdate, *, hold: bool) -> Outcome | None:
        """Any reading; the outcome when it was recorded as the package's weighing.

        ``hold``: an error waits for its acknowledgement, so nothing new is shown now; the
        weight is recorded with the next accepted reading after the acknowledgement.
        """
        reading = update.reading
        self._service.observe_weight(reading)
        self._track(update)
        if not update.accepted:
            now = self._now
            if now is not None and not (reading.stable and same_plateau(reading, now.weight_g)):
                self._now = None
            return None
        if reading.weight_g is None:
            return None
        self._now = reading
        state = self._service.state
        if hold or state is None or state.package_items == 0 or not state.complete:
            return None
        if reading.weight_g < MIN_G or same_plateau(reading, self._decided_g):
            return None
        if self._since is None or self._since <= self._changed_at:
            return None  # settled before the last unit was scanned: not this package's weight
        if same_plateau(reading, self._at_change_g):
            return None  # the platter was at it when the last unit was scanned: it lacks that unit
        return self._record(reading)

    def before_close(self) -> Outcome | None:
        """Weigh the package before it is closed, if it was not weighed at this weight; the
        outcome when that stops the close (anything but a pass), else None."""
        now = self._now
        state = self._service.state
        if now is None or now.weight_g is None or state is None or state.package_items == 0:
            return None
        if now.weight_g < MIN_G or same_plateau(now, self._decided_g):
            return None
        outcome = self._record(now)
        return None if outcome.verdict is Verdict.WEIGHT_PASS else outcome

    def weigh_now(self, no_weight: str) -> Outcome:
        """The weigh key: record the weight on the platter now; ``no_weight`` is what the
        bench says (in its language) when there is none."""
        now = self._now
        if now is None or now.weight_g is None or now.weight_g < MIN_G:
            state = self._service.state
            number = state.order_number if state else None
            return Outcome(Verdict.WEIGHT_UNSTABLE, no_weight, order_number=number)
        return self._record(now)

    def weigh(self, reading: ScaleReading) -> Outcome:
        """Record ``reading`` as the package's weighing, whatever it is (an unsettled scale is
        recorded as such, with its state)."""
        return self._record(reading)

    def after(self, outcome: Outcome, at: float) -> None:
        """Every answer of the engine, with the time of the scan or command that caused it: a
        changed package is weighed again, by readings that settled after ``at``."""
        if outcome.verdict in CHANGES:
            self._changed_at = max(self._changed_at, at)
            self._decided_g = None
            self._at_change_g = self._weight_at_change()

    def _track(self, update: ScaleUpdate) -> None:
        reading = update.reading
        self._recent.append((update.at, reading))
        if update.at <= self._changed_at:
            self._at_change_g = reading.weight_g  # a reading of the scan's time, late
        elif reading.weight_g is not None and not same_plateau(reading, self._at_change_g):
            self._at_change_g = None  # the platter moved on since the scan
        if not reading.stable or reading.weight_g is None:
            self._plateau_g, self._since = None, None
        elif self._since is None or not same_plateau(reading, self._plateau_g):
            self._plateau_g, self._since = reading.weight_g, update.at

    def _weight_at_change(self) -> float | None:
        # The last reading taken at or before the scan, by its own time (later ones may have
        # arrived here first), unless one taken since shows another weight.
        at_change: float | None = None
        for at, reading in self._recent:
            if at <= self._changed_at:
                at_change = reading.weight_g
            elif reading.weight_g is not None and not same_plateau(reading, at_change):
                return None
        return at_change

    def _record(self, reading: ScaleReading) -> Outcome:
        outcome = self._service.record_weight(reading)
        if outcome.verdict is not Verdict.WEIGHT_UNSTABLE:
            self._decided_g = reading.weight_g
        return outcome
