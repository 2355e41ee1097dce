"""The print worker: one thread that sends queued jobs through the printer drivers, in order.

Per printer, the oldest job goes first and the ones behind it wait, so labels come out in
the order they were queued. A job is marked SENDING (committed) before its bytes go out;
the driver's ``print_job`` asks the printer's status first and refuses with its reason. A
refused job is FAILED with that reason and keeps its row; the worker then asks the printer's
status with a capped back-off (no database writes while it waits) and sends the same row
again once the printer says it is ready: one label, not none and not two.

A job found in SENDING is never sent again. Between two passes nothing of this worker is in
flight, so such a job was cut off: by a crash or power loss before this start, or by a
database error after its send. The label may or may not have come out, and only a person at
the printer can tell; so it becomes a final FAILED "interrupted while sending: check whether
the label came out, then reprint". The same holds when the printer said ready and the send
then broke off. Resending would risk two labels, calling it done would risk none.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from drivers.backoff import Backoff
from drivers.printer.factory import Printer
from drivers.printer.model import PrinterStatus, refusal_reason
from station.db.models import PrintJobStatus
from station.printing.jobs import CHECK_THEN_REPRINT, INTERRUPTED, SEND_BROKEN, JobInfo
from station.printing.lock import WorkerLock, lock_path
from station.printing.queue import PrintQueue
from station.printing.retry_gate import RetryGate
from station.printing.state import StateKeeper, WorkerState

log = logging.getLogger(__name__)

JobListener = Callable[[JobInfo], None]
PrinterStatusListener = Callable[[str, PrinterStatus], None]


def _ignore(*_args: object) -> None:
    return None


class PrintWorker:
    """Sends the jobs of a :class:`PrintQueue` on a thread of its own and waits out trouble.

    ``on_change(job)`` is called after each committed change of a job, ``on_printer_status
    (printer, status)`` after each status the printer gave; both on the worker's thread (the
    Qt bridge moves them to the GUI). :meth:`state` is a snapshot for the UI. ``poll_s`` is
    the first back-off and how often the database is looked at for jobs queued by another
    process; ``max_backoff_s`` caps the back-off.
    """

    def __init__(
        self,
        queue: PrintQueue,
        *,
        poll_s: float = 1.0,
        max_backoff_s: float = 30.0,
        on_change: JobListener = _ignore,
        on_printer_status: PrinterStatusListener = _ignore,
    ) -> None:
        self._queue = queue
        self._poll_s = poll_s
        self._max_backoff_s = max_backoff_s
        self._on_change = on_change
        self._on_printer_status = on_printer_status
        self._lock = WorkerLock(lock_path(queue.db.path))
        self._gates: dict[str, RetryGate] = {}
        self._printers: dict[tuple[str, str], Printer] = {}
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] = _ignore
        self._state = StateKeeper()

    def start(self) -> None:
        """Take the database's print-worker lock (``WorkerBusyError``) and start the thread."""
        if self._thread is not None:
            raise RuntimeError("print worker already started")
        self._lock.acquire()
        self._unsubscribe = self._queue.subscribe(self._wake.set)
        self._thread = threading.Thread(target=self._run, name="print-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop after the send in progress (bounded by the driver's time-outs)."""
        self._stopping.set()
        self._wake.set()
        self._unsubscribe()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("print worker still sending at stop")
                return  # keep the lock: a send may still be in progress
        self._lock.release()

    def state(self) -> WorkerState:
        """Queue length, each troubled printer's problem, the last error (thread-safe)."""
        return self._state.snapshot()

    def wait_until_settled(self, timeout_s: float) -> bool:
        """Wait for a pass begun after this call that changed nothing: the queue is empty or
        every printer with jobs is waiting out a problem. False on time-out."""
        return self._state.wait_settled(self._wake.set, timeout_s)

    # --- the thread -------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            number = self._state.pass_begins()
            try:
                changed, wait_s = self._pass()
            except Exception as err:  # a database or driver bug must not end printing for good
                log.exception("print worker pass failed")
                self._state.set_error(f"print worker: {err}")
                changed, wait_s = False, self._poll_s
            self._state.pass_ends(number, idle=not changed)
            if not changed:
                self._wake.wait(wait_s)

    def _pass(self) -> tuple[bool, float]:
        """Serve the head job of each printer once; returns (changed anything, wait before next)."""
        changed = False
        for head in self._queue.heads():
            if self._stopping.is_set():
                break
            changed |= self._serve(head)
        now = time.monotonic()
        waits = [g.remaining(now) for g in self._gates.values() if g.delay_s > 0]
        self._state.set_queue_length(self._queue.pending_count())
        return changed, min([self._poll_s, *[w for w in waits if w > 0]])

    def _serve(self, head: JobInfo) -> bool:
        if head.status is PrintJobStatus.SENDING:
            self._changed(self._queue.fail(head.id, INTERRUPTED, final=True))
            return True
        gate = self._gates.get(head.printer)
        if gate is None:
            gate = self._gates[head.printer] = RetryGate(Backoff(self._poll_s, self._max_backoff_s))
        if not gate.due(time.monotonic()):
            return False
        try:
            printer = self._printer(head)
        except (ValueError, OSError) as err:  # a bad URL, no printer: shown, asked again later
            return self._refused(head, gate, f"cannot use printer {head.printer}: {err}")
        if head.waiting_for_printer:
            # Ask first, without touching the row: a long paper-out must not write a failure
            # (and an outbox event) per poll.
            status = printer.status()
            self._printer_status(head.printer, status)
            reason = refusal_reason(status)
            if reason is not None:
                return self._refused(head, gate, reason)
        return self._send(head, printer, gate)

    def _send(self, head: JobInfo, printer: Printer, gate: RetryGate) -> bool:
        payload = self._queue.claim(head.id)
        if payload is None:
            return False  # changed under us (the operator, or another process): look again
        result = printer.print_job(payload)
        if result.status is not None:
            self._printer_status(head.printer, result.status)
        if result.sent:
            gate.cleared()
            self._state.clear_problem(head.printer)
            self._changed(self._queue.finish(head.id))
            return True
        gate.failed(time.monotonic())
        broke_off = result.status is not None and refusal_reason(result.status) is None
        if broke_off:
            reason = f"{SEND_BROKEN.format(reason=result.reason)}: {CHECK_THEN_REPRINT}"
        else:
            reason = result.reason
        self._state.set_problem(head.printer, result.reason, error=reason)
        self._changed(self._queue.fail(head.id, reason, final=broke_off))
        return True

    def _refused(self, head: JobInfo, gate: RetryGate, reason: str) -> bool:
        """The printer cannot take the head job now; record it on a queued job only."""
        gate.failed(time.monotonic())
        self._state.set_problem(head.printer, reason, error=reason)
        if head.status is PrintJobStatus.QUEUED:
            self._changed(self._queue.fail(head.id, reason, final=False))
            return True
        return False

    def _printer(self, job: JobInfo) -> Printer:
        key = (job.printer, job.language)
        if key not in self._printers:
            self._printers[key] = self._queue.printer_factory(job.printer, job.language)
        return self._printers[key]

    def _changed(self, job: JobInfo) -> None:
        try:
            self._on_change(job)
        except Exception:  # a listener's bug must not stop the printing
            log.exception("print worker: on_change listener failed")

    def _printer_status(self, printer: str, status: PrinterStatus) -> None:
        self._state.set_status(printer, status)
        try:
            self._on_printer_status(printer, status)
        except Exception:
            log.exception("print worker: on_printer_status listener failed")
