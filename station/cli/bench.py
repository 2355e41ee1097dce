"""The ``bench`` command group: benchmarks that print their figures (never pass/fail)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from station.config import Settings
from station.tools.benchmarks.batch import register_batch
from station.tools.benchmarks.channels import register_channels
from station.tools.benchmarks.console import register_console
from station.tools.benchmarks.decode import report, run_decode_benchmark
from station.tools.benchmarks.history import register_history
from station.tools.benchmarks.hub_attack import register_hub_attack
from station.tools.benchmarks.pack import run_pack_benchmark
from station.tools.benchmarks.returns import register_returns
from station.tools.benchmarks.scan import run_scan_benchmark
from station.tools.benchmarks.startup import register_startup
from station.tools.benchmarks.sync import register_sync


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the ``bench`` commands (scan, decode, pack, returns, sync, hub-attack, startup, ui,
    soak, and the others registered below)."""
    bench = sub.add_parser("bench", help="benchmarks")
    kinds = bench.add_subparsers(dest="bench", required=True, metavar="BENCH")
    scan = kinds.add_parser("scan", help="scan-to-verdict latency against the fsync floor")
    scan.add_argument("--orders", type=int, default=100_000)
    scan.add_argument("--products", type=int, default=50_000)
    scan.add_argument("--scans", type=int, default=2_000, help="timed scans (at least)")
    scan.add_argument("--seed", type=int, default=7)
    scan.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    scan.add_argument("--json", action="store_true", help="last line: one JSON object")
    scan.set_defaults(handler=run_scan)

    decode = kinds.add_parser("decode", help="camera decoding: live path vs zxing-cpp and zbar")
    decode.add_argument("--frames", type=int, default=60, help="frames per engine (default 60)")
    decode.add_argument("--seed", type=int, default=1)
    decode.add_argument("--json", action="store_true", help="last line: one JSON object")
    decode.set_defaults(handler=run_decode)

    pack = kinds.add_parser("pack", help="last scan to label at the printer, against the verdict")
    pack.add_argument("--packages", type=int, default=200, help="timed packages (default 200)")
    pack.add_argument("--seed", type=int, default=7)
    pack.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    pack.add_argument("--json", action="store_true", help="last line: one JSON object")
    pack.set_defaults(handler=run_pack)
    ship = kinds.add_parser("ship", help="weighed package to carrier label at the printer")
    ship.add_argument("--packages", type=int, default=50, help="timed labels (default 50)")
    ship.add_argument("--latency-ms", type=float, default=300, help="carrier latency (300)")
    ship.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    ship.add_argument("--json", action="store_true", help="last line: one JSON object")
    ship.set_defaults(handler=run_ship)
    register_batch(kinds)  # bench batch: single-item orders in batch mode against one by one
    register_returns(kinds)  # bench returns: outbound evidence for the inspection screen
    register_sync(kinds)  # bench sync: backlog drain and concurrent stations against a hub
    register_hub_attack(kinds)  # bench hub-attack: memory and health under issue 12's attacks
    register_history(kinds)  # bench weight-history: the history lookup against a small one
    register_startup(kinds)  # bench startup: the command line against python -c pass
    register_console(kinds)  # bench console: evidence search and page of the web console
    register_channels(kinds)  # bench channels: Shopify orders in, fulfilments out

    ui = kinds.add_parser(
        "ui",
        help="the window: scan to verdict painted, start-up against a bare Qt window",
        description=(
            "Runs python -m ui.tools.benchmark (Qt, offscreen unless QT_QPA_PLATFORM is set)."
        ),
    )
    ui.add_argument("--scans", type=int, default=1000, help="timed scans (default 1000)")
    ui.add_argument("--startups", type=int, default=5, help="timed starts (default 5)")
    ui.add_argument("--json", action="store_true", help="last line: one JSON object")
    ui.set_defaults(handler=run_ui)

    _register_soak(kinds)


