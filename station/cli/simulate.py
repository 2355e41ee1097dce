"""``station simulate``: a headless packer over packable orders
(see ``station.tools.simulate.packer``).

    station simulate --orders N [--seed S] [--mistakes RATE] [--demo-data] [--commits] [--json]

It packs the first N open orders (most urgent first) of the configured database as this
station, through emulated devices, and prints a summary; with ``--json`` the last line is one
JSON object. An order this station had open when it stopped (a crash) is resumed first, and
labels a crash left unqueued are queued at start, as the station app does.

``--commits`` prints, and flushes, one JSON line per answer of the engine as soon as its
transaction has committed: ``{"commit": {"verdict", "scan_id", "order", "package", "seq",
"lines"}}``, ``seq`` being the outbox sequence committed so far and ``lines`` ``[line_no,
packed]`` pairs; at start ``{"resumed": {"order", "session_id", "package", "lines"}}`` when a
session is resumed. Whatever a caller has read was in the database before it was printed (the
crash harness, ``tests/crashharness.py``, holds the station to it).

It never invents orders: with none to pack it says so and exits 1, unless
``--demo-data`` is given, which first adds as many demo orders as are missing.

Exit status: 0 when the orders were packed; 1 when there was nothing to pack, the engine
answered something a packer would not expect, or the disk is full (the message says what); 2
when the station app (or ``station print retry``) runs the print worker of this database, since
its printer would get the simulated labels.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from station.config import Settings
from station.db import Database, open_database
from station.db.engine import DiskFullError
from station.importers import ImportFailed
from station.outbox import SEQ_COUNTER
from station.packing.completion import LabelCompletion, printer_language
from station.packing.state import PackState
from station.packing.verdicts import Outcome
from station.printing.lock import WorkerBusyError
from station.tools.demo import seed_demo
from station.tools.simulate.packer import Packer, Tally, packable_orders, resumable_order
from station.tools.simulate.rig import Rig, SimulationError

SETTLE_S = 30.0  # how long the printing may take after the last order


def _rate(value: str) -> float:
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0.0 <= rate <= 1.0:
        raise argparse.ArgumentTypeError("a rate between 0 and 1")
    return rate


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of at least 1, not {value!r}")
    return int(value)


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``simulate`` to the ``station`` parser."""
    p = sub.add_parser("simulate", help="pack N orders with emulated devices and mistakes")
    p.add_argument("--orders", type=_positive, required=True, metavar="N", help="orders to pack")
    p.add_argument("--seed", type=int, default=1, help="random seed (1)")
    p.add_argument(
        "--mistakes",
        type=_rate,
        default=0.1,
        metavar="RATE",
        help="chance per order of each mistake: wrong item, over-scan, wrong weight (0.1)",
    )
    p.add_argument(
        "--demo-data", action="store_true", help="add demo orders when fewer than N are open"
    )
    p.add_argument(
        "--commits", action="store_true", help="one JSON line per committed answer, as it commits"
    )
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run)


@dataclass(frozen=True)
class SimulationResult:
    """What a run did; the JSON keys are stable (the other issues' tests read them)."""

    station: str
    orders_requested: int
    orders_packed: int
    packages: int
    scans: int
    exceptions_by_type: dict[str, int]
    mistakes: dict[str, int]
    events_written: int
    labels_queued: int
    labels_printed: int
    labels_confirmed: int
    photos: int
    seconds: float

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {**asdict(self), "seconds": round(self.seconds, 3)}

    def __str__(self) -> str:
        def listed(counts: dict[str, int]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"

        return (
            f"simulated packer at {self.station}: {self.orders_packed} of"
            f" {self.orders_requested} orders packed in {self.packages} packages,"
            f" {self.seconds:.1f} s\n"
            f"scans {self.scans}, photos {self.photos}, events written {self.events_written}\n"
            f"mistakes made and corrected: {listed(self.mistakes)}\n"
            f"exceptions by type: {listed(self.exceptions_by_type)}\n"
            f"labels: {self.labels_queued} queued, {self.labels_printed} printed,"
            f" {self.labels_confirmed} scanned back"
        )


def _counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            table: int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())
            for table in ("scans", "outbox", "photos")
        }


def _printed(db: Database, jobs: list[int]) -> int:
    if not jobs:
        return 0
    marks = ",".join("?" * len(jobs))
    with db.engine.connect() as conn:
        sql = f"SELECT count(*) FROM print_jobs WHERE status = 'done' AND id IN ({marks})"
        return int(conn.exec_driver_sql(sql, tuple(jobs)).scalar_one())


