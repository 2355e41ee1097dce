"""When to ask a troubled printer again: soon at first, then less often, up to a cap."""

from __future__ import annotations

from dataclasses import dataclass

from drivers.backoff import Backoff


@dataclass
class RetryGate:
    """One printer's gate on a monotonic clock: shut for the back-off's delay after each
    refusal, open again at once when the printer takes a job.

    A paper roll is changed in a minute but a printer may stay off all night: asking every
    ``first_s`` at first and at most every ``cap_s`` later keeps a fixed printer quick to
    notice without flooding a dead one (or the log) with connections.
    """

    backoff: Backoff
    failures: int = 0
    delay_s: float = 0.0
    next_at: float = 0.0

    def due(self, now: float) -> bool:
        """True when the printer may be asked (or sent to) again."""
        return now >= self.next_at

    def remaining(self, now: float) -> float:
        """Seconds until :meth:`due` (0 when it already is)."""
        return max(0.0, self.next_at - now)

    def failed(self, now: float) -> float:
        """The printer refused again: wait longer before the next try; returns the wait."""
        self.failures += 1
        self.delay_s = self.backoff.delay(self.failures)
        self.next_at = now + self.delay_s
        return self.delay_s

    def cleared(self) -> None:
        """The printer took a job: no waiting."""
        self.failures = 0
        self.delay_s = 0.0
        self.next_at = 0.0
