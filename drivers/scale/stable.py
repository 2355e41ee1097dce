"""The stable-weight rule: when a weight may be accepted. Pure: readings and times come in.

A weight is accepted only when the scale itself says stable AND the last N readings (all
stable) agree within the scale's resolution. The scale's own stability flag alone is not
enough: some scales flag "stable" for a moment while a parcel is still being put down.
"""

from __future__ import annotations

from collections import deque

from drivers.scale.model import ScaleReading


class StableWeightRule:
    """Feed every reading; ``feed`` returns the reading to accept, or None.

    ``count``: how many consecutive stable readings must agree. ``max_gap_s``: readings further
    apart than this (a reconnect, a stalled poll) do not count as consecutive.
    """

    def __init__(self, count: int = 3, max_gap_s: float = 5.0) -> None:
        if count < 1:
            raise ValueError("count must be at least 1")
        self._count = count
        self._max_gap_s = max_gap_s
        self._window: deque[ScaleReading] = deque(maxlen=count)
        self._last_at: float | None = None

    def reset(self) -> None:
        """Start over (after a zero, a tare or a reconnect)."""
        self._window.clear()
        self._last_at = None

    def feed(self, reading: ScaleReading, at: float) -> ScaleReading | None:
        """Add a reading taken at monotonic time ``at``; return it if the rule accepts it."""
        if self._last_at is not None and at - self._last_at > self._max_gap_s:
            self._window.clear()
        self._last_at = at
        if not reading.stable or reading.weight_g is None or reading.resolution_g is None:
            self._window.clear()
            return None
        self._window.append(reading)
        if len(self._window) < self._count:
            return None
        weights = [r.weight_g for r in self._window if r.weight_g is not None]
        resolution = max(r.resolution_g for r in self._window if r.resolution_g is not None)
        # A tiny margin so that float conversion of lb/oz steps cannot reject an exact step.
        tolerance = resolution * (1 + 1e-9)
        if max(weights) - min(weights) <= tolerance:
            return reading
        return None
