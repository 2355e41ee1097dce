"""``station bench console``: the web console's evidence search and pages, server side.

A hub database (SQLite, and PostgreSQL with ``--pg``) is filled with N packed orders straight
through ``executemany``: an order record each (with customer and tracking number) and the
seven events a bench pushes for it (pack.started, three scans, a weight, a photo,
pack.completed), the shape ``station.hub.rules`` stores. Then, per database:

- ``server``: random orders searched by tracking number, their record assembled and the
  page rendered, each timed on its own in this process (no HTTP);
- ``page load``: the whole request of a signed-in console user for the evidence page and for
  the network page, through the hub's real app (session lookup, audit row, render), called
  in-process by httpx (no socket), so the figure is the server's and not a browser's;
- ``browser`` (with ``--browser``): the same two pages loaded in a real browser (Debian's
  Chromium driven by playwright-core, ``tests/console/pageload.mjs``) from the hub served on
  127.0.0.1, each load the page's own Navigation Timing (request, answer, parse, stylesheet,
  images, to the end of its load event), for up to ``BROWSER_SAMPLES`` orders;
- the baseline, in the same run: reading the same order's record by its key, the least any
  page about that order must do.

``server_p50_ms``/``server_p99_ms`` and ``page_load_ms`` (median)/``page_load_p99_ms`` are
the worse of the databases run; ``page_load_ms`` is the browser's load with ``--browser``
(``page_load_measured_in``: ``browser``), else the server's whole request (``server``), which
``page_request_ms``/``page_request_p99_ms`` always give. The issue asks for 1,000,000
orders; ``--orders`` sets it (the default is small enough for a development run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from station.config import Settings
from station.hub.console.evidence import order_evidence, search
from station.hub.console.jsontext import JsonText
from station.hub.console.web import TEMPLATES
from station.hub.db import open_hub_database
from station.hub.models import HubEvent, HubRecord, HubStation
from station.hub.order_counts import counts, record_writes
from station.tools.benchmarks.scan import percentile
from station.tools.benchmarks.serving import serve_app
from station.tools.pgcluster import ClusterUnavailable, start_cluster

BATCH = 5_000
# Counting every order takes a quarter of a second at 100,000: a few samples show it.
RECOUNT_SAMPLES = 20


PASSWORD = "bench console password"
# The browser's script and its packages (playwright-core): a source checkout's, installed by
# `npm ci` there (./dev test does it). Chromium is Debian's.
NODE_DIR = Path(__file__).resolve().parents[3] / "tests" / "console"
BROWSER_SAMPLES = 100  # a load takes tens of milliseconds of a browser: enough for a p99


def browser_missing() -> str | None:
    """Why the page loads cannot be measured in a browser here, or None."""
    chromium = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    if shutil.which("node") is None:
        return "node is not installed"
    if not chromium.exists():
        return f"no Chromium at {chromium} (Debian's chromium package; CHROMIUM names another)"
    if not (NODE_DIR / "node_modules" / "playwright-core").exists():
        return f"playwright-core is not installed in {NODE_DIR} (npm ci there; ./dev test does it)"
    return None


@dataclass(frozen=True)
class DatabaseFigures:
    """The figures of one database (milliseconds)."""

    database: str
    build_seconds: float
    server_p50_ms: float
    server_p99_ms: float
    baseline_p50_ms: float
    baseline_p99_ms: float
    evidence_page_p50_ms: float
    evidence_page_p99_ms: float
    network_page_p50_ms: float
    network_page_p99_ms: float
    count_p50_ms: float
    count_p99_ms: float
    recount_p50_ms: float
    recount_p99_ms: float
    # In a browser (None: not measured).
    browser_evidence_p50_ms: float | None = None
    browser_evidence_p99_ms: float | None = None
    browser_network_p50_ms: float | None = None
    browser_network_p99_ms: float | None = None

    def line(self) -> str:
        """One line for a person."""
        return self._server_line() + self._browser_line()

    def _browser_line(self) -> str:
        if self.browser_evidence_p50_ms is None or self.browser_network_p50_ms is None:
            return ""
        return (
            f"; in the browser: evidence page median {self.browser_evidence_p50_ms:.1f} / p99"
            f" {self.browser_evidence_p99_ms:.1f} ms, network page median"
            f" {self.browser_network_p50_ms:.1f} / p99 {self.browser_network_p99_ms:.1f} ms"
        )

    def _server_line(self) -> str:
        return (
            f"{self.database}: search + record + page: median {self.server_p50_ms:.2f} ms,"
            f" p99 {self.server_p99_ms:.2f} ms; baseline (the order's record by key): median"
            f" {self.baseline_p50_ms:.3f} ms, p99 {self.baseline_p99_ms:.3f} ms; ratio"
            f" {self.server_p50_ms / max(self.baseline_p50_ms, 1e-9):.1f}x; page load: evidence"
            f" median {self.evidence_page_p50_ms:.2f} / p99 {self.evidence_page_p99_ms:.2f} ms,"
            f" network median {self.network_page_p50_ms:.2f} / p99"
            f" {self.network_page_p99_ms:.2f} ms; orders per site and state: kept median"
            f" {self.count_p50_ms:.3f} / p99 {self.count_p99_ms:.3f} ms, counted from every"
            f" order (before) median {self.recount_p50_ms:.2f} / p99 {self.recount_p99_ms:.2f} ms,"
            f" ratio {self.recount_p50_ms / max(self.count_p50_ms, 1e-9):.0f}x"
        )


@dataclass(frozen=True)
class ConsoleBenchmarkResult:
    """Figures printed by the benchmark (JSON keys are stable); the worse database's."""

    orders: int
    events: int
    samples: int
    databases: list[DatabaseFigures] = field(default_factory=list)

    def _worst(self, key: str) -> float:
        return max(float(getattr(d, key)) for d in self.databases)

    def _in_browser(self) -> bool:
        return all(d.browser_evidence_p50_ms is not None for d in self.databases)

    def _page_load(self) -> tuple[str, float, float]:
        """Where the page load was measured, its median and p99 (the worse page and database)."""
        request = self._page_request()
        if not self._in_browser():
            return "server", *request
        return (
            "browser",
            max(self._worst("browser_evidence_p50_ms"), self._worst("browser_network_p50_ms")),
            max(self._worst("browser_evidence_p99_ms"), self._worst("browser_network_p99_ms")),
        )

    def _page_request(self) -> tuple[float, float]:
        return (
            max(self._worst("evidence_page_p50_ms"), self._worst("network_page_p50_ms")),
            max(self._worst("evidence_page_p99_ms"), self._worst("network_page_p99_ms")),
        )

    def to_json(self) -> dict[str, object]:
        """The figures as a JSON object."""
        first = self.databases[0]
        worst_server = max(self.databases, key=lambda d: d.server_p50_ms)
        measured_in, load_p50, load_p99 = self._page_load()
        request_p50, request_p99 = self._page_request()
        return {
            "orders": self.orders,
            "events": self.events,
            "samples": self.samples,
            "databases": [d.database for d in self.databases],
            "server_p50_ms": round(self._worst("server_p50_ms"), 4),
            "server_p99_ms": round(self._worst("server_p99_ms"), 4),
            "baseline_p50_ms": round(worst_server.baseline_p50_ms, 4),
            "baseline_p99_ms": round(worst_server.baseline_p99_ms, 4),
            "ratio_p50": round(
                worst_server.server_p50_ms / max(worst_server.baseline_p50_ms, 1e-9), 4
            ),
            "page_load_measured_in": measured_in,
            "page_load_ms": round(load_p50, 4),
            "page_load_p99_ms": round(load_p99, 4),
            "page_request_ms": round(request_p50, 4),
            "page_request_p99_ms": round(request_p99, 4),
            "build_seconds": round(first.build_seconds, 2),
            "per_database": {
                d.database: {k: (round(v, 4) if isinstance(v, float) else v)
                             for k, v in vars(d).items() if k != "database"}
                for d in self.databases
            },
        }  # fmt: skip


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


