"""Print job rows and their moves, each one transaction with its outbox event.

Each transition writes the row and its event (``print.queued``, ``print.done``,
``print.failed``) in one ``BEGIN IMMEDIATE`` transaction, so the hub's log and the queue never
disagree. SENDING gets no event of its own: it lasts one send, and the hub learns the outcome.

A FAILED job is in one of two conditions, told apart without a schema change by ``done_at``:

* ``done_at`` NULL: the printer refused or could not be reached before anything was sent
  (paper out, head open, unknown status, connection refused). The worker retries the same row
  when the printer is ready again, and later jobs for that printer wait behind it.
* ``done_at`` set: final. The queue cannot know whether the label came out (the process died
  while SENDING, or the send broke off after the printer said ready). It is never resent on
  its own; the operator looks and reprints. It does not hold up the jobs behind it, since
  nothing the queue can do would settle it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, defer

from station.db import Database
from station.db.engine import reader
from station.db.models import PrintJob, PrintJobStatus, utcnow
from station.outbox import append_event
from station.printing.jobs import JobInfo, UnknownJobError, event_payload, job_info

Clock = Callable[[], datetime]
_S = PrintJobStatus


def pending() -> ColumnElement[bool]:
    """Jobs the worker still has to deal with, SENDING included (see ``PrintWorker``)."""
    return or_(
        PrintJob.status.in_([_S.QUEUED, _S.SENDING]),
        and_(PrintJob.status == _S.FAILED, PrintJob.done_at.is_(None)),
    )


class JobStore:
    """The ``print_jobs`` table for one station: reads, and the worker's state changes."""

    def __init__(self, db: Database, station: str, clock: Clock = utcnow) -> None:
        self.db = db
        self.station = station
        self._clock = clock

    def heads(self) -> list[JobInfo]:
        """For each printer, the oldest job still to deal with (oldest printer first)."""
        first = select(func.min(PrintJob.id)).where(pending()).group_by(PrintJob.printer)
        return self._list(select(PrintJob).where(PrintJob.id.in_(first)).order_by(PrintJob.id))

    def claim(self, job_id: int) -> bytes | None:
        """Mark a job SENDING (committed) and count the attempt; None if it is not claimable."""
        with self._write() as (s, _):
            row = s.get(PrintJob, job_id)
            if row is None or row.status not in (_S.QUEUED, _S.FAILED) or row.done_at:
                return None
            row.status = _S.SENDING
            row.attempts += 1
            row.updated_at = self._clock()
            return row.payload

    def finish(self, job_id: int) -> JobInfo:
        """The printer took the job: DONE."""
        return self._end(job_id, _S.DONE, None, final=True)

    def fail(self, job_id: int, reason: str, *, final: bool) -> JobInfo:
        """FAILED with the reason; ``final`` when only the operator can settle it."""
        return self._end(job_id, _S.FAILED, reason, final=final)

    def _end(
        self, job_id: int, status: PrintJobStatus, reason: str | None, *, final: bool
    ) -> JobInfo:
        with self._write() as (s, cur):
            row = s.get(PrintJob, job_id)
            if row is None:
                raise UnknownJobError(f"no print job {job_id}")
            now = self._clock()
            row.status = status
            row.updated_at = now
            row.done_at = now if final else None
            if reason is not None:
                row.last_error = reason
            event = "print.done" if status is _S.DONE else "print.failed"
            append_event(cur, event, self._event(row), now)
            return job_info(row, len(row.payload))

    def _event(self, row: PrintJob) -> dict[str, object]:
        return event_payload(job_info(row, len(row.payload)), self.station)

    def _list(self, query: Select[PrintJob]) -> list[JobInfo]:
        """Run a query of jobs without loading their payloads (only their length)."""
        sized = query.add_columns(func.length(PrintJob.payload)).options(defer(PrintJob.payload))
        with Session(reader(self.db.engine)) as s:
            return [job_info(row, int(size or 0)) for row, size in s.execute(sized)]

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, sqlite3.Cursor]]:
        """One BEGIN IMMEDIATE transaction, with the DB-API cursor the outbox writes on."""
        with self.db.session() as s, s.begin():
            conn = s.connection().connection.driver_connection
            assert isinstance(conn, sqlite3.Connection)
            cur = conn.cursor()
            try:
                yield s, cur
            finally:
                cur.close()
