"""``station bench startup``: how long the command line takes to answer, against Python itself.

Each timed run is a new process, as a technician's command is: ``python -c pass`` (the floor no
command can go under: the interpreter and its site set-up), ``station --help`` and ``station
devices list --json``. The three are run in turn, round after round, so a load that comes and
goes on a shared machine falls on all of them alike; the ratio is each command's median over
the floor's median, measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.config import Settings
from station.tools.benchmarks.scan import percentile

FLOOR = "python -c pass"


@dataclass(frozen=True)
class Timing:
    """One command's start-up times (seconds) over the runs."""

    command: str
    median_s: float
    p99_s: float
    ratio: float  # median over the floor's median

    def __str__(self) -> str:
        return (
            f"{self.command:32} median {self.median_s * 1000:7.1f} ms,"
            f" p99 {self.p99_s * 1000:7.1f} ms, ratio {self.ratio:5.2f}"
        )


def station_command() -> list[str]:
    """The ``station`` console script beside this interpreter (what a technician runs), or the
    module when there is none (a checkout run with ``python -m``)."""
    script = Path(sys.executable).parent / "station"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "station.cli.main"]


def commands() -> dict[str, list[str]]:
    """What is timed: the floor first."""
    station = station_command()
    return {
        FLOOR: [sys.executable, "-c", "pass"],
        "station --help": [*station, "--help"],
        "station devices list --json": [*station, "devices", "list", "--json"],
    }


def time_once(argv: list[str]) -> float:
    """Seconds from start to exit of one process; a failing command is an error."""
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, env=dict(os.environ))
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-500:]!r}")
    return elapsed


def run_startup_bench(runs: int) -> list[Timing]:
    """Time every command ``runs`` times, interleaved; the floor is the first row."""
    timed = commands()
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for argv in timed.values():
        time_once(argv)  # warm the page cache and the .pyc files, untimed
    for _ in range(runs):
        for name, argv in timed.items():
            samples[name].append(time_once(argv))
    floor = statistics.median(samples[FLOOR])
    return [
        Timing(name, statistics.median(s), percentile(s, 0.99), statistics.median(s) / floor)
        for name, s in samples.items()
    ]


def register_startup(kinds: argparse._SubParsersAction[Any]) -> None:
    """Add ``bench startup`` to the ``station bench`` parser."""
    p = kinds.add_parser("startup", help="command-line start-up against python -c pass")
    p.add_argument("--runs", type=int, default=20, help="timed runs of each command (20)")
    p.add_argument("--json", action="store_true", help="last line: one JSON object")
    p.set_defaults(handler=run_startup)


def run_startup(args: argparse.Namespace, settings: Settings) -> int:
    """Print each command's median, p99 and ratio against the floor."""
    if args.runs < 1:
        print("station bench startup: --runs must be at least 1", file=sys.stderr)
        return 2
    timings = run_startup_bench(args.runs)
    print(f"{args.runs} runs each, interleaved; ratio = median / median of {FLOOR}")
    for timing in timings:
        print(timing)
    if args.json:
        print(json.dumps({"runs": args.runs, "timings": [vars(t) for t in timings]}))
    return 0