def _register_soak(kinds: argparse._SubParsersAction[Any]) -> None:
    soak = kinds.add_parser(
        "soak",
        help="a shift through the window: memory, latency, WAL and weighing drift",
        description="Runs python -m ui.tools.benchmark_soak "
        "(Qt, offscreen unless QT_QPA_PLATFORM is set)"
        " with emulated devices, the print and sync workers and a hub on loopback.",
    )
    soak.add_argument("--scans", type=int, default=20_000, help="timed scans (default 20000)")
    soak.add_argument("--sample-every", type=int, default=1000, help="default 1000 scans")
    soak.add_argument("--pause-ms", type=int, help="after each order (default 200)")
    soak.add_argument(
        "--scale-poll-ms", type=int, help="the emulated scale's poll (default 20, streaming)"
    )
    soak.add_argument(
        "--slow-ms", type=float, help="scans slower than this are split into parts (default 50)"
    )
    soak.add_argument("--trace-memory", action="store_true", help="tracemalloc's top growth")
    soak.add_argument(
        "--no-freeze", action="store_true", help="leave the start-up heap in full collections"
    )
    soak.add_argument("--dir", type=Path, help="work folder (default: a new temporary one)")
    soak.add_argument("--json", action="store_true", help="last line: one JSON object")
    soak.set_defaults(handler=run_soak)


def run_ui(args: argparse.Namespace, settings: Settings) -> int:
    """Run the window's benchmark in a process of its own: ``station/`` never imports Qt."""
    command = [sys.executable, "-m", "ui.tools.benchmark", "--scans", str(args.scans)]
    command += ["--startups", str(args.startups)] + (["--json"] if args.json else [])
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run(command, env=env, check=False).returncode


def run_soak(args: argparse.Namespace, settings: Settings) -> int:
    """Run the soak benchmark in a process of its own, as ``run_ui`` does."""
    command = [sys.executable, "-m", "ui.tools.benchmark_soak", "--scans", str(args.scans)]
    command += ["--sample-every", str(args.sample_every)]
    if args.pause_ms is not None:
        command += ["--pause-ms", str(args.pause_ms)]
    if args.scale_poll_ms is not None:
        command += ["--scale-poll-ms", str(args.scale_poll_ms)]
    if args.slow_ms is not None:
        command += ["--slow-ms", str(args.slow_ms)]
    if args.dir is not None:
        command += ["--dir", str(args.dir)]
    command += ["--trace-memory"] if args.trace_memory else []
    command += ["--no-freeze"] if args.no_freeze else []
    command += ["--json"] if args.json else []
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return subprocess.run(command, env=env, check=False).returncode


def run_scan(args: argparse.Namespace, settings: Settings) -> int:
    """Run the scan benchmark and print its figures."""
    result = run_scan_benchmark(
        settings,
        orders=args.orders,
        products=args.products,
        scans=args.scans,
        seed=args.seed,
        workdir=args.dir,
        log=True,
    )
    print(
        f"scans timed: {result.scans}\n"
        f"verdict (interpret + decide + durable commit): p50 {result.verdict_p50_ms:.3f} ms,"
        f" p99 {result.verdict_p99_ms:.3f} ms\n"
        f"bare insert+commit (same pragmas, fsync floor): p50 {result.bare_commit_p50_ms:.3f} ms,"
        f" p99 {result.bare_commit_p99_ms:.3f} ms\n"
        f"ratio verdict/bare: p50 {result.ratio_p50:.2f}, p99 {result.ratio_p99:.2f}\n"
        f"order import: {result.import_rows} rows in {result.import_seconds:.2f} s ="
        f" {result.import_rows_per_s:,.0f} rows/s ({result.import_orders_per_s:,.0f} orders/s)"
    )
    if args.json:
        print(json.dumps(result.to_json()))
    return 0


def run_decode(args: argparse.Namespace, settings: Settings) -> int:
    """Run the camera decoding benchmark and print its figures."""
    if args.frames < 1:
        print("station bench decode: --frames must be at least 1", file=sys.stderr)
        return 2
    result = run_decode_benchmark(frames=args.frames, seed=args.seed)
    print(report(result), flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0


def run_ship(args: argparse.Namespace, _settings: Settings) -> int:
    """Run the shipping benchmark and print its figures."""
    from station.tools.benchmarks.ship import run_ship_benchmark

    if args.packages < 1 or args.latency_ms < 0:
        print("station bench ship: --packages >= 1 and --latency-ms >= 0", file=sys.stderr)
        return 2
    result = run_ship_benchmark(
        packages=args.packages, latency_ms=args.latency_ms, workdir=args.dir
    )
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0


def run_pack(args: argparse.Namespace, settings: Settings) -> int:
    """Run the pack benchmark and print its figures."""
    if args.packages < 1:
        print("station bench pack: --packages must be at least 1", file=sys.stderr)
        return 2
    result = run_pack_benchmark(settings, packages=args.packages, seed=args.seed, workdir=args.dir)
    print(result, flush=True)
    if args.json:
        print(json.dumps(result.to_json()))
    return 0
