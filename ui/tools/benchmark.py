"""``python -m ui.tools.benchmark`` (what ``station bench ui`` runs): how fast the window answers
and starts.

(1) **Verdict painted**: the real window (``ui.composition``) on a demo database, its devices
emulated (scanner, printer, a scale that follows the open package), a packer signed in. Each
scan goes to :meth:`StationWindow.submit_code`, where a wedge or serial scan arrives; the clock
stops when the verdict banner has repainted with that scan's verdict (its labels' paint
events, after the pack screen set the text). Orders are packed whole, with a wrong item now and
then (acknowledged by ``CMD-CONFIRM``), weighed by the emulated scale and completed by
``CMD-COMPLETE``, so orders close and new ones open as at a real bench.

(2) **Start-up**: ``station-ui --demo --exit-when-ready`` launched fresh several times, from
process start to its window first painted with sign-in taking scans; against a bare
``QApplication`` showing one ``QLabel`` (``ui.tools.benchmark_bare``), launched and timed the same
way in the same run, interleaved.

Needs Qt, so it lives in ``ui/``; ``station bench ui`` runs it as a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import astuple, dataclass
from pathlib import Path

SCANS = 1000
STARTUPS = 5
WRONG_EVERY = 40  # one wrong item among this many item scans
WAIT_S = 10.0  # one scan that takes this long is an error, not a figure
DEMO_BADGE = "BADGE-ALICE"


@dataclass(frozen=True)
class Startups:
    """Start-up times (s) of each launch: sign-in on screen, station built, bare window."""

    ready: list[float]
    built: list[float]
    bare: list[float]


@dataclass(frozen=True)
class UiBenchmarkResult:
    """The figures of one run."""

    painted_ms: tuple[float, ...]
    shown_ms: tuple[float, ...]
    orders_completed: int
    startups: Startups

    def to_json(self) -> dict[str, float | int]:
        """The figures as one flat JSON object."""
        ready, built, bare = (statistics.median(t) for t in astuple(self.startups))
        return {
            "n": len(self.painted_ms),
            "verdict_painted_p50_ms": round(percentile(self.painted_ms, 50), 3),
            "verdict_painted_p99_ms": round(percentile(self.painted_ms, 99), 3),
            "verdict_painted_max_ms": round(max(self.painted_ms), 3),
            "verdict_shown_p50_ms": round(percentile(self.shown_ms, 50), 3),
            "verdict_shown_p99_ms": round(percentile(self.shown_ms, 99), 3),
            "orders_completed": self.orders_completed,
            "startup_runs": len(self.startups.ready),
            "startup_s": round(ready, 3),
            "bare_startup_s": round(bare, 3),
            "startup_ratio": round(ready / bare, 2),
            "startup_built_s": round(built, 3),
            "startup_built_ratio": round(built / bare, 2),
        }

    def __str__(self) -> str:
        f = self.to_json()
        rows = (
            ("scans timed", f"{f['n']} ({f['orders_completed']} orders completed)"),
            (
                "scan -> verdict painted",
                f"p50 {f['verdict_painted_p50_ms']:.2f} ms, p99 "
                f"{f['verdict_painted_p99_ms']:.2f} ms, max {f['verdict_painted_max_ms']:.2f} ms",
            ),
            (
                "scan -> verdict set (before paint)",
                f"p50 {f['verdict_shown_p50_ms']:.2f} ms, p99 {f['verdict_shown_p99_ms']:.2f} ms",
            ),
            (
                f"start-up, median of {f['startup_runs']}",
                f"sign-in taking scans {f['startup_s']:.3f} s, bare QLabel"
                f" {f['bare_startup_s']:.3f} s, ratio {f['startup_ratio']:.2f}",
            ),
            (
                "start-up to the station built",
                f"{f['startup_built_s']:.3f} s, ratio {f['startup_built_ratio']:.2f}",
            ),
        )
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (the value below which ``pct`` % of the values lie)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


# --- start-up ---------------------------------------------------------------------------------


def time_to_lines(command: Sequence[str], env: dict[str, str], words: Sequence[str]) -> list[float]:
    """Seconds from launching ``command`` to each of ``words`` on its stdout, in order."""
    started = time.perf_counter()
    times: list[float] = []
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == words[len(times)]:
                times.append(time.perf_counter() - started)
                if len(times) == len(words):
                    break
        _, err = child.communicate(timeout=60)
    if len(times) < len(words):
        said = err.strip()[-400:] or f"exit status {child.returncode}"
        raise RuntimeError(f"{command[2]} ended before {words[len(times)]!r}: {said}")
    return times


def measure_startups(runs: int, workdir: Path) -> Startups:
    """Station and bare start-up times, interleaved so both see the same machine load."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    config = workdir / "station.toml"
    config.write_text('[ui]\nsounds = false\nlanguage = "en"\n', encoding="utf-8")
    db = workdir / "startup.sqlite"
    station = [sys.executable, "-m", "ui.app", "--demo", "--db", str(db), "--config", str(config)]
    station.append("--exit-when-ready")
    bare = [sys.executable, "-m", "ui.tools.benchmark_bare"]
    seed_startup_db(db)  # as --demo would on a first start, which is not the one timed
    time_to_lines(bare, env, ("ready",))  # warms the disk cache for Qt's libraries
    found = Startups([], [], [])
    for _ in range(runs):
        ready, built = time_to_lines(station, env, ("ready", "built"))
        found.ready.append(ready)
        found.built.append(built)
        found.bare.extend(time_to_lines(bare, env, ("ready",)))
    return found