@contextmanager
def _database(kind: str, root: Path, pg: str | None) -> Iterator[str]:
    """The URL of a new, empty hub database of ``kind``, removed afterwards."""
    if kind == "sqlite":
        for leftover in root.glob("console-bench.sqlite*"):
            leftover.unlink()
        yield f"sqlite:///{root / 'console-bench.sqlite'}"
        return
    cluster = start_cluster(durable=False) if pg in (None, "cluster") else None
    server = cluster.url() if cluster is not None else str(pg)
    name = f"console_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        if cluster is not None:
            cluster.stop()
        else:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run_console_benchmark(
    *,
    orders: int,
    samples: int,
    seed: int,
    workdir: Path | None = None,
    pg: str | None = None,
    databases: tuple[str, ...] = ("sqlite",),
    log: bool = True,
    browser: bool = False,
) -> ConsoleBenchmarkResult:
    """Build each database, time ``samples`` searches and page loads, return the figures.

    ``pg``: None or ``"cluster"`` for a throwaway PostgreSQL cluster, else a server URL on
    which a database is created (and dropped). ``browser``: also load the pages in Chromium
    (:func:`browser_missing` says first whether it can).
    """
    root = workdir or Path(tempfile.mkdtemp(prefix="station-bench-console-"))
    root.mkdir(parents=True, exist_ok=True)
    figures: list[DatabaseFigures] = []
    events = 0
    for kind in databases:
        with _database(kind, root, pg) as url:
            hub = open_hub_database(url)
            try:
                started = time.perf_counter()
                events = _build(hub, orders)
                build_s = time.perf_counter() - started
                if log:
                    print(
                        f"{kind}: wrote {orders:,} packed orders ({events:,} events)"
                        f" in {build_s:.1f} s"
                    )
                server, baseline = _measure(hub, orders, samples, seed)
                kept, counted = _counts(hub, samples)
            finally:
                hub.close()
            evidence, network, in_browser = _page_loads(url, root, orders, samples, seed, browser)
        shown = {}
        if in_browser is not None:
            shown = {
                "browser_evidence_p50_ms": percentile(in_browser[0], 0.5),
                "browser_evidence_p99_ms": percentile(in_browser[0], 0.99),
                "browser_network_p50_ms": percentile(in_browser[1], 0.5),
                "browser_network_p99_ms": percentile(in_browser[1], 0.99),
            }
        figures.append(
            DatabaseFigures(
                database=kind,
                build_seconds=build_s,
                server_p50_ms=percentile(server, 0.5),
                server_p99_ms=percentile(server, 0.99),
                baseline_p50_ms=percentile(baseline, 0.5),
                baseline_p99_ms=percentile(baseline, 0.99),
                evidence_page_p50_ms=percentile(evidence, 0.5),
                evidence_page_p99_ms=percentile(evidence, 0.99),
                network_page_p50_ms=percentile(network, 0.5),
                network_page_p99_ms=percentile(network, 0.99),
                count_p50_ms=percentile(kept, 0.5),
                count_p99_ms=percentile(kept, 0.99),
                recount_p50_ms=percentile(counted, 0.5),
                recount_p99_ms=percentile(counted, 0.99),
                **shown,
            )
        )
    return ConsoleBenchmarkResult(orders=orders, events=events, samples=samples, databases=figures)


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
        written: list[tuple[str, dict[str, Any] | None, bool]] = []
        for n in range(start, min(orders, start + BATCH)):
            number, data = _order(n)
            written.append((number, data, False))
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
            # The orders are new, so nothing was counted for them before (what feed._write does).
            record_writes(s, {}, written)
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


