"""Sync in the foreground (the command line, benchmarks): once, or until nothing moves."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from drivers.backoff import Backoff
from station.sync.backlog import dead_letters
from station.sync.cycle import CycleReport
from station.sync.worker import SPREAD, SyncWorker

LISTED = 20


@dataclass
class SyncTotals:
    """What a run moved in all its cycles, and where the station stands at the end."""

    pushed: int = 0
    rejected: int = 0
    conflicts: int = 0
    pulled: int = 0
    blobs: int = 0
    cycles: int = 0
    pending: int = 0
    dead_letters: int = 0
    online: bool | None = None
    ok: bool = False
    last_error: str | None = None
    clock_skew_s: float | None = None
    reset: bool = False
    blocked: list[dict[str, str]] = field(default_factory=list)
    rejections: list[dict[str, Any]] = field(default_factory=list)  # newest dead letters

    def add(self, report: CycleReport) -> None:
        """Count one cycle in (its pull at least succeeded)."""
        self.pushed += report.pushed
        self.rejected += report.rejected
        self.conflicts += report.conflicts
        self.pulled += report.pulled
        self.blobs += report.blobs
        self.reset = self.reset or report.reset
        self.blocked.extend(asdict(b) for b in report.blocked)

    def finish(self, worker: SyncWorker) -> SyncTotals:
        """Take the end state from the worker's status."""
        status = worker.status
        self.pending = status.pending
        self.dead_letters = status.dead_letters
        self.online = status.online
        self.last_error = status.last_error
        self.clock_skew_s = status.clock_skew_s
        self.rejections = [asdict(d) for d in dead_letters(worker.db, LISTED)]
        return self

    def as_json(self) -> dict[str, Any]:
        """The object ``station sync --json`` prints."""
        return asdict(self)


def sync_once(worker: SyncWorker) -> SyncTotals:
    """One cycle."""
    totals = SyncTotals(cycles=1)
    report = worker.run_once()
    if report is not None:
        totals.add(report)
        totals.ok = report.push_failure is None
    return totals.finish(worker)


def sync_until_idle(
    worker: SyncWorker,
    *,
    timeout_s: float,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> SyncTotals:
    """Cycles until nothing is left to push (success), or failures outlast ``timeout_s``."""
    backoff = backoff or Backoff(first_s=0.5, cap_s=10.0, jitter=SPREAD)
    deadline = clock() + timeout_s
    totals = SyncTotals()
    failures = 0
    while True:
        totals.cycles += 1
        report = worker.run_once()
        if report is not None:
            totals.add(report)
        if report is not None and report.push_failure is None:
            failures = 0
            # A cycle pulls again after a push that moved events: with nothing left
            # pending the two sides agree. Events still pending arrived during the cycle.
            if report.pending == 0:
                totals.ok = True
                return totals.finish(worker)
            if clock() > deadline:
                return totals.finish(worker)
            continue
        failures += 1
        delay = backoff.delay(failures)
        if clock() + delay > deadline:
            return totals.finish(worker)
        sleep(delay)
