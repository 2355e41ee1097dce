"""What the queue tells the UI and the hub about a print job: a frozen snapshot, no bytes.

A :class:`JobInfo` crosses threads (the worker's callbacks reach the GUI through the Qt
bridge), so it is a plain frozen value rather than an ORM object that could lazy-load on the
wrong thread. It leaves the payload out: a list of jobs needs its hash, not kilobytes of ZPL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from station.db.models import PrintJob, PrintJobStatus

# Written into ``last_error`` of a job found in SENDING: the worker cannot know whether the
# printer got the label, so it neither resends it (maybe two labels) nor calls it done (maybe
# none). A person looks at the printer and reprints if nothing came out.
INTERRUPTED = "interrupted while sending: check whether the label came out, then reprint"
# The printer said it was ready and then the send broke off: the same doubt as above.
SEND_BROKEN = "sending broke off after the printer said ready ({reason})"
CHECK_THEN_REPRINT = "check whether the label came out, then reprint"


class UnknownJobError(LookupError):
    """No print job has that id."""


@dataclass(frozen=True)
class JobInfo:
    """One print job as the UI lists it and the worker reports it.

    ``final`` is True for a job the queue will not touch again (done, or failed in a way
    only an operator can settle); a failed job that is not final is retried when its
    printer comes back, and the jobs behind it on that printer wait.
    """

    id: int
    job_key: str
    copy: int
    status: PrintJobStatus
    template: str
    language: str
    printer: str
    payload_sha256: str
    size: int
    attempts: int
    last_error: str | None
    order_id: int | None
    package_id: int | None
    requested_by: int | None
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None

    @property
    def final(self) -> bool:
        """True when the worker is finished with this job (see the class docstring)."""
        return self.status is PrintJobStatus.DONE or (
            self.status is PrintJobStatus.FAILED and self.done_at is not None
        )

    @property
    def waiting_for_printer(self) -> bool:
        """A failed job that will be retried when its printer is ready again."""
        return self.status is PrintJobStatus.FAILED and self.done_at is None

    def to_json(self) -> dict[str, object]:
        """Plain values for ``station print jobs --json``."""
        return {
            "id": self.id,
            "job_key": self.job_key,
            "copy": self.copy,
            "status": self.status.value,
            "final": self.final,
            "template": self.template,
            "language": self.language,
            "printer": self.printer,
            "payload_sha256": self.payload_sha256,
            "size": self.size,
            "attempts": self.attempts,
            "last_error": self.last_error,
            "order_id": self.order_id,
            "package_id": self.package_id,
            "requested_by": self.requested_by,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
            "done_at": self.done_at.isoformat() if self.done_at else None,
        }


def job_info(row: PrintJob, size: int) -> JobInfo:
    """Snapshot of an ORM row; ``size`` is passed in so listings need not load the payload."""
    return JobInfo(
        id=row.id,
        job_key=row.job_key,
        copy=row.copy,
        status=PrintJobStatus(row.status),
        template=row.template,
        language=row.language,
        printer=row.printer,
        payload_sha256=row.payload_sha256,
        size=size,
        attempts=row.attempts,
        last_error=row.last_error,
        order_id=row.order_id,
        package_id=row.package_id,
        requested_by=row.requested_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
        done_at=row.done_at,
    )


def event_payload(job: JobInfo, station: str) -> dict[str, object]:
    """The outbox payload of a ``print.*`` event: which job, for what, and how it went."""
    return {
        "station": station,
        "job_id": job.id,
        "job_key": job.job_key,
        "copy": job.copy,
        "status": job.status.value,
        "final": job.final,
        "template": job.template,
        "language": job.language,
        "printer": job.printer,
        "payload_sha256": job.payload_sha256,
        "attempts": job.attempts,
        "reason": job.last_error,
        "order_id": job.order_id,
        "package_id": job.package_id,
        "requested_by": job.requested_by,
    }
