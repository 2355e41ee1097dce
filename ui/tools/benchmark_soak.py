"""``python -m ui.tools.benchmark_soak`` (``station bench soak`` runs it): a whole shift.

The real window (``ui.composition``) offscreen on a demo database, its devices emulated
(scanner, printer, camera, a scale that follows the open package), the print worker sending
every label to the emulated printer and the sync worker pushing to a hub in its own process on
127.0.0.1 (``station hub serve``, so the hub shares the machine's cores as it would on a bench
PC that runs both). A packer packs orders through :class:`ui.tools.scan_driver.ScanDriver`, as
``station bench ui`` does, for ``--scans`` timed scans; every ``--sample-every`` scans the
process's resident memory, the WAL's size and that window's scan-to-verdict-painted latency
are sampled.

Figures (all measured in the run; nothing is asserted):

- ``rss_growth_mib_per_1000``: the least-squares slope of resident memory over scans, from the
  second sample on (the first holds the warm-up: fonts, caches, the first queries' plans);
- ``latency_p50/p99_first/last_ms``: the first and the last quarter of the timed scans (the
  issue compared the first and the last 5,000 of 20,000); ``latency_max_ms`` over all;
- ``stale_weight_mismatches``: weight mismatches shown, while the emulated scale always holds
  the package's expected weight, so every one of them judged a reading from before;
- ``wal_max_mb``: the largest WAL file seen, looked at after every order;
- where the maxima come from: ``gc_pause_max_ms`` (``gc_cpu_max_ms``: its CPU time) and
  ``gc_collections`` (Python's garbage collections by generation, timed through
  ``gc.callbacks``: a collection holds the GIL, so every thread, the GUI's included, waits
  for it), and ``slow_scans`` (over ``SLOW_MS``) with ``slow_scans_during_gc``, those a
  collection of ``GC_NOTED_MS`` or more fell inside.

SIGTERM or SIGINT (Ctrl+C) stops the run after the order in progress; the figures of the scans
done so far are printed, marked ``stopped_early``.

``--trace-memory`` also runs ``tracemalloc`` and prints the allocation sites that grew most
between the second and the last sample (slow: for finding growth, not for the figures).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from array import array
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.config import Settings
from station.db import Database
from station.db.engine import reader
from station.db.models import OutboxEvent, OutboxStatus, PrintJob, PrintJobStatus
from ui.tools.benchmark import DEMO_BADGE, WRONG_EVERY, percentile
from ui.tools.scan_driver import LABEL_PAUSE_MS

if TYPE_CHECKING:
    from station.packing.bench import PackBench, Reply
    from station.packing.verdicts import Outcome
    from ui.pack.screen import PackScreen
    from ui.tools.scan_driver import ScanDriver

SCANS = 20_000
SCALE_POLL_MS = 20
SAMPLE_EVERY = 1_000
SLOW_MS = 50.0  # the target for the slowest scan
MAX_SLOW_PARTS = 100  # slow scans whose parts are kept (a loaded machine may have many)
GC_NOTED_MS = 5.0  # a collection at least this long is a cause worth naming
PAGE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
MIB = 1024 * 1024


@dataclass(frozen=True)
class Sample:
    """The state after ``scans`` timed scans, and the latency of the window before it."""

    scans: int
    elapsed_s: float
    rss_mib: float
    wal_mb: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    orders_completed: int
    gc_max_ms: float
    # CPU time used in the window by the station's process and by the hub's (which shares
    # the cores): a rise in either tells where a latency creep would come from.
    station_cpu_s: float = 0.0
    hub_cpu_s: float = 0.0


class GcWatch:
    """Python's garbage collections while it is installed: how many of each generation, and
    the long ones with their start and end (``time.perf_counter``)."""

    def __init__(self) -> None:
        self.collections = [0, 0, 0]
        self.pause_max_ms = 0.0
        # The same collection's CPU time: on a loaded machine a collection's wall time also
        # holds the time its thread waited for a core; this is what the collection itself cost.
        self.cpu_max_ms = 0.0
        self._cpu_started = 0.0
        self.window_max_ms = 0.0  # since the last sample
        self.long: list[tuple[float, float]] = []  # collections of GC_NOTED_MS or more
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            self._cpu_started = time.thread_time()  # the collecting thread's, in its callback
            return
        ended = time.perf_counter()
        ms = (ended - self._started) * 1000
        self.cpu_max_ms = max(self.cpu_max_ms, (time.thread_time() - self._cpu_started) * 1000)
        self.collections[info["generation"]] += 1
        self.pause_max_ms = max(self.pause_max_ms, ms)
        self.window_max_ms = max(self.window_max_ms, ms)
        if ms >= GC_NOTED_MS:
            self.long.append((self._started, ended))

    def __enter__(self) -> GcWatch:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *_exc: object) -> None:
        gc.callbacks.remove(self)

    def during(self, start: float, end: float) -> bool:
        """Whether a long collection overlapped ``start``..``end``."""
        return any(s < end and e > start for s, e in self.long)


@dataclass(frozen=True)
class Span:
    """One timed scan: when it began and ended (``time.perf_counter``), its verdict, and its
    time in parts: waiting for the database worker, on it (``worker_cpu_ms`` of it the
    worker thread's own CPU), and from the worker's answer to the verdict painted."""

    start: float
    end: float
    verdict: str
    queued_ms: float = 0.0
    worker_ms: float = 0.0
    worker_cpu_ms: float = 0.0
    after_ms: float = 0.0
    delivered_ms: float = 0.0  # of after_ms: until the GUI thread took the answer
    gui_cpu_ms: float = 0.0  # the GUI thread's CPU time from taking the answer to the paint

    def parts(self, ms: float) -> dict[str, object]:
        """The scan's ``ms`` and its parts, rounded, for the JSON and the summary."""
        timed = {
            name: round(value, 2) for name, value in asdict(self).items() if name.endswith("_ms")
        }
        return {"ms": round(ms, 2), "verdict": self.verdict, **timed}


class ScanSpans:
    """When each timed scan began and ended, its verdict and its parts, wrapped around the
    driver's ``scan`` and the bench's (which runs on the database worker)."""

    def __init__(self, driver: ScanDriver, bench: PackBench, screen: PackScreen) -> None:
        self.spans: list[Span] = []  # taken by the sampler after each order
        original = driver.scan
        on_bench = bench.scan
        # The last bench scan's start, end and thread CPU; its delivery and the GUI's CPU then.
        worker = [0.0, 0.0, 0.0, 0.0, 0.0]
        on_reply = screen._maybe  # where the worker's answer reaches the GUI thread

        def delivered(reply: Reply | None) -> None:
            worker[3:] = [time.perf_counter(), time.thread_time()]
            on_reply(reply)

        def timed_bench(code: str, at: float | None = None) -> Reply | None:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return on_bench(code, at)
            finally:
                worker[:3] = [started, time.perf_counter(), time.thread_time() - cpu]

        def timed(code: str) -> Outcome:
            started = time.perf_counter()
            worker[:] = [0.0] * 5
            outcome = original(code)  # a scan that raises ends the run
            span = Span(started, time.perf_counter(), outcome.verdict.value)
            if worker[0]:  # the scan went through the bench (not a supervisor's dialog)
                span = replace(
                    span,
                    queued_ms=(worker[0] - driver.submitted_at) * 1000,
                    worker_ms=(worker[1] - worker[0]) * 1000,
                    worker_cpu_ms=worker[2] * 1000,
                    after_ms=(driver.painted_at - worker[1]) * 1000,
                    delivered_ms=(worker[3] - worker[1]) * 1000,
                    gui_cpu_ms=(driver.painted_cpu - worker[4]) * 1000,
                )
            self.spans.append(span)
            return outcome

        driver.scan = timed  # type: ignore[method-assign]  # the driver calls its own scan
        bench.scan = timed_bench  # type: ignore[method-assign]  # the screen calls it
        screen._maybe = delivered  # type: ignore[method-assign]  # the worker calls it back


@dataclass
class SoakResult:
    """What one soak run measured."""

    painted_ms: array[float] = field(default_factory=lambda: array("d"))
    samples: list[Sample] = field(default_factory=list)
    wal_max_bytes: int = 0
    stale_weight_mismatches: int = 0
    orders_completed: int = 0
    synced_events: int = 0
    printed_jobs: int = 0
    stopped_early: bool = False
    memory_growth: list[str] = field(default_factory=list)
    gc_pause_max_ms: float = 0.0
    gc_cpu_max_ms: float = 0.0
    gc_collections: list[int] = field(default_factory=lambda: [0, 0, 0])
    slow_scans: int = 0
    slow_scans_during_gc: int = 0
    slow_scan_verdicts: dict[str, int] = field(default_factory=dict)  # which scans were slow
    slow_scan_parts: list[dict[str, object]] = field(default_factory=list)  # where time went
    slow_ms: float = SLOW_MS

    def rss_growth_mib_per_1000(self) -> float:
        """Slope of resident memory over scans, from the second sample on (MiB per 1,000)."""
        steady = self.samples[1:] if len(self.samples) > 2 else self.samples
        if len(steady) < 2:
            return 0.0
        slope, _ = statistics.linear_regression(
            [s.scans for s in steady], [s.rss_mib for s in steady]
        )
        return slope * 1000

    def to_json(self) -> dict[str, object]:
        """The figures as one JSON object (the samples as a list of objects)."""
        times = self.painted_ms
        quarter = max(1, len(times) // 4)
        first, last = times[:quarter], times[-quarter:]
        return {
            "scans": len(times),
            "stopped_early": self.stopped_early,
            "orders_completed": self.orders_completed,
            "rss_growth_mib_per_1000": round(self.rss_growth_mib_per_1000(), 3),
            "rss_first_mib": self.samples[0].rss_mib,
            "rss_last_mib": self.samples[-1].rss_mib,
            "latency_window_scans": quarter,
            "latency_p50_first_ms": round(percentile(first, 50), 3),
            "latency_p50_last_ms": round(percentile(last, 50), 3),
            "latency_p99_first_ms": round(percentile(first, 99), 3),
            "latency_p99_last_ms": round(percentile(last, 99), 3),
            "latency_max_ms": round(max(times), 3),
            "stale_weight_mismatches": self.stale_weight_mismatches,
            "wal_max_mb": round(self.wal_max_bytes / 1e6, 3),
            "gc_pause_max_ms": round(self.gc_pause_max_ms, 3),
            "gc_cpu_max_ms": round(self.gc_cpu_max_ms, 3),
            "gc_collections": self.gc_collections,
            "slow_scans": self.slow_scans,
            "slow_scans_during_gc": self.slow_scans_during_gc,
            "slow_scan_verdicts": self.slow_scan_verdicts,
            "slow_ms": self.slow_ms,
            "slow_scan_parts": self.slow_scan_parts,
            "synced_events": self.synced_events,
            "printed_jobs": self.printed_jobs,
            "samples": [asdict(s) for s in self.samples],
        }

    def __str__(self) -> str:
        f = self.to_json()
        early = " (stopped early)" if self.stopped_early else ""
        lines = [
            f"scans timed{early}: {f['scans']} ({f['orders_completed']} orders completed, "
            f"{f['printed_jobs']} print jobs at the printer, {f['synced_events']} events synced)",
            f"resident memory: {f['rss_first_mib']:.1f} -> {f['rss_last_mib']:.1f} MiB, "
            f"growth {f['rss_growth_mib_per_1000']:.3f} MiB per 1,000 scans",
            f"scan -> verdict painted, first {f['latency_window_scans']} scans: p50 "
            f"{f['latency_p50_first_ms']:.2f} ms, p99 {f['latency_p99_first_ms']:.2f} ms",
            f"scan -> verdict painted, last {f['latency_window_scans']} scans: p50 "
            f"{f['latency_p50_last_ms']:.2f} ms, p99 {f['latency_p99_last_ms']:.2f} ms "
            f"(ratio last/first p50 "
            f"{_ratio(f['latency_p50_last_ms'], f['latency_p50_first_ms'])}, p99 "
            f"{_ratio(f['latency_p99_last_ms'], f['latency_p99_first_ms'])})",
            f"latency max: {f['latency_max_ms']:.2f} ms",
            f"stale weight mismatches: {f['stale_weight_mismatches']}",
            f"WAL at most: {f['wal_max_mb']:.3f} MB",
            f"garbage collections (generation 0/1/2): {self.gc_collections}, longest "
            f"{self.gc_pause_max_ms:.2f} ms ({self.gc_cpu_max_ms:.2f} ms of CPU)",
            f"scans over {self.slow_ms:g} ms: {self.slow_scans}, {self.slow_scans_during_gc} of "
            f"them with a collection of {GC_NOTED_MS:g} ms or more inside"
            + (f"; their verdicts: {_counts(self.slow_scan_verdicts)}" if self.slow_scans else ""),
        ]
        lines.extend(f"  {_parts(parts)}" for parts in self.slow_scan_parts)
        if self.memory_growth:
            lines.append("allocation sites that grew most (tracemalloc, second to last sample):")
            lines.extend(f"  {line}" for line in self.memory_growth)
        return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what}" for what, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _parts(parts: dict[str, object]) -> str:
    return (
        "{ms} ms {verdict}: waited {queued_ms} ms for the worker, {worker_ms} ms on it"
        " ({worker_cpu_ms} ms its CPU), {after_ms} ms from its answer to the paint"
        " ({delivered_ms} ms of it until the GUI thread took the answer; then {gui_cpu_ms} ms"
        " of its CPU)"
    ).format(**parts)


def _ratio(last: object, first: object) -> str:
    if isinstance(last, float) and isinstance(first, float) and first > 0:
        return f"{last / first:.2f}"
    return "n/a"


def rss_mib() -> float:
    """This process's resident memory (``/proc/self/statm``), in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE / MIB


def cpu_seconds(pid: int | None = None) -> float:
    """User and system CPU time of a process (this one by default), from ``/proc``; 0 when
    it is gone."""
    try:
        with open(f"/proc/{pid or 'self'}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def file_size(path: Path) -> int:
    """Size of ``path`` in bytes, 0 while it does not exist."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


class Sampler:
    """Takes a :class:`Sample` each time the driver passes another ``every`` scans."""

    def __init__(
        self,
        result: SoakResult,
        wal: Path,
        every: int,
        trace: bool,
        gcs: GcWatch,
        hub_pid: int | None = None,
        limit: int | None = None,
    ) -> None:
        self._result = result
        self._limit = limit  # scans past it (the last order's) are not figures of the run
        self._hub_pid = hub_pid
        self._cpu = (cpu_seconds(), cpu_seconds(hub_pid) if hub_pid else 0.0)
        self._wal = wal
        self._gcs = gcs
        self._every = every
        self._trace = trace
        self._started = time.perf_counter()
        self._window: list[float] = []
        self._snapshots: list[tracemalloc.Snapshot] = []

    def after_order(
        self,
        painted_ms: list[float],
        spans: list[Span],
        completed: int,
        say: Callable[[str], None],
    ) -> None:
        """Take the driver's new times (and when each scan ran); sample when a boundary was
        passed; note the WAL and the slow scans a collection fell inside."""
        result = self._result
        result.wal_max_bytes = max(result.wal_max_bytes, file_size(self._wal))
        for ms, span in zip(painted_ms, spans, strict=True):
            if self._limit is not None and len(result.painted_ms) >= self._limit:
                break
            if ms > result.slow_ms:
                result.slow_scans += 1
                result.slow_scans_during_gc += self._gcs.during(span.start, span.end)
                verdicts = result.slow_scan_verdicts
                verdicts[span.verdict] = verdicts.get(span.verdict, 0) + 1
                if len(result.slow_scan_parts) < MAX_SLOW_PARTS:
                    result.slow_scan_parts.append(span.parts(ms))
            result.painted_ms.append(ms)
            self._window.append(ms)
            if len(result.painted_ms) % self._every == 0:
                self._sample(completed, say)
        painted_ms.clear()  # the driver keeps no times of its own across a long run
        spans.clear()
        self._gcs.long.clear()  # those of the scans just counted

    def _sample(self, completed: int, say: Callable[[str], None]) -> None:
        window, self._window = self._window, []
        sample = Sample(
            scans=len(self._result.painted_ms),
            elapsed_s=round(time.perf_counter() - self._started, 1),
            rss_mib=round(rss_mib(), 2),
            wal_mb=round(file_size(self._wal) / 1e6, 3),
            p50_ms=round(percentile(window, 50), 3),
            p99_ms=round(percentile(window, 99), 3),
            max_ms=round(max(window), 3),
            orders_completed=completed,
            gc_max_ms=round(self._gcs.window_max_ms, 3),
            **self._cpu_used(),
        )
        self._gcs.window_max_ms = 0.0
        self._result.samples.append(sample)
        say(
            f"{sample.scans:>6} scans {sample.elapsed_s:>8.1f} s  rss {sample.rss_mib:7.1f} MiB"
            f"  wal {sample.wal_mb:6.2f} MB  p50 {sample.p50_ms:6.2f}  p99 {sample.p99_ms:6.2f}"
            f"  max {sample.max_ms:7.2f} ms  gc max {sample.gc_max_ms:6.2f} ms"
            f"  cpu {sample.station_cpu_s:6.1f} s, hub {sample.hub_cpu_s:5.1f} s"
        )
        if self._trace:
            self._snapshots.append(tracemalloc.take_snapshot())
            self._snapshots = self._snapshots[:1] + self._snapshots[-1:]

    def _cpu_used(self) -> dict[str, float]:
        now = (cpu_seconds(), cpu_seconds(self._hub_pid) if self._hub_pid else 0.0)
        (station, hub), self._cpu = self._cpu, now
        return {"station_cpu_s": round(now[0] - station, 2), "hub_cpu_s": round(now[1] - hub, 2)}

    def memory_growth(self, top: int = 15) -> list[str]:
        """Allocation sites that grew most between the second and the last sample."""
        if len(self._snapshots) < 2:
            return []
        stats = self._snapshots[-1].compare_to(self._snapshots[0], "lineno")
        return [str(stat) for stat in stats[:top]]


@dataclass(frozen=True)
class Plan:
    """What one run does: scans, sampling, the pause after each order, tracemalloc."""

    scans: int
    every: int
    pause_ms: int
    trace: bool
    freeze_heap: bool = True
    # The emulated scale is polled this often. 20 ms, as a streaming scale reports: the
    # weighing rule must then pick the plateau after the last scan out of a stream
    # (issue 21 point 3), and a shift's scans take half an hour rather than the 80 min at
    # the 200 ms poll of a scale that is asked.
    scale_poll_ms: int = SCALE_POLL_MS
    slow_ms: float = SLOW_MS  # scans slower than this are counted and split into parts


def run(plan: Plan, workdir: Path, say: Callable[[str], None]) -> SoakResult:
    """Seed, start a hub, enrol, and pack through the window until ``plan.scans`` scans."""
    from PySide6.QtWidgets import QApplication

    from station.db import open_database
    from station.sync.enroll import enroll_station
    from station.tools.demo import seed_demo
    from station.tools.loopback import LoopbackHub

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive for the run
    result = SoakResult(slow_ms=plan.slow_ms)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with LoopbackHub(workdir) as hub:
        db = open_database(workdir / "soak.sqlite")
        try:
            settings = soak_settings(db.path, plan)
            name = settings.station_name  # the outbox's events carry it: the hub checks
            # Only some demo orders are packable by a scanner alone (no serials or lots): a
            # 120-scan run got 101 scans out of scans // 3 orders. Two orders for every three
            # scans leave the run room to finish.
            orders = max(40, plan.scans * 2 // 3)
            seed_demo(db, orders=orders, products=150, seed=1, station=name)
            enroll_station(db, hub.url, hub.code(name), name)
            say(f"hub at {hub.url}; {plan.scans} scans, a sample every {plan.every}")
            pack(plan, settings, db, result, stop, say, hub.process.pid)
            result.printed_jobs, result.synced_events = count_rows(db)
        finally:
            db.close()
    return result


def soak_settings(db_path: Path, plan: Plan) -> Settings:
    """The demo's settings, with the emulated scale polled every ``plan.scale_poll_ms``."""
    from dataclasses import replace

    from station.config import DeviceSettings

    devices = DeviceSettings()
    scale = replace(devices.scale, poll_interval_s=plan.scale_poll_ms / 1000)
    return Settings(db_path=db_path, devices=replace(devices, scale=scale))


def pack(
    plan: Plan,
    settings: Settings,
    db: Database,
    result: SoakResult,
    stop: threading.Event,
    say: Callable[[str], None],
    hub_pid: int | None = None,
) -> None:
    """The window, its devices and workers: orders packed until done or ``stop``."""
    from station.packing.verdicts import Verdict
    from ui.composition import build_station, start_bench
    from ui.gil import favour_the_gui, restore_switch_interval
    from ui.heap import freeze_startup_heap
    from ui.settings import UiSettings
    from ui.sounds import SilentPlayer
    from ui.tools.scan_driver import ScanDriver, packable

    station = build_station(settings, db, UiSettings(idle_lock_s=24 * 3600), SilentPlayer())
    switch_interval = favour_the_gui()  # as station-ui does
    try:
        station.window.resize(1280, 800)
        station.window.show()
        start_bench(station, settings, db, sync=True, demo=True)
        driver = ScanDriver(station, label_pause_ms=plan.pause_ms)
        spans = ScanSpans(driver, station.bench, station.window.pack)
        driver.sign_in(DEMO_BADGE)
        # The packer's list, read before the heap is frozen and the collections are timed:
        # loading thousands of orders is this harness's work, not the station's (a collection
        # during it took 129 ms in a 20,000-scan run).
        orders = packable(db)
        if plan.freeze_heap:
            freeze_startup_heap()  # as station-ui does once its window is up
        gcs = GcWatch()
        wal = Path(f"{db.path}-wal")
        sampler = Sampler(result, wal, plan.every, plan.trace, gcs, hub_pid, plan.scans)
        if plan.trace:
            tracemalloc.start(8)
        with gcs:
            for order in orders:
                if driver.scans >= plan.scans or stop.is_set():
                    break
                driver.pack_order(order, wrong_every=WRONG_EVERY)
                sampler.after_order(driver.painted_ms, spans.spans, driver.completed, say)
                driver.shown_ms.clear()  # not a figure of the soak: kept by nobody
        result.gc_pause_max_ms = gcs.pause_max_ms
        result.gc_cpu_max_ms = gcs.cpu_max_ms
        result.gc_collections = gcs.collections
        result.stopped_early = stop.is_set() and driver.scans < plan.scans
        if driver.scans < plan.scans and not result.stopped_early:
            raise RuntimeError(f"the demo orders ran out after {driver.scans} scans")
        if not result.samples:
            raise RuntimeError(f"stopped after {driver.scans} scans, before a sample")
        result.memory_growth = sampler.memory_growth()
        tracemalloc.stop()
        del result.painted_ms[plan.scans :]
        result.stale_weight_mismatches = driver.verdicts[Verdict.WEIGHT_MISMATCH]
        result.orders_completed = driver.completed
    finally:
        station.close()
        restore_switch_interval(switch_interval)


def count_rows(db: Database) -> tuple[int, int]:
    """Print jobs done and outbox events the hub acknowledged, from the station's database."""
    with Session(reader(db.engine)) as session:
        printed = session.scalar(select(func.count()).where(PrintJob.status == PrintJobStatus.DONE))
        synced = session.scalar(
            select(func.count()).where(OutboxEvent.status == OutboxStatus.ACKED)
        )
    return int(printed or 0), int(synced or 0)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options of ``python -m ui.tools.benchmark_soak`` (and ``station bench soak``)."""
    p = argparse.ArgumentParser(
        prog="station bench soak",
        description="The window offscreen with emulated devices, printing and sync to a hub on "
        "loopback, for a shift's scans: memory, latency, WAL and weighing drift",
    )
    p.add_argument("--scans", type=int, default=SCANS, help=f"timed scans (default {SCANS})")
    p.add_argument(
        "--sample-every", type=int, default=SAMPLE_EVERY, help=f"default {SAMPLE_EVERY} scans"
    )
    p.add_argument(
        "--pause-ms",
        type=int,
        default=LABEL_PAUSE_MS,
        help=f"after each order, as the packer labels the box (default {LABEL_PAUSE_MS})",
    )
    p.add_argument(
        "--scale-poll-ms",
        type=int,
        default=SCALE_POLL_MS,
        help=f"the emulated scale's poll interval (default {SCALE_POLL_MS}, a streaming scale)",
    )
    p.add_argument(
        "--slow-ms",
        type=float,
        default=SLOW_MS,
        help=f"scans slower than this are split into their parts (default {SLOW_MS:g})",
    )
    p.add_argument("--trace-memory", action="store_true", help="tracemalloc's top growth (slow)")
    p.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the start-up heap in the full collections (station-ui freezes it)",
    )
    p.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scans < 1 or args.sample_every < 1 or args.pause_ms < 0 or args.scale_poll_ms < 1:
        print(
            "station bench soak: --scans, --sample-every and --scale-poll-ms must be at least"
            " 1, --pause-ms at least 0",
            file=sys.stderr,
        )
        return 2

    def say(line: str) -> None:
        print(line, flush=True)

    plan = Plan(
        args.scans,
        args.sample_every,
        args.pause_ms,
        args.trace_memory,
        not args.no_freeze,
        args.scale_poll_ms,
        args.slow_ms,
    )
    try:
        if args.dir is not None:
            args.dir.mkdir(parents=True, exist_ok=True)
            result = run(plan, args.dir, say)
        else:
            with tempfile.TemporaryDirectory(prefix="station-bench-soak-") as tmp:
                result = run(plan, Path(tmp), say)
    except (RuntimeError, TimeoutError, OSError) as exc:
        print(f"station bench soak: {exc}", file=sys.stderr)
        return 1
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
