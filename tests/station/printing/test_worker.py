"""The worker against the real ZPL driver and a TCP printer emulator on 127.0.0.1."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator

import pytest

from drivers.printer.emulator import AnswerMode, Language, TcpPrinterEmulator
from station.db import Database
from station.db.models import PrintJob, PrintJobStatus
from station.printing.jobs import INTERRUPTED, JobInfo
from station.printing.lock import WorkerBusyError
from station.printing.queue import PrintQueue
from station.printing.worker import PrintWorker

from .conftest import MAX_BACKOFF_S, POLL_S, events, label, wait_for

QUEUED, SENDING, DONE, FAILED = (
    PrintJobStatus.QUEUED,
    PrintJobStatus.SENDING,
    PrintJobStatus.DONE,
    PrintJobStatus.FAILED,
)


class Started:
    """Workers started by a test, with what each reported; all stopped afterwards."""

    def __init__(self, queue: PrintQueue) -> None:
        self.queue = queue
        self.workers: list[PrintWorker] = []
        self.changes: list[JobInfo] = []

    def __call__(self) -> PrintWorker:
        worker = PrintWorker(
            self.queue, poll_s=POLL_S, max_backoff_s=MAX_BACKOFF_S, on_change=self.changes.append
        )
        worker.start()
        self.workers.append(worker)
        return worker


@pytest.fixture
def start_worker(queue: PrintQueue) -> Iterator[Started]:
    started = Started(queue)
    yield started
    for worker in started.workers:
        worker.stop()


def _status(queue: PrintQueue, job_id: int) -> PrintJobStatus:
    return queue.job(job_id).status


def _enqueue(queue: PrintQueue, printer: TcpPrinterEmulator, n: int) -> int:
    return queue.enqueue(f"package:{n}:shipping", "shipping", "zpl", printer.url, label(n))


def _settle(worker: PrintWorker) -> None:
    assert worker.wait_until_settled(5.0)


def test_a_job_prints_once_with_exactly_its_bytes(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started, db: Database
) -> None:
    worker = start_worker()
    job_id = _enqueue(queue, printer, 1)
    wait_for(lambda: _status(queue, job_id) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1)]
    job = queue.job(job_id)
    assert (job.attempts, job.final, job.done_at is not None) == (1, True, True)
    assert [t for t, _ in events(db)] == ["print.queued", "print.done"]
    assert [(c.id, c.status) for c in start_worker.changes] == [(job_id, DONE)]
    assert worker.state().queue_length == 0


def test_the_same_key_enqueued_twice_prints_once(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started
) -> None:
    worker = start_worker()
    first = _enqueue(queue, printer, 1)
    wait_for(lambda: _status(queue, first) is DONE)
    assert _enqueue(queue, printer, 1) == first  # after it printed, too
    _settle(worker)
    assert printer.jobs == [label(1)]


def test_reprint_prints_a_second_copy_only_when_asked(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started, db: Database
) -> None:
    worker = start_worker()
    first = _enqueue(queue, printer, 1)
    wait_for(lambda: _status(queue, first) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1)]
    copy = queue.reprint(first, None)
    wait_for(lambda: _status(queue, copy) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1), label(1)]
    assert queue.job(copy).copy == 2
    assert [t for t, _ in events(db)] == ["print.queued", "print.done"] * 2


@pytest.mark.parametrize(
    ("flag", "reason"), [("paper_out", "paper out"), ("head_open", "print head open")]
)
def test_printer_trouble_then_back_gives_exactly_one_label(
    queue: PrintQueue,
    printer: TcpPrinterEmulator,
    start_worker: Started,
    db: Database,
    flag: str,
    reason: str,
) -> None:
    setattr(printer.state, flag, True)
    worker = start_worker()
    job_id = _enqueue(queue, printer, 1)
    wait_for(lambda: _status(queue, job_id) is FAILED)
    job = queue.job(job_id)
    assert (job.last_error, job.waiting_for_printer, job.attempts) == (reason, True, 1)
    assert worker.state().problem == reason
    assert getattr(worker.state(), flag) is True
    # It keeps asking while the trouble lasts, sends nothing and writes nothing.
    asked = printer.core.queries_received
    printer.core.wait_for_queries(asked + 3, timeout=5.0)
    assert printer.jobs == []
    assert queue.job(job_id).attempts == 1
    assert [t for t, _ in events(db)] == ["print.queued", "print.failed"]

    setattr(printer.state, flag, False)
    wait_for(lambda: _status(queue, job_id) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1)]  # one label: not none, not two
    job = queue.job(job_id)
    assert (job.attempts, job.id) == (2, job_id)  # the same row, retried
    assert worker.state().problem is None
    assert [t for t, _ in events(db)] == ["print.queued", "print.failed", "print.done"]
    assert [c.status for c in start_worker.changes] == [FAILED, DONE]


def test_jobs_behind_a_failed_one_wait_and_come_out_in_order(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started
) -> None:
    printer.state.paper_out = True
    worker = start_worker()
    first, second, third = (_enqueue(queue, printer, n) for n in (1, 2, 3))
    wait_for(lambda: _status(queue, first) is FAILED)
    printer.core.wait_for_queries(printer.core.queries_received + 2, timeout=5.0)
    assert (_status(queue, second), _status(queue, third)) == (QUEUED, QUEUED)
    assert worker.state().queue_length == 3
    printer.state.paper_out = False
    wait_for(lambda: _status(queue, third) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1), label(2), label(3)]


def test_order_of_many_jobs_is_kept(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started
) -> None:
    ids = [_enqueue(queue, printer, n) for n in range(1, 8)]
    worker = start_worker()
    wait_for(lambda: _status(queue, ids[-1]) is DONE)
    _settle(worker)
    assert printer.jobs == [label(n) for n in range(1, 8)]


def test_a_silent_printer_is_not_sent_to_and_the_reason_is_shown(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started
) -> None:
    printer.state.answer = AnswerMode.SILENT
    worker = start_worker()
    job_id = _enqueue(queue, printer, 1)
    wait_for(lambda: _status(queue, job_id) is FAILED)
    reason = queue.job(job_id).last_error
    assert reason is not None and reason.startswith("printer status unknown: no answer to ~HS")
    assert worker.state().problem == reason
    assert printer.jobs == []
    printer.state.answer = AnswerMode.NORMAL
    wait_for(lambda: _status(queue, job_id) is DONE)
    _settle(worker)
    assert printer.jobs == [label(1)]


def test_a_refused_connection_is_the_reason(queue: PrintQueue, start_worker: Started) -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]  # closed again when the block ends: nobody listens
    job_id = queue.enqueue("k", "shipping", "zpl", f"tcp://127.0.0.1:{port}", label(1))
    start_worker()
    wait_for(lambda: _status(queue, job_id) is FAILED)
    job = queue.job(job_id)
    assert job.waiting_for_printer
    assert job.last_error is not None and "refused" in job.last_error


def test_a_job_left_sending_is_not_resent_but_marked_interrupted(
    queue: PrintQueue, printer: TcpPrinterEmulator, start_worker: Started, db: Database
) -> None:
    # The process died while sending: the row says SENDING, nobody knows if the label came out.
    with db.session() as s, s.begin():
        row = PrintJob(
            job_key="package:1:shipping",
            template="shipping",
            language="zpl",
            printer=printer.url,
            payload=label(1),
            payload_sha256=hashlib.sha256(label(1)).hexdigest(),
            status=SENDING,
            attempts=1,
        )
        s.add(row)
        s.flush()
        stuck = row.id
    behind = _enqueue(queue, printer, 2)
    worker = start_worker()
    wait_for(lambda: _status(queue, behind) is DONE)
    _settle(worker)
    job = queue.job(stuck)
    assert (job.status, job.last_error, job.final, job.attempts) == (FAILED, INTERRUPTED, True, 1)
    assert printer.jobs == [label(2)]  # the interrupted one was not sent again
    assert [t for t, _ in events(db)] == ["print.queued", "print.failed", "print.done"]
    failed = events(db)[1][1]
    assert (failed["job_id"], failed["final"], failed["reason"]) == (stuck, True, INTERRUPTED)
    # The operator decides: a reprint is the way to get it.
    copy = queue.reprint(stuck, None)
    wait_for(lambda: _status(queue, copy) is DONE)
    assert printer.jobs == [label(2), label(1)]


def test_one_worker_per_database(queue: PrintQueue, start_worker: Started) -> None:
    start_worker()
    with pytest.raises(WorkerBusyError, match="another process"):
        PrintWorker(queue).start()


def test_a_receipt_printer_out_of_paper_then_back_gives_one_receipt(
    queue: PrintQueue, start_worker: Started
) -> None:
    # ESC/POS asks its status on one connection and prints on the next: the same promise.
    receipt = b"\x1b@packing slip SO-1001\n\x1dVA\x00"
    with TcpPrinterEmulator(Language.ESCPOS) as escpos:
        escpos.state.paper_out = True
        worker = start_worker()
        job_id = queue.enqueue(
            "order:1:packing-slip", "packing-slip", "escpos", escpos.url, receipt
        )
        wait_for(lambda: _status(queue, job_id) is FAILED)
        assert queue.job(job_id).last_error == "paper out"
        escpos.core.wait_for_queries(escpos.core.queries_received + 3, timeout=5.0)
        assert escpos.jobs == []
        escpos.state.paper_out = False
        wait_for(lambda: _status(queue, job_id) is DONE)
        _settle(worker)
        assert escpos.jobs == [receipt]
        worker.stop()
