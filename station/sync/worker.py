"""The sync worker: its own thread, never the GUI's, reporting a small status for the UI.

It runs a cycle every ``interval_s`` seconds, at once when nudged (a pack was completed), and
backs off exponentially with jitter while the hub is unreachable, so a hundred stations coming
back online do not all knock at the same second. Every status change goes to ``on_status``
on the worker thread; the UI's bridge turns it into a Qt signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from drivers.backoff import Backoff
from station.db import Database
from station.db.models import utcnow
from station.sync.apply_orders import BlockedOrder
from station.sync.backlog import dead_letter_count, pending_count
from station.sync.client import HubRefused, HubStorageFull, HubUnavailable
from station.sync.cycle import CycleReport, Syncer, SyncError

log = logging.getLogger(__name__)
# Retries of many stations cut off together are spread over half of each delay.
SPREAD = 0.5


@dataclass(frozen=True)
class SyncStatus:
    """What the UI shows: online or not, queue length, last success, last error."""

    online: bool | None = None  # None until the first attempt
    pending: int = 0
    dead_letters: int = 0
    last_success: datetime | None = None
    last_error: str | None = None
    clock_skew_s: float | None = None
    blocked: tuple[BlockedOrder, ...] = ()


def error_text(exc: BaseException) -> str:
    """A failure as the UI shows it (no token, no personal data: the messages carry neither)."""
    if isinstance(exc, HubRefused) and exc.status == 401:
        return "the hub refused this station's token (revoked?): enrol again"
    return str(exc) or type(exc).__name__


def pushed_while_online(failure: Exception) -> bool:
    """True if a failed push still reached the hub (a refusal, or its storage full)."""
    return isinstance(failure, HubRefused | HubStorageFull)


class SyncWorker:
    """Runs ``syncer`` cycles on a background thread until stopped."""

    def __init__(
        self,
        syncer: Syncer,
        *,
        interval_s: float = 15.0,
        backoff: Backoff | None = None,
        on_status: Callable[[SyncStatus], None] | None = None,
    ) -> None:
        self._syncer = syncer
        self._interval = interval_s
        self._backoff = backoff or Backoff(first_s=1.0, cap_s=60.0, jitter=SPREAD)
        self._failures = 0
        self._on_status = on_status
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="station-sync", daemon=True)
        self.status = SyncStatus()

    @property
    def db(self) -> Database:
        """The station database this worker syncs."""
        return self._syncer.db

    def start(self) -> SyncWorker:
        """Start the thread; returns self."""
        self._thread.start()
        return self

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop after the cycle in progress (if any) and wait for the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=timeout_s)

    def nudge(self) -> None:
        """Run a cycle now rather than at the next interval."""
        self._wake.set()

    def run_once(self) -> CycleReport | None:
        """One cycle with the status updated and reported; None if it failed."""
        report: CycleReport | None = None
        try:
            report = self._syncer.run_cycle()
        except HubUnavailable as exc:
            self._publish(online=False, last_error=error_text(exc))
        except (HubRefused, SyncError) as exc:
            self._publish(online=True, last_error=error_text(exc))
        except Exception as exc:  # a bug must not kill the thread that carries the queue
            log.exception("sync cycle failed")
            self._publish(online=None, last_error=f"internal error: {type(exc).__name__}")
        else:
            failure = report.push_failure
            # What was pulled (blocked orders above all) is shown even when the push failed.
            self._publish(
                online=failure is None or pushed_while_online(failure),
                last_error=None if failure is None else error_text(failure),
                last_success=utcnow() if failure is None else None,
                clock_skew_s=report.clock_skew_s,
                blocked=tuple(report.blocked),
            )
        return report

    def _publish(
        self,
        *,
        online: bool | None,
        last_error: str | None,
        last_success: datetime | None = None,
        clock_skew_s: float | None = None,
        blocked: tuple[BlockedOrder, ...] = (),
    ) -> None:
        db = self._syncer.db
        previous = self.status
        self.status = SyncStatus(
            online=online,
            pending=pending_count(db),
            dead_letters=dead_letter_count(db),
            last_success=last_success or previous.last_success,
            last_error=last_error,
            clock_skew_s=clock_skew_s if clock_skew_s is not None else previous.clock_skew_s,
            blocked=blocked,
        )
        if self._on_status is not None:
            self._on_status(self.status)

    def _run(self) -> None:
        delay = 0.0
        while not self._stop.is_set():
            self._wake.wait(delay)
            self._wake.clear()
            if self._stop.is_set():
                return
            report = self.run_once()
            if report is not None and report.push_failure is None:
                self._failures = 0
                delay = self._interval
            else:
                self._failures += 1
                delay = self._backoff.delay(self._failures)