class CommitReport:
    """Prints each committed answer of the engine at once, with the outbox sequence so far."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def resumed(self, state: PackState) -> None:
        """The session the engine read back from the database at start."""
        self._emit(
            "resumed",
            {
                "order": state.order_number,
                "session_id": state.session_id,
                "package": state.package_no,
                "lines": [[line.line_no, line.packed] for line in state.lines],
            },
        )

    def __call__(self, outcome: Outcome) -> None:
        with self._db.engine.connect() as conn:
            seq = conn.exec_driver_sql(
                "SELECT value FROM counters WHERE name = ?", (SEQ_COUNTER,)
            ).scalar()
        self._emit(
            "commit",
            {
                "verdict": outcome.verdict.value,
                "scan_id": outcome.scan_id,
                "order": outcome.order_number,
                "package": outcome.package_no,
                "seq": seq or 0,
                "lines": [[line.line_no, line.packed] for line in outcome.lines],
            },
        )

    @staticmethod
    def _emit(key: str, value: dict[str, object]) -> None:
        print(json.dumps({key: value}, separators=(",", ":")), flush=True)


def simulate(
    db: Database,
    settings: Settings,
    numbers: list[str],
    *,
    seed: int,
    mistakes: float,
    report: CommitReport | None = None,
) -> SimulationResult:
    """Pack ``numbers`` with a simulated packer; wait for their labels to print."""
    started = time.perf_counter()
    before = _counts(db)
    rng = random.Random(seed)
    # The emulated printer speaks what the bench's printer speaks (ZPL when it has none).
    language = printer_language(settings.devices.printer) or "zpl"
    rig = Rig(db, settings, printer=settings.devices.printer.name, language=language, seed=seed)
    tally = Tally()
    try:
        completion = LabelCompletion(db, settings, rig.queue)
        auto = completion.enabled  # [labels] auto_print, and a printer configured
        if auto:
            completion.sweep(datetime.now(UTC))  # labels a crash left unqueued
            rig.start_printing()
        packer = Packer(
            db,
            settings,
            rig,
            completion if auto else None,
            rng=rng,
            mistakes=mistakes,
            on_commit=report,
        )
        if report is not None and packer.service.state is not None:
            report.resumed(packer.service.state)
        try:
            for number in numbers:
                packer.pack(number)
        finally:
            tally = packer.tally
            packer.close()
        if auto:
            rig.worker.wait_until_settled(SETTLE_S)
    finally:
        rig.close()
    after = _counts(db)
    return SimulationResult(
        station=settings.station_name,
        orders_requested=len(numbers),
        orders_packed=tally.orders_packed,
        packages=tally.packages,
        scans=after["scans"] - before["scans"],
        exceptions_by_type=dict(sorted(tally.problems.items())),
        mistakes=dict(sorted(tally.mistakes.items())),
        events_written=after["outbox"] - before["outbox"],
        labels_queued=len(tally.jobs),
        labels_printed=_printed(db, tally.jobs),
        labels_confirmed=tally.labels_confirmed,
        photos=after["photos"] - before["photos"],
        seconds=time.perf_counter() - started,
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Pack ``--orders`` orders and print what happened."""
    db = open_database(settings.db_path)
    try:
        resumed = resumable_order(db, settings.station_name)
        numbers = packable_orders(db, args.orders)
        for _ in range(3 if args.demo_data else 0):
            if len(numbers) >= args.orders:
                break
            # A few demo orders arrive on hold or cancelled: ask for a few more than missing.
            missing = args.orders - len(numbers)
            more = missing + missing // 20 + 1
            seed_demo(db, more, seed=args.seed, station=settings.station_name)
            numbers = packable_orders(db, args.orders)
        if resumed is not None:  # the order left open comes first, within the N
            numbers = [resumed, *numbers[: args.orders - 1]]
        if not numbers:
            print(
                f"station simulate: no packable orders in {settings.db_path}"
                " (import some, or run with --demo-data)",
                file=sys.stderr,
            )
            return 1
        if len(numbers) < args.orders:
            print(f"station simulate: only {len(numbers)} packable orders", file=sys.stderr)
        report = CommitReport(db) if args.commits else None
        result = simulate(
            db, settings, numbers, seed=args.seed, mistakes=args.mistakes, report=report
        )
        result = replace(result, orders_requested=args.orders)
    except (SimulationError, ImportFailed, DiskFullError) as exc:
        print(f"station simulate: {exc}", file=sys.stderr)
        return 1
    except WorkerBusyError as exc:
        print(f"station simulate: {exc}: stop it first", file=sys.stderr)
        return 2
    finally:
        db.close()
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json(), sort_keys=True))
    return 0
