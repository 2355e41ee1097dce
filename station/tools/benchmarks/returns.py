"""``station bench returns``: assembling an order's outbound evidence for the inspection screen.

The database holds N packed orders, written straight into the tables with ``executemany``
(orders, lines, ship-to, pack sessions, packages, scans with serials and lots, weight
readings, photos, shipping-label print jobs), because packing 100,000 orders through the
engine would take the better part of an hour and measure packing, not this. The rows have
the shape the pack engine writes (``station bench scan`` times that path). Then random orders
are looked up by tracking number and their evidence assembled (``station.returns.outbound``,
which reads ``station.evidence``), each timed on its own.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.config import Settings
from station.db import open_database
from station.returns.lookup import lookup
from station.returns.outbound import shipped
from station.tools.benchmarks.packed_orders import build_packed
from station.tools.benchmarks.scan import percentile


@dataclass(frozen=True)
class ReturnsBenchmarkResult:
    """Figures printed by the benchmark (JSON keys are stable)."""

    orders: int
    products: int
    samples: int
    evidence_p50_ms: float
    evidence_p99_ms: float
    lookup_p50_ms: float
    lookup_p99_ms: float
    build_seconds: float
    rows: int

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


def run_returns_benchmark(
    settings: Settings,
    *,
    orders: int,
    products: int,
    samples: int,
    seed: int,
    workdir: Path | None = None,
    log: bool = True,
) -> ReturnsBenchmarkResult:
    """Build the database, time ``samples`` lookups and evidence reads, return the figures."""
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-returns-"))
    root.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        if log:
            print(text, flush=True)

    db_path = root / "returns-bench.sqlite"
    for leftover in root.glob("returns-bench.sqlite*"):
        leftover.unlink()
    open_database(db_path).close()  # the schema, through the migrations
    started = time.perf_counter()
    rows = build_packed(db_path, orders=orders, products=products, seed=seed)
    build_s = time.perf_counter() - started
    say(f"wrote {orders} packed orders ({rows:,} rows) in {build_s:.1f} s")
    evidence_ms, lookup_ms = _measure(db_path, root / "photos", orders, samples, seed, say)
    return ReturnsBenchmarkResult(
        orders=orders,
        products=products,
        samples=len(evidence_ms),
        evidence_p50_ms=percentile(evidence_ms, 0.5),
        evidence_p99_ms=percentile(evidence_ms, 0.99),
        lookup_p50_ms=percentile(lookup_ms, 0.5),
        lookup_p99_ms=percentile(lookup_ms, 0.99),
        build_seconds=build_s,
        rows=rows,
    )


def _measure(
    db_path: Path, photo_dir: Path, orders: int, samples: int, seed: int, say: Callable[[str], None]
) -> tuple[list[float], list[float]]:
    rng = random.Random(seed + 1)
    con = sqlite3.connect(db_path)
    tracking = [r[0] for r in con.execute("SELECT tracking_number FROM orders ORDER BY id")]
    con.close()
    db = open_database(db_path)
    evidence_ms: list[float] = []
    lookup_ms: list[float] = []
    try:
        for _ in range(samples):
            code = tracking[rng.randrange(orders)]
            t = time.perf_counter()
            found = lookup(db, code)
            lookup_ms.append((time.perf_counter() - t) * 1000)
            number = found.orders[0].number
            t = time.perf_counter()
            view = shipped(db, number, photo_dir)
            evidence_ms.append((time.perf_counter() - t) * 1000)
            assert view is not None and view.packages, number
    finally:
        db.close()
    say(f"timed {samples} lookups and evidence reads")
    return evidence_ms, lookup_ms


def register_returns(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench returns`` to the ``station bench`` parser."""
    p = kinds.add_parser("returns", help="outbound evidence for the inspection screen")
    p.add_argument("--orders", type=int, default=100_000, help="packed orders (100,000)")
    p.add_argument("--products", type=int, default=50_000, help="catalog size (50,000)")
    p.add_argument("--samples", type=int, default=1_000, help="timed orders (1,000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_returns)


def run_returns(args: argparse.Namespace, settings: Settings) -> int:
    """Run the returns benchmark and print its figures."""
    if min(args.orders, args.products, args.samples) < 1:
        print(
            "station bench returns: --orders, --products and --samples must be at least 1",
            file=sys.stderr,
        )
        return 2
    result = run_returns_benchmark(
        settings,
        orders=args.orders,
        products=args.products,
        samples=args.samples,
        seed=args.seed,
        workdir=args.dir,
    )
    print(
        f"orders: {result.orders:,} packed, {result.products:,} products;"
        f" {result.samples} orders timed\n"
        f"outbound evidence for the inspection screen: p50 {result.evidence_p50_ms:.2f} ms,"
        f" p99 {result.evidence_p99_ms:.2f} ms (target p99 <= 100 ms)\n"
        f"lookup by tracking number: p50 {result.lookup_p50_ms:.2f} ms,"
        f" p99 {result.lookup_p99_ms:.2f} ms",
        flush=True,
    )
    if args.json:
        print(json.dumps(result.to_json()))
    return 0
