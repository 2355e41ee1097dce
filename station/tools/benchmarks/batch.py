"""``station bench batch``: single-item orders packed in batch mode against one by one.

The headless packer packs ``orders`` single-unit orders through the pack bench in batch mode
(``[packing] single_item_batch``: scan the item, put the box on the scale; the bench picks
the order and completes it), and the same orders one by one (scan the order, scan the item,
weigh, press complete) on a copy of the database in the same run, order by order in turn so
both see the same machine. Per order it counts the scans and keys, and times the station:
the bench calls from the first scan to the completion, the packer's own time (reaching, the
scale settling, the box lifted off) left out.

Then camera frames dropped per minute by live decoding with the pack video off and on
(``station.tools.benchmarks.batch_video``): the real camera driver on an emulated 30 fps
camera, ``--video-seconds`` of camera time each way.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from drivers.scale.model import ScaleReading, ScaleState
from drivers.scale.worker import ScaleUpdate
from station.barcodes import Command, Interpreter
from station.config import Settings
from station.db import Database, open_database
from station.db.engine import apply_pragmas
from station.db.models import Order, OrderLine, Product, ProductBarcode
from station.gtin import barcode_key, with_check_digit
from station.packing.bench import Held, PackBench, Reply
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Outcome, Verdict
from station.tools.benchmarks.batch_video import measure_drops
from station.tools.benchmarks.scan import percentile

PRODUCTS = 40
WARM_UP = 5


@dataclass(frozen=True)
class BatchBenchmarkResult:
    """Figures printed by ``station bench batch`` (JSON keys are stable)."""

    orders: int
    scans_per_order: float
    keys_per_order: float
    station_p50_ms: float
    station_p99_ms: float
    one_by_one_scans_per_order: float
    one_by_one_keys_per_order: float
    one_by_one_station_p50_ms: float
    one_by_one_station_p99_ms: float
    ratio_p50_to_one_by_one: float
    two_commits_p50_ms: float
    """Baseline, in the same run: two bare durable commits (a scan's, then the weighing's and
    completion's), timed once per order on a database of their own."""
    two_commits_p99_ms: float
    ratio_p99_to_two_commits: float
    frames_dropped_video_off: float
    """Camera frames dropped per minute by live decoding, the pack video off."""
    frames_dropped_video_on: float
    """The same with the pack video recording (target: no more than off)."""
    video_seconds: float
    video_frames_written: int

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}

    def __str__(self) -> str:
        return (
            f"single-item orders: {self.orders} in batch mode, {self.orders} one by one\n"
            f"batch mode: {self.scans_per_order:.2f} scans and {self.keys_per_order:.2f} keys"
            f" per order; station time p50 {self.station_p50_ms:.2f} ms,"
            f" p99 {self.station_p99_ms:.2f} ms\n"
            f"one by one: {self.one_by_one_scans_per_order:.2f} scans and"
            f" {self.one_by_one_keys_per_order:.2f} keys per order; station time"
            f" p50 {self.one_by_one_station_p50_ms:.2f} ms,"
            f" p99 {self.one_by_one_station_p99_ms:.2f} ms\n"
            f"ratio batch p50 / one-by-one p50: {self.ratio_p50_to_one_by_one:.2f}\n"
            f"baseline, two bare durable commits an order: p50 {self.two_commits_p50_ms:.2f} ms,"
            f" p99 {self.two_commits_p99_ms:.2f} ms; ratio batch p99 / baseline p99"
            f" {self.ratio_p99_to_two_commits:.2f}\n"
            f"camera frames dropped per minute ({self.video_seconds:g} s each way): video off"
            f" {self.frames_dropped_video_off:.1f}, video on {self.frames_dropped_video_on:.1f}"
            f" ({self.video_frames_written} video frames written)"
        )


def _code(n: int) -> str:
    return with_check_digit(f"49{n:010d}")