def _counts(hub: Any, samples: int) -> tuple[list[float], list[float]]:
    """Orders per site and state: as kept (what the network page reads) and, as the page
    did before the counts were kept, by reading every order's JSON (fewer samples: slow)."""
    kept: list[float] = []
    counted: list[float] = []
    for _ in range(samples):
        t0 = time.perf_counter()
        with hub.read() as s:
            counts(s)
        kept.append((time.perf_counter() - t0) * 1000)
    for _ in range(min(samples, RECOUNT_SAMPLES)):
        t0 = time.perf_counter()
        with hub.read() as s:
            site, status = JsonText(HubRecord.data, "site"), JsonText(HubRecord.data, "status")
            s.execute(
                select(site, status, func.count())
                .where(HubRecord.entity == "order", HubRecord.deleted.is_(False))
                .group_by(site, status)
            ).all()
        counted.append((time.perf_counter() - t0) * 1000)
    return kept, counted


Times = list[float]


def _page_loads(
    url: str, root: Path, orders: int, samples: int, seed: int, browser: bool
) -> tuple[Times, Times, tuple[Times, Times] | None]:
    """Whole requests of a signed-in supervisor: evidence pages and the network page, in this
    process; then, with ``browser``, the same pages loaded in Chromium."""
    # The hub's app only here: the benchmark's other parts do not need it.
    from station.hub.app import create_app
    from station.hub.console.accounts import add_user

    app = create_app(url, blob_dir=root / "blobs", migrate=False)
    try:
        add_user(app.state.hub.db, "bench", "supervisor", PASSWORD)
        evidence, network = asyncio.run(_timed_pages(app, orders, samples, seed))
        loads = (
            _browser_loads(app, orders, min(samples, BROWSER_SAMPLES), seed) if browser else None
        )
        return evidence, network, loads
    finally:
        app.state.shipping.close()
        app.state.hub.db.close()


