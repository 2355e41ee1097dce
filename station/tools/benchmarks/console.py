"""``station bench console``: the web console's evidence search and page, server side.

A hub database (SQLite) is filled with N packed orders straight through ``executemany``:
an order record each (with customer and tracking number) and the seven events a bench
pushes for it (pack.started, three scans, a weight, a photo, pack.completed), the shape
``station.hub.rules`` stores. Then random orders are searched by tracking number and their
record page rendered, each timed on its own, in this process (the server's time; no HTTP).
The baseline, measured in the same run, is reading the same order's record by its key,
the least any page about that order must do. The issue asks for 1,000,000 orders; ``--orders``
sets it (the default is small enough for a development run).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from station.config import Settings
from station.hub.console.evidence import order_evidence, search
from station.hub.console.web import TEMPLATES
from station.hub.db import open_hub_database
from station.hub.models import HubEvent, HubRecord, HubStation
from station.tools.benchmarks.scan import percentile

BATCH = 5_000


@dataclass(frozen=True)
class ConsoleBenchmarkResult:
    """Figures printed by the benchmark (JSON keys are stable)."""

    orders: int
    events: int
    samples: int
    server_p50_ms: float
    server_p99_ms: float
    baseline_p50_ms: float
    baseline_p99_ms: float
    ratio_p50: float
    build_seconds: float

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


def _order(n: int) -> tuple[str, dict[str, Any]]:
    number = f"SO-{n:07d}"
    return number, {
        "number": number,
        "status": "packed",
        "tracking_number": f"TRK{n:09d}",
        "carrier": "dhl",
        "ship_to": {"customer_name": f"Customer {n}", "email": f"c{n}@example.org"},
        "lines": [{"line_no": 1, "sku": "MUG", "quantity": 2}, {"line_no": 2, "sku": "TEE"}],
        "packed_by": "bench-1",
    }


def _events(station_id: int, seq: int, number: str, now: datetime) -> list[dict[str, Any]]:
    base = {"order": number, "station": "bench-1", "user": "alice", "at": now.isoformat()}
    kinds: list[tuple[str, dict[str, Any]]] = [
        ("pack.started", {}),
        *[
            ("scan.recorded", {"raw": "4000000000013", "verdict": "accepted", "package": 1})
            for _ in range(3)
        ],
        ("weight.recorded", {"weight_g": 880, "expected_g": 880, "decision": "pass"}),
        ("photo.taken", {"sha256": "0" * 64, "kind": "packed", "package": 1}),
        ("pack.completed", {"packages": 1}),
    ]
    return [
        {
            "station_id": station_id,
            "station_seq": seq + i,
            "event_id": str(uuid.uuid4()),
            "type": kind,
            "schema_version": 1,
            "payload": {**base, **extra},
            "blob_hashes": [],
            "device_time": now.isoformat(),
            "received_at": now,
            "status": "acked",
        }
        for i, (kind, extra) in enumerate(kinds)
    ]


def run_console_benchmark(
    *, orders: int, samples: int, seed: int, workdir: Path | None = None, log: bool = True
) -> ConsoleBenchmarkResult:
    """Build the hub database, time ``samples`` searches and pages, return the figures."""
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-console-"))
    root.mkdir(parents=True, exist_ok=True)
    for leftover in root.glob("console-bench.sqlite*"):
        leftover.unlink()
    hub = open_hub_database(f"sqlite:///{root / 'console-bench.sqlite'}")
    try:
        started = time.perf_counter()
        events = _build(hub, orders)
        build_s = time.perf_counter() - started
        if log:
            print(f"wrote {orders:,} packed orders ({events:,} events) in {build_s:.1f} s")
        server, baseline = _measure(hub, orders, samples, seed)
    finally:
        hub.close()
    return ConsoleBenchmarkResult(
        orders=orders,
        events=events,
        samples=samples,
        server_p50_ms=percentile(server, 0.5),
        server_p99_ms=percentile(server, 0.99),
        baseline_p50_ms=percentile(baseline, 0.5),
        baseline_p99_ms=percentile(baseline, 0.99),
        ratio_p50=percentile(server, 0.5) / max(percentile(baseline, 0.5), 1e-9),
        build_seconds=build_s,
    )


def _build(hub: Any, orders: int) -> int:
    now = datetime.now(UTC)
    with hub.write() as s:
        station = HubStation(name="bench-1", last_seq=0)
        s.add(station)
        s.flush()
        station_id = station.id
    seq, events = 1, 0
    for start in range(0, orders, BATCH):
        records, rows = [], []
        for n in range(start, min(orders, start + BATCH)):
            number, data = _order(n)
            records.append(
                {
                    "entity": "order",
                    "key": number,
                    "change_seq": n + 1,
                    "data": data,
                    "updated_at": now,
                    "deleted": False,
                }
            )
            batch = _events(station_id, seq, number, now)
            seq += len(batch)
            rows.extend(batch)
        with hub.write() as s:
            s.execute(insert(HubRecord), records)
            s.execute(insert(HubEvent), rows)
        events += len(rows)
    return events


def _measure(hub: Any, orders: int, samples: int, seed: int) -> tuple[list[float], list[float]]:
    rng = random.Random(seed)
    template = TEMPLATES.get_template("order.html")
    server: list[float] = []
    baseline: list[float] = []
    for _ in range(samples):
        n = rng.randrange(orders)
        number, data = _order(n)
        t0 = time.perf_counter()
        with hub.read() as s:
            s.scalar(
                select(HubRecord.data).where(HubRecord.entity == "order", HubRecord.key == number)
            )
        baseline.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        with hub.read() as s:
            found = search(s, data["tracking_number"])
            record = order_evidence(s, found[0].order)
        template.render(record=record, user=None, request=None)
        server.append((time.perf_counter() - t0) * 1000)
    return server, baseline


def register_console(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench console`` to the ``station bench`` parser."""
    p = kinds.add_parser("console", help="the web console: evidence search and page render")
    p.add_argument("--orders", type=int, default=20_000, help="packed orders (20,000)")
    p.add_argument("--samples", type=int, default=200, help="timed searches (200)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_console)


def run_console(args: argparse.Namespace, _settings: Settings) -> int:
    """Run the console benchmark and print its figures."""
    if min(args.orders, args.samples) < 1:
        print("station bench console: --orders and --samples must be at least 1", file=sys.stderr)
        return 2
    r = run_console_benchmark(
        orders=args.orders, samples=args.samples, seed=args.seed, workdir=args.dir
    )
    print(
        f"search + record + page: median {r.server_p50_ms:.2f} ms, p99 {r.server_p99_ms:.2f} ms;"
        f" baseline (the order's record by key): median {r.baseline_p50_ms:.3f} ms,"
        f" p99 {r.baseline_p99_ms:.3f} ms; ratio {r.ratio_p50:.1f}x"
    )
    if args.json:
        print(json.dumps(r.to_json()))
    return 0
