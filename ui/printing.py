"""The bench's printing: the print queue, its worker thread, labels after each packed order.

The print worker owns the printer: it asks the printer's status before it sends and waits
out paper-out or an open head. The registry's ``PrinterWatch`` is therefore not started for
this printer (two threads asking one serial printer would read each other's answers); the
status bar is fed from the worker's ``on_printer_status`` instead, and once at start, before
the worker runs, the printer is asked directly so the bar says "paper out" before the first
label rather than after it.

Labels of a packed order are queued after its COMPLETED answer, and the start-up sweep queues
those a crash left out; both render and write, so both run on the database worker.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from drivers.base import DeviceState, DeviceStatus
from drivers.printer.model import PrinterStatus, refusal_reason
from drivers.registry import Registry, build_registry
from station.config import Settings
from station.db import Database
from station.db.models import utcnow
from station.packing.completion import LabelCompletion
from station.packing.verdicts import Outcome, Verdict
from station.printing.jobs import JobInfo
from station.printing.lock import WorkerBusyError
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue
from station.printing.worker import PrintWorker
from station.user_ref import UserRef
from ui.bridge import DeviceBridge
from ui.worker import DbWorker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PrintView:
    """What the status bar shows of printing: jobs waiting and the trouble, if any."""

    queue_length: int
    problem: str | None = None
    last_job: JobInfo | None = None
    running: bool = True  # False: this process does not print (another one does, or none)


class PrintStation:
    """Print queue, print worker and label completion of one bench."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        worker: DbWorker,
        *,
        registry: Registry | None = None,
        poll_s: float = 1.0,
    ) -> None:
        self._config = settings.devices.printer
        self._bridge: DeviceBridge | None = None  # set by start(), before any thread runs
        self._db_worker = worker
        self._printers = ConfiguredPrinters(self._config, registry or build_registry())
        self.queue = PrintQueue(db, self._printers, settings.station_name)
        self.labels = LabelCompletion(db, settings, self.queue)
        self.worker = PrintWorker(
            self.queue,
            poll_s=poll_s,
            max_backoff_s=max(poll_s * 10, 5.0),
            on_change=self._job_changed,
            on_printer_status=self._printer_status,
        )
        self._stopping = threading.Event()
        self._started = False
        self._starter: threading.Thread | None = None

    def start(self, bridge: DeviceBridge) -> None:
        """Ask the printer once, start the worker (both off the GUI thread), sweep; what they
        report goes to ``bridge``."""
        self._bridge = bridge
        self._starter = threading.Thread(target=self._start, name="print-start", daemon=True)
        self._starter.start()
        self._db_worker.submit(lambda: self.labels.sweep(utcnow()), _swept, _failed)

    def after(self, outcome: Outcome, user: UserRef | None) -> None:
        """Auto-print, a subscriber of the bench: queue the labels of the order ``outcome``
        completed, as a job of its own on the worker (the verdict is shown first)."""
        if outcome.verdict is not Verdict.COMPLETED:
            return
        user_id = user.id if user is not None else None

        def queue() -> list[int]:
            return self.labels.after(outcome, user_id)

        self._db_worker.submit(queue, lambda _ids: None, _failed)

    def stop(self) -> None:
        """Stop the worker after the send in progress, then release the printer."""
        self._stopping.set()
        if self._starter is not None:
            self._starter.join(self._config.timeout_s + 5.0)
        if self._started:
            self.worker.stop()
        self._printers.close()

    # --- the starter thread and the print worker's thread -----------------------------------

    def _start(self) -> None:
        language = self.labels.language
        if language is not None:
            try:
                self._printer_status(
                    self._config.name, self._printers(self._config.name, language).status()
                )
            except (ValueError, OSError) as exc:  # no such printer: said, asked again per job
                self._report(DeviceState.ERROR, str(exc))
        if self._stopping.is_set():
            return
        try:
            self.worker.start()
        except WorkerBusyError as exc:
            self._view(PrintView(0, str(exc), running=False))
            return
        self._started = True
        self._view(PrintView(self.queue.pending_count()))

    def _job_changed(self, job: JobInfo) -> None:
        state = self.worker.state()
        self._view(PrintView(self.queue.pending_count(), state.problem, job))

    def _view(self, view: PrintView) -> None:
        if self._bridge is not None:
            self._bridge.report_print(view)

    def _printer_status(self, name: str, status: PrinterStatus) -> None:
        if self._bridge is None:
            return
        self._bridge.listeners().on_printer_status(name, status)
        refusal = refusal_reason(status)
        state = DeviceState.CONNECTED if refusal is None else DeviceState.ERROR
        self._report(state, refusal or status.reason or "ready", name)

    def _report(self, state: DeviceState, reason: str, name: str | None = None) -> None:
        if self._bridge is not None:
            self._bridge.report(DeviceStatus(name or self._config.name, state, reason))


def _swept(numbers: list[str]) -> None:
    if numbers:
        log.info("start-up sweep queued the missing labels of %s", ", ".join(numbers))


def _failed(error: BaseException) -> None:
    log.error("labels not queued: %s", error)