def build_orders(db: Database, orders: int, seed: int) -> list[tuple[str, str]]:
    """``PRODUCTS`` products and ``orders`` single-unit orders of random ones, with random
    priorities and ages; (order number, item barcode) per order."""
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=2)
    out = []
    with db.session() as s:
        products = []
        for n in range(PRODUCTS):
            p = Product(sku=f"SKU-{n:03d}", name=f"Item {n}", unit_weight_g=rng.uniform(80, 900))
            p.barcodes.append(ProductBarcode(code=barcode_key(_code(n)), raw=_code(n)))
            products.append(p)
        s.add_all(products)
        s.flush()
        for n in range(orders):
            k = rng.randrange(PRODUCTS)
            o = Order(
                number=f"SO-{100000 + n}",
                priority=rng.choice((0, 0, 0, 1, 5)),
                created_at=start + timedelta(seconds=rng.randrange(86_400)),
            )
            o.lines.append(OrderLine(line_no=1, product_id=products[k].id, quantity=1))
            s.add(o)
            out.append((o.number, _code(k)))
        s.commit()
    return out


class _Packer:
    """The headless packer at one bench: counts its scans and keys, times the station."""

    def __init__(self, db: Database, settings: Settings, *, batch: bool, station: str) -> None:
        packing = replace(settings.packing, single_item_batch=batch)
        interpreter = Interpreter(settings.barcodes)
        self.service = PackService(
            db, interpreter, packing, station, proof=ProofOptions(require_weight=True)
        )
        self.bench = PackBench(self.service, interpreter, clock=self._tick)
        self.t = 0.0
        self.scans = self.keys = 0
        self.station_ms: list[float] = []

    def _tick(self) -> float:
        self.t += 1.0  # the packer's time between actions: a reading settles after a scan
        return self.t

    def close(self) -> None:
        self.service.close()

    def _timed(self, call: Any) -> Outcome:
        t = time.perf_counter()
        reply: Reply | None = call()
        self._spent += (time.perf_counter() - t) * 1000
        if reply is None or isinstance(reply.result, Held):
            raise RuntimeError(f"bench batch: the bench answered nothing or held it: {reply}")
        return reply.result

    def _weigh(self) -> Outcome:
        expected = self.service.expected_weight()
        assert expected is not None
        grams = expected.expected_g
        reading = ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams:.0f} g", unit_raw="g")
        self.bench.reading(ScaleUpdate(reading, False, self._tick()))  # settling: not timed
        return self._timed(lambda: self.bench.reading(ScaleUpdate(reading, True, self._tick())))

    def lift_off(self) -> None:
        """The packed box is taken off the scale (the packer's time: not timed)."""
        empty = ScaleReading(ScaleState.STABLE, 0.0, 1.0, "S S 0 g", unit_raw="g")
        self.bench.reading(ScaleUpdate(empty, True, self._tick()))

    def pack_batch(self, item: str) -> str:
        """Scan the item and put the box down: the bench picks, weighs and completes."""
        self._spent = 0.0
        self.scans += 1
        counted = self._timed(lambda: self.bench.scan(item))
        if counted.verdict is not Verdict.ACCEPTED or counted.order_number is None:
            raise RuntimeError(f"bench batch: {item}: {counted.message}")
        done = self._weigh()
        if done.verdict is not Verdict.COMPLETED:
            raise RuntimeError(f"bench batch: {counted.order_number}: {done.message}")
        self.station_ms.append(self._spent)
        self.lift_off()
        return counted.order_number

    def pack_one(self, number: str, item: str) -> None:
        """Scan the order, scan the item, put the box down, press complete."""
        self._spent = 0.0
        for code in (number, item):
            self.scans += 1
            self._timed(lambda code=code: self.bench.scan(code))
        weighed = self._weigh()
        self.keys += 1
        done = self._timed(lambda: self.bench.command(Command.COMPLETE, "complete"))
        if weighed.verdict is not Verdict.WEIGHT_PASS or done.verdict is not Verdict.COMPLETED:
            raise RuntimeError(f"bench batch: {number}: {weighed.message}; {done.message}")
        self.station_ms.append(self._spent)
        self.lift_off()


