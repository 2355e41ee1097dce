"""``station bench sync``: a backlog drained, and many stations pushing at once.

Against a hub in its own process on loopback (``station hub serve``; SQLite, or PostgreSQL
with ``--pg``) that manages every order the stations pack; each station is enrolled and has
pulled once before any timing.

(a) One station with a backlog of N events (packs of 50: start, scans, a photo, completion)
    and P photos of 100 kB pushes until its outbox is empty: ``drain_s`` and events/s. The
    pull that follows in a sync cycle (the hub's answer to those packs: N/50 orders now
    packed) is timed apart, ``drain_pull_s``. The same kind of events pushed one request each
    (batch 1) is timed on a sample of 500 in the same run and scaled:
    ``batch_vs_single_ratio`` is the drain's events/s over one-request-each events/s. The
    drain also uploads the photos, so the ratio errs low.
(b) S stations with N/S events each push at once, in batches of 100: the hub's events/s over
    the whole, p50/p99 of each push request, errors (failed rounds and rejected events). Only
    the push: the stations share this process, and twenty pulls applying each other's packed
    orders would measure this process's interpreter lock, not the hub.

``lost`` and ``duplicated`` are counted by comparing every station's outbox with what the hub
holds for it (``station.tools.sync_audit``), never assumed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.config import Settings
from station.db import open_database
from station.tools.benchmarks.scan import percentile
from station.tools.loadgen import LoadStation
from station.tools.loopback import LoopbackHub
from station.tools.sync_audit import audit_station

SINGLE_SAMPLE = 500
CONCURRENT_BATCH = 100


@dataclass(frozen=True)
class SyncBenchmarkResult:
    """The figures (JSON keys are stable)."""

    backend: str
    events: int
    photos: int
    drain_s: float
    drain_events_per_s: float
    drain_pull_s: float
    single_sample: int
    single_events_per_s: float
    batch_vs_single_ratio: float
    stations: int
    concurrent_events: int
    concurrent_s: float
    concurrent_events_per_s: float
    concurrent_pushes: int
    concurrent_p50_ms: float
    concurrent_p99_ms: float
    errors: int
    lost: int
    duplicated: int
    out_of_order: int

    def to_json(self) -> dict[str, object]:
        """The figures as one JSON object."""
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in vars(self).items()}

    def report(self) -> str:
        """The figures for a person."""
        return (
            f"hub on {self.backend}, loopback\n"
            f"(a) drain: {self.events:,} events + {self.photos} photos in {self.drain_s:.2f} s"
            f" = {self.drain_events_per_s:,.0f} events/s; then the pull {self.drain_pull_s:.2f} s\n"
            f"    one request per event: {self.single_events_per_s:,.0f} events/s (timed on"
            f" {self.single_sample} events, scaled); batches are {self.batch_vs_single_ratio:.1f}x"
            f" faster\n"
            f"(b) {self.stations} stations at once: {self.concurrent_events:,} events in"
            f" {self.concurrent_s:.2f} s = {self.concurrent_events_per_s:,.0f} events/s;"
            f" push p50 {self.concurrent_p50_ms:.0f} ms, p99 {self.concurrent_p99_ms:.0f} ms"
            f" over {self.concurrent_pushes} pushes\n"
            f"errors {self.errors}, lost {self.lost}, duplicated {self.duplicated},"
            f" out of order {self.out_of_order}"
        )


def run_sync_benchmark(
    root: Path, *, stations: int, events: int, photos: int, pg: str | None, log: bool = True
) -> SyncBenchmarkResult:
    """Set up the hub and the stations in ``root``, run both phases, audit, return figures."""

    def say(text: str) -> None:
        if log:
            print(text, flush=True)

    template = root / "template.sqlite"
    open_database(template).close()  # migrated once, copied for every station
    per_station = max(1, events // stations)
    with LoopbackHub(root, pg) as hub:

        def station(name: str, n: int, with_photos: int = 0) -> LoadStation:
            folder = root / "stations" / name
            code = hub.code(name)
            return LoadStation.create(folder, template, name, hub.url, code, n, with_photos)

        drain = station("drain-1", events, photos)
        single = station("single-1", min(SINGLE_SAMPLE, events))
        fleet = [station(f"bench-{i + 1:02d}", per_station) for i in range(stations)]
        everyone = (drain, single, *fleet)
        hub.import_orders([number for s in everyone for number in s.orders])
        for s in everyone:
            s.pull()  # the catalog and the orders, before anything is timed
        say(f"hub on {hub.backend} at {hub.url}; {len(everyone)} stations enrolled and pulled")

        drain_s = drain.drain(pull=False)
        say(f"(a) drained {events:,} events and {photos} photos in {drain_s:.2f} s")
        began = time.perf_counter()
        drain.pull()
        drain_pull_s = time.perf_counter() - began
        single_s = single.drain(batch=1, pull=False)
        say(f"    {single.events} events one request each in {single_s:.2f} s")

        for s in fleet:
            s.push_ms.clear()
        start = threading.Barrier(len(fleet) + 1)
        push_only = {"pull": False}
        threads = [
            threading.Thread(target=s.drain, args=(CONCURRENT_BATCH, start), kwargs=push_only)
            for s in fleet
        ]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        concurrent_s = time.perf_counter() - began
        say(f"(b) {stations} stations: {per_station * stations:,} events in {concurrent_s:.2f} s")
        audits = [audit_station(hub.db, s.name, s.db) for s in everyone]
    for s in everyone:
        s.db.close()
    latencies = [ms for s in fleet for ms in s.push_ms]
    drain_rate = events / drain_s
    single_rate = single.events / single_s
    return SyncBenchmarkResult(
        backend=hub.backend,
        events=events,
        photos=photos,
        drain_s=drain_s,
        drain_events_per_s=drain_rate,
        drain_pull_s=drain_pull_s,
        single_sample=single.events,
        single_events_per_s=single_rate,
        batch_vs_single_ratio=drain_rate / single_rate,
        stations=stations,
        concurrent_events=per_station * stations,
        concurrent_s=concurrent_s,
        concurrent_events_per_s=per_station * stations / concurrent_s,
        concurrent_pushes=len(latencies),
        concurrent_p50_ms=percentile(latencies, 0.5) if latencies else 0.0,
        concurrent_p99_ms=percentile(latencies, 0.99) if latencies else 0.0,
        errors=sum(s.errors for s in everyone),
        lost=sum(a.lost for a in audits),
        duplicated=sum(a.duplicated for a in audits),
        out_of_order=sum(a.out_of_order for a in audits),
    )


def register_sync(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench sync`` to the ``station bench`` parser."""
    p = kinds.add_parser("sync", help="backlog drain and concurrent stations against a hub")
    p.add_argument("--stations", type=int, default=20, help="stations pushing at once (20)")
    p.add_argument("--events", type=int, default=10_000, help="backlog and total events (10,000)")
    p.add_argument("--photos", type=int, default=200, help="photos in the backlog (200)")
    p.add_argument(
        "--pg",
        nargs="?",
        const="cluster",
        metavar="SERVER_URL",
        help="hub on PostgreSQL: a throwaway cluster, or a new database on SERVER_URL",
    )
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace, _settings: Settings) -> int:
    """Run the sync benchmark and print its figures."""
    if min(args.stations, args.events) < 1 or args.photos < 0:
        print("station bench sync: --stations and --events must be at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="station-bench-sync-") as scratch:
        root = args.dir or Path(scratch)
        root.mkdir(parents=True, exist_ok=True)
        result = run_sync_benchmark(
            root, stations=args.stations, events=args.events, photos=args.photos, pg=args.pg
        )
    print(result.report())
    if args.json:
        print(json.dumps(result.to_json()))
    return 0