async def _timed_pages(
    app: Any, orders: int, samples: int, seed: int
) -> tuple[list[float], list[float]]:
    rng = random.Random(seed + 1)
    evidence: list[float] = []
    network: list[float] = []
    # httpx calls the app in this process (no socket): the figure is the server's work.
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://console.bench") as client:
        form = await client.get("/console/login")
        token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        signed = await client.post(
            "/console/login", data={"csrf": token, "name": "bench", "password": PASSWORD}
        )
        if signed.status_code != 303:
            raise RuntimeError(f"the bench user could not sign in: {signed.status_code}")
        for _ in range(samples):
            number, _data = _order(rng.randrange(orders))
            for path, times in (
                (f"/console/orders/{number}", evidence),
                ("/console/network", network),
            ):
                t0 = time.perf_counter()
                answer = await client.get(path)
                times.append((time.perf_counter() - t0) * 1000)
                if answer.status_code != 200:
                    raise RuntimeError(f"{path}: {answer.status_code}")
    return evidence, network


def _browser_loads(app: Any, orders: int, samples: int, seed: int) -> tuple[Times, Times]:
    """The evidence and network pages loaded in Chromium from the hub served on loopback."""
    rng = random.Random(seed + 2)
    numbers = [_order(rng.randrange(orders))[0] for _ in range(samples)]
    with serve_app(app, "the hub") as url:
        env = {
            **os.environ,
            "CONSOLE_URL": url,
            "CONSOLE_NAME": "bench",
            "CONSOLE_PASSWORD": PASSWORD,
            "CONSOLE_ORDERS": json.dumps(numbers),
        }
        done = subprocess.run(
            ["node", str(NODE_DIR / "pageload.mjs")],
            cwd=NODE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=60 + 10 * samples,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the browser's page loads failed: {done.stderr.strip()[-600:]}")
    loads = json.loads(done.stdout.strip().splitlines()[-1])
    return [float(ms) for ms in loads["evidence"]], [float(ms) for ms in loads["network"]]


def register_console(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench console`` to the ``station bench`` parser."""
    p = kinds.add_parser("console", help="the web console: evidence search and page render")
    p.add_argument("--orders", type=int, default=20_000, help="packed orders (20,000)")
    p.add_argument("--samples", type=int, default=200, help="timed searches (200)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument(
        "--pg",
        nargs="?",
        const="cluster",
        metavar="SERVER_URL",
        help="also PostgreSQL: a throwaway cluster, or a new database on SERVER_URL",
    )
    p.add_argument(
        "--browser",
        action="store_true",
        help=f"also load the pages in Chromium (up to {BROWSER_SAMPLES}; needs node,"
        " chromium and npm ci in tests/console)",
    )
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_console)


def run_console(args: argparse.Namespace, _settings: Settings) -> int:
    """Run the console benchmark and print its figures."""
    if min(args.orders, args.samples) < 1:
        print("station bench console: --orders and --samples must be at least 1", file=sys.stderr)
        return 2
    missing = browser_missing() if args.browser else None
    if missing is not None:
        print(f"station bench console: --browser: {missing}", file=sys.stderr)
        return 2
    databases = ("sqlite", "postgresql") if args.pg else ("sqlite",)
    try:
        r = run_console_benchmark(
            orders=args.orders,
            samples=args.samples,
            seed=args.seed,
            workdir=args.dir,
            pg=args.pg,
            databases=databases,
            browser=args.browser,
        )
    except ClusterUnavailable as exc:
        print(f"station bench console: PostgreSQL could not start: {exc}", file=sys.stderr)
        return 1
    for figures in r.databases:
        print(figures.line())
    if args.json:
        print(json.dumps(r.to_json()))
    return 0
