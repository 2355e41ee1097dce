"""``station bench ui`` end to end on a small run: the real window, real start-ups, its JSON.

Figures only, no time limits: the benchmark prints them, the README quotes a full run.
"""

from __future__ import annotations

import json

import pytest

from station.cli.main import main

KEYS = {
    "n",
    "verdict_painted_p50_ms",
    "verdict_painted_p99_ms",
    "verdict_shown_p50_ms",
    "orders_completed",
    "startup_s",
    "bare_startup_s",
    "startup_ratio",
    "startup_built_s",
}


def test_bench_ui_times_scans_to_the_painted_verdict_and_start_ups(
    capfd: pytest.CaptureFixture[str],
) -> None:
    status = main(["bench", "ui", "--scans", "30", "--startups", "1", "--json"])
    out = capfd.readouterr().out

    assert status == 0, out
    lines = out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures.keys() >= KEYS
    assert figures["n"] == 30
    assert figures["orders_completed"] >= 1  # orders closed and new ones opened
    assert 0 < figures["verdict_painted_p50_ms"] <= figures["verdict_painted_p99_ms"]
    # Painted comes after the worker's answer reached the window (set or painted first).
    assert figures["verdict_painted_p99_ms"] < 10_000
    assert figures["bare_startup_s"] > 0 and figures["startup_s"] > 0
    assert figures["startup_s"] <= figures["startup_built_s"]  # sign-in shows before the rest
    # The ratio is of the unrounded times, the times are printed to the millisecond: against
    # a bare start of ~0.1 s that rounding alone moves the ratio by up to ~1 %.
    ratio = figures["startup_s"] / figures["bare_startup_s"]
    assert figures["startup_ratio"] == pytest.approx(ratio, rel=0.02)
    assert any(line.startswith("scan -> verdict painted") for line in lines)  # the table


def test_bench_ui_refuses_a_run_of_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "ui", "--scans", "0"]) == 2
    assert "--scans and --startups must be at least 1" in capfd.readouterr().err
