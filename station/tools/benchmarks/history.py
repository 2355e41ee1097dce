"""``station bench weight-history``: the weight-by-history lookup does not grow with the history.

A package's check reads the latest packs of its SKU set in its box (``station.packing.history``
``recall``) through the index on (set, box, package). Two station databases, both migrated:
the baseline holds only the looked-up set's packs; the other also holds ``--packs`` packs of
thousands of other sets, as a bench has after months. The lookups alternate between the two
(a load that comes and goes falls on both), and the ratio is the large history's median over
the baseline's, measured in the same run: about 1 when the index does its work (a full scan
would grow with the table).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.config import Settings, WeightSettings
from station.db import open_database
from station.packing.history import PackKey, recall
from station.tools.benchmarks.scan import percentile

KEY = PackKey("MUG*1", "BOX-M")
PER_SET = 60  # packs of each set (more than the 50 a check reads)


@dataclass(frozen=True)
class Lookups:
    """One database's lookup times (seconds)."""

    name: str
    rows: int
    median_s: float
    p99_s: float

    def as_json(self) -> dict[str, Any]:
        """Milliseconds, as printed."""
        return {
            "rows": self.rows,
            "median_ms": round(self.median_s * 1000, 4),
            "p99_ms": round(self.p99_s * 1000, 4),
        }


def _fill(path: Path, packs: int, rng: random.Random) -> int:
    """A migrated database at ``path`` with KEY's packs and ``packs`` packs of other sets."""
    open_database(path).close()  # the real schema and its index, by the migrations
    con = sqlite3.connect(path)
    try:
        rows = [(n, KEY.signature, KEY.box, 312.0 + rng.gauss(0, 2)) for n in range(PER_SET)]
        for n in range(packs):
            sku = f"SKU-{n // PER_SET:05d}"
            rows.append((PER_SET + n, f"{sku}*1|TEE*{1 + n % 3}", "BOX-M", rng.uniform(200, 900)))
        rng.shuffle(rows)  # package ids of one set are spread through the table, as in life
        con.executemany(
            "INSERT INTO weight_history (package_id, signature, box, weight_g, created_at)"
            " VALUES (?, ?, ?, ?, '2026-12-06 06:00:00')",
            rows,
        )
        con.commit()
        return len(rows)
    finally:
        con.close()


def run_history_bench(packs: int, samples: int) -> tuple[Lookups, Lookups]:
    """The baseline's and the large history's lookup times."""
    rng = random.Random(18)
    s = WeightSettings()
    with tempfile.TemporaryDirectory(prefix="bench-history-") as folder:
        paths = {"baseline": Path(folder) / "baseline.sqlite", "history": Path(folder) / "h.sqlite"}
        rows = {
            "baseline": _fill(paths["baseline"], 0, rng),
            "history": _fill(paths["history"], packs, rng),
        }
        cons = {name: sqlite3.connect(path) for name, path in paths.items()}
        times: dict[str, list[float]] = {name: [] for name in paths}
        try:
            for con in cons.values():
                recall(con.cursor(), KEY, s)  # warm the page cache, untimed
            for _ in range(samples):
                for name, con in cons.items():
                    cur = con.cursor()
                    started = time.perf_counter()
                    spread = recall(cur, KEY, s)
                    times[name].append(time.perf_counter() - started)
                    assert spread is not None and spread.packs == s.history_packs
        finally:
            for con in cons.values():
                con.close()
    base, large = (
        Lookups(name, rows[name], statistics.median(times[name]), percentile(times[name], 0.99))
        for name in ("baseline", "history")
    )
    return base, large


def register_history(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench weight-history`` to the ``station bench`` parser."""
    p = kinds.add_parser(
        "weight-history", help="weight-by-history lookup: a large history against a small one"
    )
    p.add_argument("--packs", type=int, default=200_000, help="packs of other sets (200000)")
    p.add_argument("--samples", type=int, default=500, help="lookups in each database (500)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_history)


def run_history(args: argparse.Namespace, _settings: Settings) -> int:
    """Print both databases' median and p99, and the ratio of the medians."""
    if args.packs < 0 or args.samples < 1:
        print("station bench weight-history: --packs >= 0, --samples >= 1", file=sys.stderr)
        return 2
    base, large = run_history_bench(args.packs, args.samples)
    ratio = large.median_s / base.median_s if base.median_s else float("nan")
    print(f"{args.samples} lookups of the latest {WeightSettings().history_packs} packs of one set")
    for lookups in (base, large):
        print(
            f"{lookups.name:9} {lookups.rows:>8} rows: median {lookups.median_s * 1000:.3f} ms,"
            f" p99 {lookups.p99_s * 1000:.3f} ms"
        )
    print(f"ratio (history / baseline medians): {ratio:.2f}")
    if args.json:
        figures = {
            "samples": args.samples,
            "baseline": base.as_json(),
            "history": large.as_json(),
            "ratio": round(ratio, 3),
        }
        print(json.dumps(figures))
    return 0