class _BareCommits:
    """Two durable commits of one row each, with the station's pragmas: a batch order's floor."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None)
        apply_pragmas(self._conn)
        self._conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
        self.ms: list[float] = []

    def time_two(self) -> None:
        t = time.perf_counter()
        for what in ("scan", "completion"):
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("INSERT INTO t (v) VALUES (?)", (what,))
            self._conn.execute("COMMIT")
        self.ms.append((time.perf_counter() - t) * 1000)

    def close(self) -> None:
        self._conn.close()


def run_batch_benchmark(
    settings: Settings,
    *,
    orders: int,
    seed: int = 7,
    workdir: Path | None = None,
    video_seconds: float = 20.0,
) -> BatchBenchmarkResult:
    """Pack ``orders`` single-item orders each way (after a warm-up), return the figures."""
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-batch-"))
    root.mkdir(parents=True, exist_ok=True)
    # Two databases holding the same orders: the one-by-one packer packs, in the other, the
    # very order the batch packer's item picked, so both pack the same orders in the same run.
    dbs = [open_database(root / f"{way}.sqlite") for way in ("batch", "one_by_one")]
    try:
        made = [build_orders(db, orders + WARM_UP, seed) for db in dbs]
        item_of = dict(made[0])
        rng = random.Random(seed)
        items = [item_of[number] for number, _ in made[0]]
        rng.shuffle(items)  # the items come off the cart in any order
        batch = _Packer(dbs[0], settings, batch=True, station="bench-1")
        single = _Packer(dbs[1], settings, batch=False, station="bench-1")
        bare = _BareCommits(root / "bare.sqlite")
        try:
            for n, item in enumerate(items):
                picked = batch.pack_batch(item)
                single.pack_one(picked, item_of[picked])
                bare.time_two()
                if n == WARM_UP - 1:
                    for p in (batch, single):
                        p.scans = p.keys = 0
                        p.station_ms.clear()
                    bare.ms.clear()
        finally:
            batch.close()
            single.close()
            bare.close()
    finally:
        for db in dbs:
            db.close()
    # The video as configured, but always on and never cut: what is measured is recording.
    video = replace(settings.video, enabled=True, max_mb=1e6)
    drops = measure_drops(root, video_seconds, video)
    p50 = percentile(batch.station_ms, 0.5)
    p99 = percentile(batch.station_ms, 0.99)
    one_p50 = percentile(single.station_ms, 0.5)
    bare_p99 = percentile(bare.ms, 0.99)
    return BatchBenchmarkResult(
        orders=orders,
        scans_per_order=batch.scans / orders,
        keys_per_order=batch.keys / orders,
        station_p50_ms=p50,
        station_p99_ms=p99,
        one_by_one_scans_per_order=single.scans / orders,
        one_by_one_keys_per_order=single.keys / orders,
        one_by_one_station_p50_ms=one_p50,
        one_by_one_station_p99_ms=percentile(single.station_ms, 0.99),
        ratio_p50_to_one_by_one=p50 / one_p50 if one_p50 else 0.0,
        two_commits_p50_ms=percentile(bare.ms, 0.5),
        two_commits_p99_ms=bare_p99,
        ratio_p99_to_two_commits=p99 / bare_p99 if bare_p99 else 0.0,
        frames_dropped_video_off=drops.off_per_minute,
        frames_dropped_video_on=drops.on_per_minute,
        video_seconds=video_seconds,
        video_frames_written=drops.video_frames_written,
    )


def register_batch(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench batch`` to the ``station bench`` parser."""
    p = kinds.add_parser("batch", help="single-item orders: batch mode against one by one")
    p.add_argument("--orders", type=int, default=500, help="timed orders each way (500)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument(
        "--video-seconds",
        type=float,
        default=20.0,
        help="camera time with the pack video off, and again on (20)",
    )
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_batch)


def run_batch(args: argparse.Namespace, settings: Settings) -> int:
    """Run the batch benchmark and print its figures."""
    if args.orders < 1:
        print("station bench batch: --orders must be at least 1", file=sys.stderr)
        return 2
    if args.video_seconds <= 0:
        print("station bench batch: --video-seconds must be more than 0", file=sys.stderr)
        return 2
    result = run_batch_benchmark(
        settings,
        orders=args.orders,
        seed=args.seed,
        workdir=args.dir,
        video_seconds=args.video_seconds,
    )
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0
