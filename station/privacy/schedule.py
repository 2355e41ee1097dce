"""The purge, once a day, on a background thread of the running station.

Chosen over a purge at start-up alone: a bench may run for weeks without a restart. The
thread runs a purge soon after start if the last one (a ``settings`` row, so a restart
neither repeats nor skips it) is a day old or more, then looks again every hour. A purge takes
the write lock like any transaction (BEGIN IMMEDIATE), so the scan path waits at most for one
purge transaction, at most once a day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.privacy.purge import PrivacyPurge, PurgeReport

log = logging.getLogger(__name__)

LAST_PURGE_KEY = "privacy.last_purge_at"
EVERY = timedelta(days=1)
CHECK_INTERVAL_S = 3600.0


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DailyPurge:
    """Runs :class:`PrivacyPurge` when a day has passed since the last run, until stopped."""

    def __init__(
        self,
        db: Database,
        purge: PrivacyPurge,
        *,
        check_interval_s: float = CHECK_INTERVAL_S,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._db = db
        self._purge = purge
        self._interval = check_interval_s
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="privacy-purge", daemon=True)
        self.last_report: PurgeReport | None = None
        self.last_error: str | None = None

    def start(self) -> DailyPurge:
        """Start the thread (its first check is at once); returns self."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop the thread and wait for it (a purge in progress finishes first)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def last_run(self) -> datetime | None:
        """When the last purge ran, as stored in the database (None: never)."""
        with Session(reader(self._db.engine)) as session:
            value = session.scalar(
                text("SELECT value FROM settings WHERE key = :k"), {"k": LAST_PURGE_KEY}
            )
        return None if value is None else datetime.fromisoformat(str(value))

    def run_if_due(self) -> PurgeReport | None:
        """Purge now if a day has passed since the last purge; the report, or None."""
        now = self._clock()
        last = self.last_run()
        if last is not None and now - last < EVERY:
            return None
        report = self._purge.run(now)
        with self._db.session() as session:
            session.execute(
                text(
                    "INSERT INTO settings (key, value) VALUES (:k, :v)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ),
                {"k": LAST_PURGE_KEY, "v": now.isoformat()},
            )
            session.commit()
        self.last_report = report
        return report

    def _loop(self) -> None:
        while True:
            try:
                report = self.run_if_due()
                if report is not None:
                    log.info("privacy purge: %s", report.to_json())
            except Exception as exc:  # e.g. disk full: tried again at the next check
                self.last_error = str(exc)
                log.warning("privacy purge failed: %s", exc)
            if self._stop.wait(self._interval):
                return