def seed_startup_db(path: Path) -> None:
    """The demo database ``station-ui --demo`` would make on its first start."""
    from station.db import open_database
    from station.tools.demo import seed_demo
    from ui.app import DEMO_ORDERS, DEMO_PRODUCTS

    db = open_database(path)
    try:
        seed_demo(db, orders=DEMO_ORDERS, products=DEMO_PRODUCTS, seed=1)
    finally:
        db.close()


# --- verdict painted ----------------------------------------------------------------------------


def measure_scans(scans: int, workdir: Path) -> tuple[list[float], list[float], int]:
    """Scan-to-painted and scan-to-set times (ms) of ``scans`` scans, and orders completed."""
    from PySide6.QtWidgets import QApplication

    from station.config import Settings
    from station.db import open_database
    from station.tools.demo import seed_demo
    from ui.composition import build_station, start_bench
    from ui.gil import favour_the_gui, restore_switch_interval
    from ui.settings import UiSettings
    from ui.sounds import SilentPlayer
    from ui.tools.scan_driver import ScanDriver, packable

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive for the run
    db = open_database(workdir / "bench.sqlite")
    try:
        # About six timed scans an order: enough orders that the run never runs out.
        seed_demo(db, orders=max(20, scans // 3), products=150, seed=1)
        settings = Settings(db_path=db.path)
        station = build_station(settings, db, UiSettings(idle_lock_s=3600), SilentPlayer())
        switch_interval = favour_the_gui()  # as station-ui does
        try:
            station.window.resize(1280, 800)
            station.window.show()
            start_bench(station, settings, db, sync=False, demo=True)
            driver = ScanDriver(station)
            driver.sign_in(DEMO_BADGE)
            for order in packable(db):
                if len(driver.painted_ms) >= scans:
                    break
                driver.pack_order(order, wrong_every=WRONG_EVERY)
            if len(driver.painted_ms) < scans:
                raise RuntimeError(f"the demo orders ran out after {len(driver.painted_ms)} scans")
            return driver.painted_ms[:scans], driver.shown_ms[:scans], driver.completed
        finally:
            station.close()
            restore_switch_interval(switch_interval)
    finally:
        db.close()


def run(scans: int, startups: int) -> UiBenchmarkResult:
    """Both measurements, in a work folder of their own."""
    with tempfile.TemporaryDirectory(prefix="station-bench-ui-") as tmp:
        found = measure_startups(startups, Path(tmp))
        painted, shown, completed = measure_scans(scans, Path(tmp))
    return UiBenchmarkResult(tuple(painted), tuple(shown), completed, found)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options of ``python -m ui.tools.benchmark`` (and ``station bench ui``)."""
    p = argparse.ArgumentParser(
        prog="station bench ui", description="Scan to verdict painted, and start-up, of the window"
    )
    p.add_argument("--scans", type=int, default=SCANS, help=f"timed scans (default {SCANS})")
    p.add_argument(
        "--startups", type=int, default=STARTUPS, help=f"timed starts of each (default {STARTUPS})"
    )
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    # Before any QApplication exists: no display needed, also on a desktop.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scans < 1 or args.startups < 1:
        print("station bench ui: --scans and --startups must be at least 1", file=sys.stderr)
        return 2
    try:
        result = run(args.scans, args.startups)
    except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as exc:
        print(f"station bench ui: {exc}", file=sys.stderr)
        return 1
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
