"""Which scale readings become weighings of the open package (on the database worker). No Qt.

The scale's stable-weight rule accepts a reading five times a second while the platter is
still, and the engine records every weight it is given (a row, an event, a decision). So this
decides *when* a reading is put to ``PackService.record_weight``:

- every reading is shown to the engine (``observe_weight``, memory only): scale-confirmed
  scans compare each unit with the plateaus it saw;
- a weight is recorded by itself only once the order's lines are all packed, and only when
  it is a *new* plateau since the package last changed: the weight on the platter at the
  moment of the last scan may still lack the unit in the packer's hand;
- before a box is closed (complete, new box) the current weight is recorded if it was not,
  since the packer may have put the last unit in before scanning it; anything but a pass stops
  the close and is shown instead;
- the weigh key records the current weight whatever the lines say (a box closed early).

Readings under :data:`MIN_G` (an empty platter, the box lifted off) are never weighings.
"""

from __future__ import annotations

from drivers.scale.model import ScaleReading
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict

MIN_G = 10.0

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
        self._now: ScaleReading | None = None  # the stable weight on the platter, if any
        self._stale_g: float | None = None  # on the platter when the package last changed
        self._decided_g: float | None = None  # recorded for the package as it is now

    def reading(self, reading: ScaleReading) -> None:
        """Any reading: the engine sees it; a different or unsettled weight is not 'now'."""
        self._service.observe_weight(reading)
        now = self._now
        if now is None or now.weight_g is None:
            return
        weight = reading.weight_g
        if not reading.stable or weight is None or not _same(reading, weight, now.weight_g):
            self._now = None

    def stable(self, reading: ScaleReading, *, hold: bool) -> Outcome | None:
        """A reading the stable-weight rule accepted; the outcome when it was recorded.

        ``hold``: an error waits for its acknowledgement, so nothing new is shown now; the
        reading is recorded with the next one after the acknowledgement.
        """
        self._service.observe_weight(reading)
        if reading.weight_g is None:
            return None
        self._now = reading
        state = self._service.state
        if hold or state is None or state.package_items == 0 or not state.complete:
            return None
        weight = reading.weight_g
        if weight < MIN_G or _same(reading, weight, self._stale_g):
            return None
        if _same(reading, weight, self._decided_g):
            return None
        return self._record(reading)

    def before_close(self) -> Outcome | None:
        """Weigh the package before it is closed, if it was not weighed at this weight; the
        outcome when that stops the close (anything but a pass), else None."""
        now = self._now
        state = self._service.state
        if now is None or now.weight_g is None or state is None or state.package_items == 0:
            return None
        if now.weight_g < MIN_G or _same(now, now.weight_g, self._decided_g):
            return None
        outcome = self._record(now)
        return None if outcome.verdict is Verdict.WEIGHT_PASS else outcome

    def weigh_now(self, no_weight: str) -> Outcome:
        """The weigh key: record the weight on the platter now; ``no_weight`` is what the
        screen says (in the bench's language) when there is none."""
        now = self._now
        if now is None or now.weight_g is None or now.weight_g < MIN_G:
            state = self._service.state
            number = state.order_number if state else None
            return Outcome(Verdict.WEIGHT_UNSTABLE, no_weight, order_number=number)
        return self._record(now)

    def after(self, outcome: Outcome) -> None:
        """Every answer of the engine: a changed package is weighed again."""
        if outcome.verdict in CHANGES:
            self._stale_g = self._now.weight_g if self._now is not None else None
            self._decided_g = None

    def _record(self, reading: ScaleReading) -> Outcome:
        outcome = self._service.record_weight(reading)
        if outcome.verdict is not Verdict.WEIGHT_UNSTABLE:
            self._decided_g = reading.weight_g
        return outcome


def _same(reading: ScaleReading, weight_g: float, other_g: float | None) -> bool:
    """The same plateau: within a display step or two (the engine's own jitter allowance)."""
    if other_g is None:
        return False
    return abs(weight_g - other_g) <= max(2 * (reading.resolution_g or 0.5), 1.0)
