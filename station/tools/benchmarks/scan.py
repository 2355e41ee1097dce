"""``station bench scan``: the scan-to-verdict path against the fsync floor, on a big database.

Builds a database of N orders and M products through the real importers (timing the order
import), then packs orders through ``PackService.scan`` (interpret, decide, durable commit).
Each timed scan is paired with a bare one-row insert+commit on a second SQLite file with the
same pragmas, run right before it, so both see the same moment of a shared, noisy machine.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.barcodes import Interpreter
from station.config import Settings
from station.db import open_database
from station.db.checkpoint import Checkpointer
from station.db.engine import apply_pragmas
from station.importers import import_catalog, import_orders
from station.packing.service import PackService
from station.tools import demo


@dataclass(frozen=True)
class ScanBenchmarkResult:
    """Figures printed by the benchmark (JSON keys are stable)."""

    orders: int
    products: int
    scans: int
    verdict_p50_ms: float
    verdict_p99_ms: float
    bare_commit_p50_ms: float
    bare_commit_p99_ms: float
    ratio_p50: float
    ratio_p99: float
    import_rows: int
    import_seconds: float
    import_rows_per_s: float
    import_orders_per_s: float
    catalog_seconds: float

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


def percentile(samples: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) by nearest rank."""
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _stream(cur: sqlite3.Cursor, order_ids: list[int], rng: random.Random) -> list[str]:
    """Realistic scans for these orders: order, units (with serial/lot data), some mistakes."""
    expiry = (datetime.now(UTC).date() + timedelta(days=400)).strftime("%y%m%d")
    stray = cur.execute("SELECT raw FROM product_barcodes LIMIT 1 OFFSET 7").fetchone()[0]
    scans: list[str] = []
    for order_id in order_ids:
        number = cur.execute("SELECT number FROM orders WHERE id = ?", (order_id,)).fetchone()[0]
        scans.append(number)
        lines = cur.execute(
            "SELECT l.quantity, p.tracking, p.id,"
            " (SELECT raw FROM product_barcodes b WHERE b.product_id = p.id ORDER BY b.id LIMIT 1)"
            " FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ?"
            " ORDER BY l.line_no",
            (order_id,),
        ).fetchall()
        for qty, tracking, pid, code in lines:
            for unit in range(qty):
                if rng.random() < 0.03:
                    scans.append(stray)  # a wrong item now and then
                gtin = code.zfill(14) if code.isdigit() else None
                if tracking == "serial":
                    serial = f"SN{order_id}x{pid}x{unit}"
                    if gtin and rng.random() < 0.5:
                        scans.append(f"]C101{gtin}21{serial}")
                    else:
                        scans += [code, serial]
                elif tracking in ("lot", "lot_expiry"):
                    if gtin and rng.random() < 0.5:
                        scans.append(f"]C101{gtin}17{expiry}10L{pid}")
                    else:
                        scans += [code, f"L{pid}"]
                        if tracking == "lot_expiry":
                            scans.append(expiry)
                else:
                    scans.append(code)
        scans.append("CMD-COMPLETE")
    return scans


@dataclass(frozen=True)
class _Built:
    db_path: Path
    order_rows: int
    import_s: float
    catalog_s: float


def _build(root: Path, orders: int, products: int, seed: int, say: Callable[[str], None]) -> _Built:
    """Generate the CSV files and import them through the real importers, timed."""
    catalog_csv, orders_csv = root / "catalog.csv", root / "orders.csv"
    started = time.perf_counter()
    skus = demo.write_catalog(catalog_csv, products=products, seed=seed)
    order_rows = demo.write_orders(orders_csv, orders=orders, catalog=skus, seed=seed)
    generated_s = time.perf_counter() - started
    say(f"generated {products} products and {orders} orders in {generated_s:.1f} s")
    db_path = root / "bench.sqlite"
    for leftover in root.glob("bench.sqlite*"):
        leftover.unlink()
    db = open_database(db_path)
    try:
        t0 = time.perf_counter()
        import_catalog(db, catalog_csv, station="bench")
        catalog_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        import_orders(db, orders_csv, station="bench")
        import_s = time.perf_counter() - t0
    finally:
        db.close()
    say(f"imported catalog in {catalog_s:.1f} s, {order_rows} order rows in {import_s:.1f} s")
    return _Built(db_path, order_rows, import_s, catalog_s)


def _measure(
    settings: Settings, root: Path, db_path: Path, scans: int, seed: int
) -> tuple[list[float], list[float]]:
    """Pack orders until ``scans`` scans were timed; each paired with a bare commit."""
    bare = sqlite3.connect(root / "bare.sqlite", isolation_level=None)
    apply_pragmas(bare)
    bare.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)")
    # The same background checkpoints as the station's own database gets.
    bare_checkpoints = Checkpointer(root / "bare.sqlite").start()
    db = open_database(db_path)
    service = PackService(db, Interpreter(settings.barcodes), settings.packing, "bench")
    rng = random.Random(seed)
    cur = sqlite3.connect(db_path).cursor()
    ids = [r[0] for r in cur.execute("SELECT id FROM orders WHERE status = 'open'")]
    rng.shuffle(ids)
    verdict_ms: list[float] = []
    bare_ms: list[float] = []
    try:
        position = 0
        while len(verdict_ms) < scans and position < len(ids):
            batch = ids[position : position + 50]
            position += len(batch)
            for code in _stream(cur, batch, rng):
                t = time.perf_counter()
                bare.execute("BEGIN IMMEDIATE")
                bare.execute("INSERT INTO t (v) VALUES (?)", (code,))
                bare.execute("COMMIT")
                bare_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                service.scan(code)
                verdict_ms.append((time.perf_counter() - t) * 1000)
    finally:
        service.close()
        cur.connection.close()
        bare_checkpoints.stop()
        bare.close()
        db.close()
    return verdict_ms, bare_ms


def run_scan_benchmark(
    settings: Settings,
    *,
    orders: int,
    products: int,
    scans: int,
    seed: int,
    workdir: Path | None = None,
    log: bool = True,
) -> ScanBenchmarkResult:
    """Build the database, pack until ``scans`` scans were timed, return the figures."""
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-"))
    root.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        if log:
            print(text, flush=True)

    built = _build(root, orders, products, seed, say)
    verdict_ms, bare_ms = _measure(settings, root, built.db_path, scans, seed)
    v50, v99 = percentile(verdict_ms, 0.5), percentile(verdict_ms, 0.99)
    b50, b99 = percentile(bare_ms, 0.5), percentile(bare_ms, 0.99)
    return ScanBenchmarkResult(
        orders=orders,
        products=products,
        scans=len(verdict_ms),
        verdict_p50_ms=v50,
        verdict_p99_ms=v99,
        bare_commit_p50_ms=b50,
        bare_commit_p99_ms=b99,
        ratio_p50=v50 / b50,
        ratio_p99=v99 / b99,
        import_rows=built.order_rows,
        import_seconds=built.import_s,
        import_rows_per_s=built.order_rows / built.import_s,
        import_orders_per_s=orders / built.import_s,
        catalog_seconds=built.catalog_s,
    )
