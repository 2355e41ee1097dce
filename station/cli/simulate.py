"""``station simulate``: a headless packer over packable orders (see ``station.simulate``).

    station simulate --orders N [--seed S] [--mistakes RATE] [--demo-data] [--json]

It packs the first N open orders (most urgent first) of the configured database as this
station, through emulated devices, and prints a summary; with ``--json`` the last line is one
JSON object. It never invents orders: with none to pack it says so and exits 1, unless
``--demo-data`` is given, which first adds as many demo orders as are missing.

Exit status: 0 when the orders were packed; 1 when there was nothing to pack or the engine
answered something a packer would not expect (the message says what); 2 when the station app
(or ``station print retry``) runs the print worker of this database, since its printer would
get the simulated labels.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import asdict, dataclass, replace
from typing import Any

from station.config import Settings
from station.db import Database, open_database
from station.demo import seed_demo
from station.importers import ImportFailed
from station.packing.completion import LabelCompletion, printer_language
from station.printing.lock import WorkerBusyError
from station.simulate import Packer, Rig, SimulationError, Tally, packable_orders

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


def simulate(
    db: Database, settings: Settings, numbers: list[str], *, seed: int, mistakes: float
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
            rig.start_printing()
        packer = Packer(db, settings, rig, completion if auto else None, rng=rng, mistakes=mistakes)
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
        numbers = packable_orders(db, args.orders)
        for _ in range(3 if args.demo_data else 0):
            if len(numbers) >= args.orders:
                break
            # A few demo orders arrive on hold or cancelled: ask for a few more than missing.
            missing = args.orders - len(numbers)
            more = missing + missing // 20 + 1
            seed_demo(db, more, seed=args.seed, station=settings.station_name)
            numbers = packable_orders(db, args.orders)
        if not numbers:
            print(
                f"station simulate: no packable orders in {settings.db_path}"
                " (import some, or run with --demo-data)",
                file=sys.stderr,
            )
            return 1
        if len(numbers) < args.orders:
            print(f"station simulate: only {len(numbers)} packable orders", file=sys.stderr)
        result = simulate(db, settings, numbers, seed=args.seed, mistakes=args.mistakes)
        result = replace(result, orders_requested=args.orders)
    except (SimulationError, ImportFailed) as exc:
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
