"""``station print``: the print queue from a terminal.

    station print jobs [--status S] [--limit N] [--json]
    station print reprint JOB_ID
    station print retry [--timeout S]

``retry`` runs the print worker in this process until the queue is empty or every printer
with jobs is waiting out a problem, printing each job's outcome; it refuses while another
process (the station app) runs the worker. Exit status: 0 when done, 1 when a job is unknown,
failed or still waiting, or the worker runs elsewhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from drivers.registry import build_registry
from station.config import Settings
from station.db import Database, open_database
from station.db.models import PrintJobStatus
from station.printing.jobs import JobInfo, UnknownJobError
from station.printing.lock import WorkerBusyError
from station.printing.printers import ConfiguredPrinters
from station.printing.queue import PrintQueue
from station.printing.worker import PrintWorker

RETRY_POLL_S = 0.5


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``print`` and its sub-commands to the ``station`` parser."""
    parser = sub.add_parser("print", help="the print queue: list jobs, reprint, retry")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    jobs = actions.add_parser("jobs", help="recent print jobs, newest first")
    jobs.add_argument("--status", choices=[s.value for s in PrintJobStatus])
    jobs.add_argument("--limit", type=int, default=50, metavar="N", help="default 50")
    jobs.add_argument("--json", action="store_true", help="one JSON array")
    jobs.set_defaults(handler=run_jobs)

    reprint = actions.add_parser("reprint", help="queue another copy of a job (audited)")
    reprint.add_argument("job_id", type=int, metavar="JOB_ID")
    reprint.set_defaults(handler=run_reprint)

    retry = actions.add_parser("retry", help="send what is queued now; say what happened")
    retry.add_argument("--timeout", type=float, default=60.0, metavar="S", help="default 60")
    retry.set_defaults(handler=run_retry)


def describe(job: JobInfo) -> str:
    """One line about a job's outcome, as ``retry`` prints it."""
    what = f"job {job.id} {job.job_key} copy {job.copy}: {job.status.value}"
    if job.status is PrintJobStatus.FAILED:
        then = "retried when the printer is ready" if job.waiting_for_printer else "not retried"
        return f"{what}: {job.last_error} ({then})"
    return what


def run_jobs(args: argparse.Namespace, settings: Settings) -> int:
    """List jobs."""
    db, queue, printers = _open(settings)
    try:
        status = PrintJobStatus(args.status) if args.status else None
        found = queue.jobs(status, limit=args.limit)
    finally:
        _close(db, printers)
    if args.json:
        print(json.dumps([job.to_json() for job in found], ensure_ascii=False))
        return 0
    print(f"{'ID':>6}  {'STATUS':8}  {'TRIES':>5}  {'JOB':32}  REASON")
    for job in found:
        reason = job.last_error if job.status is PrintJobStatus.FAILED else ""
        if job.waiting_for_printer:
            reason = f"waiting for the printer: {reason}"
        key = f"{job.job_key}#{job.copy}"
        print(f"{job.id:>6}  {job.status.value:8}  {job.attempts:>5}  {key:32}  {reason}")
    return 0


def run_reprint(args: argparse.Namespace, settings: Settings) -> int:
    """Queue another copy; the worker of the running station prints it."""
    db, queue, printers = _open(settings)
    try:
        new_id = queue.reprint(args.job_id, None)
        job = queue.job(new_id)
    except UnknownJobError as err:
        print(f"station print reprint: {err}", file=sys.stderr)
        return 1
    finally:
        _close(db, printers)
    print(f"queued job {job.id}: copy {job.copy} of {job.job_key}")
    return 0


def run_retry(args: argparse.Namespace, settings: Settings) -> int:
    """Run the worker until the queue is empty or blocked."""
    db, queue, printers = _open(settings)
    latest: dict[int, JobInfo] = {}

    def report(job: JobInfo) -> None:
        latest[job.id] = job
        print(describe(job), flush=True)

    worker = PrintWorker(queue, poll_s=RETRY_POLL_S, on_change=report)
    try:
        worker.start()
    except WorkerBusyError as err:
        _close(db, printers)
        print(f"station print retry: {err}", file=sys.stderr)
        return 1
    try:
        settled = worker.wait_until_settled(args.timeout)
    finally:
        worker.stop()
        _close(db, printers)
    state = worker.state()
    if not settled:
        print(f"station print retry: still sending after {args.timeout:g} s", file=sys.stderr)
    waiting = f"{state.queue_length} job(s) waiting"
    print(f"{waiting}: {state.problem}" if state.problem else waiting)
    failed = any(job.status is PrintJobStatus.FAILED for job in latest.values())
    return 0 if settled and state.queue_length == 0 and not failed else 1


def _open(settings: Settings) -> tuple[Database, PrintQueue, ConfiguredPrinters]:
    db = open_database(settings.db_path)
    printers = ConfiguredPrinters(settings.devices.printer, build_registry())
    return db, PrintQueue(db, printers, settings.station_name), printers


def _close(db: Database, printers: ConfiguredPrinters) -> None:
    printers.close()
    db.close()
