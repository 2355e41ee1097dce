"""How long the dashboard takes on a big station database, with and without migration 0005.

    python -m station.tools.benchmarks.dashboard [--days-of-history 365]
        [--orders-per-day 1000] [--json]

Builds a migrated database holding ``days_of_history`` days of a busy bench (orders of one to
three lines, each completed session with its package, item scans with a wrong one now and
then, a weighing, an exception and a returned unit here and there), written with bulk SQL
rather than the engine so that a year takes seconds. Then times ``load_dashboard`` for today
and for the last 7 days (median and worst of ``--runs``), and again with the time indexes of
migration 0005 dropped, which is what the station would do without them.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.dashboard import load_dashboard
from station.db import Database, open_database
from station.outbox import sql_time

TIME_INDEXES = (
    "ix_pack_sessions_ended_at",
    "ix_scans_created_at",
    "ix_exceptions_created_at",
    "ix_weight_readings_created_at",
    "ix_packages_closed_at",
    "ix_return_items_created_at",
)


def fill(path: Path, days: int, per_day: int, now: datetime) -> dict[str, int]:
    """Write the history with set-based SQL on a plain connection; returns row counts."""
    db = open_database(path)
    db.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA synchronous=OFF")
    n = days * per_day
    start = now - timedelta(days=days)
    # Order k completes at start + k * step, taking 20..100 s; scans 4 per order.
    step = days * 86400.0 / n
    t0 = sql_time(start)

    def at(expr: str) -> str:
        return f"strftime('%Y-%m-%d %H:%M:%f000', '{t0}', '+' || ({expr}) || ' seconds')"

    with con:
        con.execute(
            "INSERT INTO users (id, name, role, active) VALUES"
            " (1, 'alice', 'packer', 1), (2, 'bob', 'packer', 1), (3, 'ines', 'inspector', 1)"
        )
        con.execute(
            "INSERT INTO products (id, sku, name, tracking, is_kit, updated_at,"
            " length_mm, width_mm, height_mm) VALUES"
            f" (1, 'A', 'A', 'none', 0, '{t0}', 100, 80, 60),"
            f" (2, 'B', 'B', 'none', 0, '{t0}', 200, 100, 50)"
        )
        con.execute(
            "INSERT INTO box_types (id, code, name, inner_length_mm, inner_width_mm,"
            " inner_height_mm, tare_g, max_weight_g) VALUES (1, 'BOX-M', 'M', 350, 250, 150,"
            " 220, 10000)"
        )
        seq = f"WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n})"
        con.execute(
            f"{seq} INSERT INTO orders (id, number, channel, priority, status, ship_method,"
            f" currency, created_at, updated_at) SELECT i, 'SO-' || i, 'web', 0, 'packed',"
            f" 'standard', 'EUR', '{t0}', '{t0}' FROM k"
        )
        con.execute(
            f"{seq} INSERT INTO order_lines (order_id, line_no, product_id, quantity)"
            " SELECT i, 1, 1, 1 + (i % 5 = 0) FROM k"
        )
        con.execute(
            f"{seq} INSERT INTO order_lines (order_id, line_no, product_id, quantity)"
            " SELECT i, 2, 2, 1 FROM k WHERE i % 3 = 0"
        )
        con.execute(
            f"{seq} INSERT INTO pack_sessions (id, order_id, user_id, station, status,"
            f" started_at, ended_at) SELECT i, i, 1 + i % 2, 'bench-' || (1 + i % 2),"
            f" 'completed', {at(f'i * {step} - 20 - i % 80')}, {at(f'i * {step}')} FROM k"
        )
        con.execute(
            f"{seq} INSERT INTO packages (id, session_id, order_id, seq_no, status,"
            " box_type_id, weight_status, label_confirmed, created_at, closed_at)"
            f" SELECT i, i, i, 1, 'closed', CASE WHEN i % 7 THEN 1 END, 'pass', 0,"
            f" {at(f'i * {step} - 60')}, {at(f'i * {step} - 5')} FROM k"
        )
        for s in range(4):
            verdict = (
                "CASE WHEN i % 29 = 0 THEN 'wrong_item' ELSE 'accepted' END"
                if s
                else ("'order_opened'")
            )
            con.execute(
                f"{seq} INSERT INTO scans (session_id, package_id, user_id, station, raw, kind,"
                " interpretation, verdict, product_id, quantity, undone, created_at)"
                f" SELECT i, i, 1 + i % 2, 'bench-' || (1 + i % 2), 'RAW', 'product', '{{}}',"
                f" {verdict}, 1 + i % 2, 1, 0, {at(f'i * {step} - 50 + {s * 10}')} FROM k"
            )
        con.execute(
            f"{seq} INSERT INTO weight_readings (package_id, user_id, weight_g, scale_state,"
            " raw, decision, created_at) SELECT i, 1 + i % 2, 500, 'stable', '',"
            f" CASE WHEN i % 23 = 0 THEN 'fail' ELSE 'pass' END, {at(f'i * {step} - 8')} FROM k"
        )
        con.execute(
            f"{seq} INSERT INTO exceptions (session_id, order_id, kind, reason_code, quantity,"
            f" requested_by, approved_by, created_at) SELECT i, i, 'short_ship', 'oos', 1,"
            f" 1 + i % 2, 3, {at(f'i * {step} - 10')} FROM k WHERE i % 41 = 0"
        )
        con.execute(
            f"{seq} INSERT INTO rmas (id, number, order_id, source, status, created_at,"
            f" updated_at) SELECT i, 'RMA-' || i, i, 'hub', 'received', '{t0}', '{t0}'"
            " FROM k WHERE i % 19 = 0"
        )
        con.execute(
            f"{seq} INSERT INTO inspections (id, rma_id, order_id, user_id, station, status,"
            f" started_at) SELECT i, i, i, 3, 'returns-1', 'completed', '{t0}'"
            " FROM k WHERE i % 19 = 0"
        )
        con.execute(
            f"{seq} INSERT INTO return_items (inspection_id, rma_id, product_id, verdict,"
            " fraud, grade, disposition, status, created_at) SELECT i, i, 1, 'expected', 0,"
            " char(65 + i % 4), 'restock', 'disposed',"
            f" {at(f'i * {step} + 3600')} FROM k WHERE i % 19 = 0"
        )
    counts = {
        t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
        for t in ("pack_sessions", "scans", "weight_readings", "return_items")
    }
    con.execute("ANALYZE")
    con.close()
    return counts


def timed(db: Database, days: int, runs: int, now: datetime) -> dict[str, float]:
    """Median and worst milliseconds of ``runs`` dashboard loads."""
    spent = []
    for _ in range(runs):
        began = time.perf_counter()
        load_dashboard(db, days, now=now, tz=UTC)
        spent.append((time.perf_counter() - began) * 1000)
    return {"p50_ms": round(statistics.median(spent), 2), "max_ms": round(max(spent), 2)}


def run(history: int, per_day: int, runs: int) -> dict[str, object]:
    """Build the history, time the loads with and without the time indexes."""
    now = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory(prefix="dashboard-bench-") as tmp:
        path = Path(tmp) / "big.sqlite"
        began = time.perf_counter()
        counts = fill(path, history, per_day, now)
        built_s = round(time.perf_counter() - began, 1)
        db = open_database(path)
        try:
            result: dict[str, object] = {"rows": counts, "build_s": built_s}
            result["today"] = timed(db, 1, runs, now)
            result["last_7_days"] = timed(db, 7, runs, now)
            with db.engine.begin() as conn:
                for index in TIME_INDEXES:
                    conn.exec_driver_sql(f"DROP INDEX {index}")
            result["today_without_0005"] = timed(db, 1, max(1, runs // 5), now)
            result["last_7_days_without_0005"] = timed(db, 7, max(1, runs // 5), now)
        finally:
            db.close()
    return result


def main(argv: list[str] | None = None) -> int:
    """Print the figures (one JSON object with ``--json``)."""
    p = argparse.ArgumentParser(prog="python -m station.tools.benchmarks.dashboard")
    p.add_argument("--days-of-history", type=int, default=365)
    p.add_argument("--orders-per-day", type=int, default=1000)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = run(args.days_of_history, args.orders_per_day, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:26} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
