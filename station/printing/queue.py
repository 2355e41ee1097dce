"""The print queue as the packer, the operator and the UI see it.

Jobs are rows (``station.printing.store`` explains their states); a job is queued once per
``job_key`` and printed again only through :meth:`PrintQueue.reprint`, which is audited.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drivers.printer.factory import Printer
from station.audit import append_audit
from station.db import Database
from station.db.engine import reader
from station.db.models import Order, PrintJob, PrintJobStatus, utcnow
from station.outbox import append_event
from station.printing.jobs import JobInfo, UnknownJobError
from station.printing.store import Clock, JobStore, pending

# (printer, language) -> driver. ``printer`` is what the job row holds: a URL, or a name the
# composition root resolves to the bench's configured printer (see ``printing.printers``).
PrinterFactory = Callable[[str, str], Printer]


class PrintQueue(JobStore):
    """Print jobs in the station database: enqueue, reprint, list; the worker's moves inherited.

    Safe to use from several threads: every method opens its own session, and writes are
    serialised by SQLite's write lock. ``printer_factory`` is kept here for the worker.
    """

    def __init__(
        self, db: Database, printer_factory: PrinterFactory, station: str, clock: Clock = utcnow
    ) -> None:
        super().__init__(db, station, clock)
        self.printer_factory = printer_factory
        self._listeners: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def enqueue(
        self,
        job_key: str,
        template: str,
        language: str,
        printer: str,
        payload: bytes,
        order_id: int | None = None,
        package_id: int | None = None,
        user_id: int | None = None,
    ) -> int:
        """Queue a job and return its id; a ``job_key`` seen before returns the first job.

        Idempotent so that a retried completion, or auto-print after a restart, can never
        produce a second label: only :meth:`reprint` does that. The first payload stays.
        """
        with self._write() as (s, cur):
            existing = s.scalars(
                select(PrintJob.id).where(PrintJob.job_key == job_key).order_by(PrintJob.copy)
            ).first()
            if existing is not None:
                return existing
            now = self._clock()
            row = PrintJob(
                job_key=job_key,
                copy=1,
                order_id=order_id,
                package_id=package_id,
                template=template,
                language=language,
                printer=printer,
                payload=payload,
                payload_sha256=hashlib.sha256(payload).hexdigest(),
                status=PrintJobStatus.QUEUED,
                attempts=0,
                requested_by=user_id,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            append_event(cur, "print.queued", self._event(row), now)
            job_id = row.id
        self._wake()
        return job_id

    def reprint(self, job_id: int, user_id: int | None) -> int:
        """Queue another copy of a job (``copy`` = highest + 1), audited; returns its id."""
        with self._write() as (s, cur):
            old = s.get(PrintJob, job_id)
            if old is None:
                raise UnknownJobError(f"no print job {job_id}")
            if not old.payload:  # cleared by station.privacy: an empty copy would print nothing
                raise UnknownJobError(
                    f"print job {job_id}: its label was removed after [privacy] label_days;"
                    " print the order's labels again"
                )
            top = s.scalar(select(func.max(PrintJob.copy)).where(PrintJob.job_key == old.job_key))
            now = self._clock()
            row = PrintJob(
                job_key=old.job_key,
                copy=(top or 0) + 1,
                order_id=old.order_id,
                package_id=old.package_id,
                template=old.template,
                language=old.language,
                printer=old.printer,
                payload=old.payload,
                payload_sha256=old.payload_sha256,
                status=PrintJobStatus.QUEUED,
                attempts=0,
                requested_by=user_id,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            detail: dict[str, object] = {"of_job": old.id, "job_key": old.job_key, "copy": row.copy}
            append_audit(
                cur, now, self.station, user_id, "print.reprint", "print_job", str(row.id), detail
            )
            append_event(cur, "print.queued", {**self._event(row), "reprint_of": old.id}, now)
            new_id = row.id
        self._wake()
        return new_id

    def job(self, job_id: int) -> JobInfo:
        """One job; ``UnknownJobError`` if there is none with that id."""
        found = self._list(select(PrintJob).where(PrintJob.id == job_id))
        if not found:
            raise UnknownJobError(f"no print job {job_id}")
        return found[0]

    def jobs(self, status: PrintJobStatus | None = None, limit: int = 100) -> list[JobInfo]:
        """The most recent jobs first, optionally of one status."""
        query = select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)
        if status is not None:
            query = query.where(PrintJob.status == status)
        return self._list(query)

    def history(self, order_number: str) -> list[JobInfo]:
        """Every job printed for an order, copies included, oldest first (to reprint from)."""
        query = (
            select(PrintJob)
            .join(Order, Order.id == PrintJob.order_id)
            .where(Order.number == order_number)
            .order_by(PrintJob.id)
        )
        return self._list(query)

    def pending_count(self) -> int:
        """Jobs not yet done and not finally failed: the queue's length."""
        with Session(reader(self.db.engine)) as s:
            return int(s.scalar(select(func.count(PrintJob.id)).where(pending())) or 0)

    def subscribe(self, wake: Callable[[], None]) -> Callable[[], None]:
        """Call ``wake`` after each job added by this process; returns the unsubscribe."""
        with self._lock:
            self._listeners.append(wake)

        def unsubscribe() -> None:
            with self._lock:
                if wake in self._listeners:
                    self._listeners.remove(wake)

        return unsubscribe

    def _wake(self) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for wake in listeners:
            wake()
