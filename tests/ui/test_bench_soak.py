"""``station bench soak`` end to end on a short run: the window, devices, printing, sync, JSON.

Figures only, no targets: the run is far too short for drift; what is checked is that every
figure was measured from the run (the samples add up, the print worker and the sync reached
their emulated printer and real hub), not what the figures are.
"""

from __future__ import annotations

import json
import statistics

import pytest

from station.cli.main import main

KEYS = {
    "rss_growth_mib_per_1000",
    "latency_p50_first_ms",
    "latency_p50_last_ms",
    "latency_p99_first_ms",
    "latency_p99_last_ms",
    "latency_max_ms",
    "stale_weight_mismatches",
    "wal_max_mb",
}


def test_bench_soak_samples_a_run_through_the_window(capfd: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            *("bench", "soak", "--scans", "120", "--sample-every", "30", "--pause-ms", "0"),
            *("--slow-ms", "0", "--json"),  # every scan "slow": each one split into its parts
        ]
    )
    out = capfd.readouterr().out
    assert status == 0, out
    lines = out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures.keys() >= KEYS
    assert figures["scans"] == 120 and figures["stopped_early"] is False
    samples = figures["samples"]
    assert [s["scans"] for s in samples] == [30, 60, 90, 120]
    assert all(s["rss_mib"] > 50 for s in samples)  # read from /proc, not a placeholder
    # The CPU each process used in each window, read from /proc: both worked in every one.
    assert all(s["station_cpu_s"] > 0 and s["hub_cpu_s"] > 0 for s in samples)
    assert figures["rss_first_mib"] == samples[0]["rss_mib"]
    assert figures["rss_last_mib"] == samples[-1]["rss_mib"]
    # The slope is of the samples after the first (the warm-up), per 1,000 scans.
    steady = samples[1:]
    slope, _ = statistics.linear_regression(
        [s["scans"] for s in steady], [s["rss_mib"] for s in steady]
    )
    assert figures["rss_growth_mib_per_1000"] == pytest.approx(slope * 1000, abs=0.001)
    assert figures["latency_window_scans"] == 30
    assert 0 < figures["latency_p50_first_ms"] <= figures["latency_p99_first_ms"]
    assert 0 < figures["latency_p50_last_ms"] <= figures["latency_p99_last_ms"]
    assert figures["latency_max_ms"] == max(s["max_ms"] for s in samples)
    assert figures["latency_max_ms"] >= figures["latency_p99_last_ms"]
    assert figures["wal_max_mb"] > 0 and figures["wal_max_mb"] >= max(s["wal_mb"] for s in samples)
    # The scale streams every 20 ms and each unit reaches the platter after its scan: no
    # weighing may take a plateau that settled before the last scan (issue 21, point 3).
    assert figures["stale_weight_mismatches"] == 0
    assert figures["orders_completed"] >= 10
    assert figures["printed_jobs"] >= figures["orders_completed"]  # a label (and a slip) each
    assert figures["synced_events"] > 0  # the sync worker pushed to the hub on loopback
    assert any(line.startswith("resident memory:") for line in lines)
    # Where maxima come from: the garbage collections timed, the slow scans they fell inside.
    collections = figures["gc_collections"]
    assert len(collections) == 3 and collections[0] > 0  # 120 scans allocate plenty
    assert figures["gc_pause_max_ms"] > 0 and figures["gc_cpu_max_ms"] > 0
    assert figures["gc_pause_max_ms"] >= max(s["gc_max_ms"] for s in samples)
    assert 0 <= figures["slow_scans_during_gc"] <= figures["slow_scans"] <= 120
    assert sum(figures["slow_scan_verdicts"].values()) == figures["slow_scans"]
    # Each slow scan's time in parts, measured on the worker and the GUI thread: the parts
    # add up to the scan's time (every soak scan goes through the bench).
    assert figures["slow_ms"] == 0 and figures["slow_scans"] == 120
    parts = figures["slow_scan_parts"]
    assert len(parts) == 100  # the first hundred are kept
    for part in parts:
        whole = part["queued_ms"] + part["worker_ms"] + part["after_ms"]
        assert whole == pytest.approx(part["ms"], abs=0.05)
        assert part["worker_ms"] > 0 and 0 <= part["delivered_ms"] <= part["after_ms"]
        assert 0 < part["worker_cpu_ms"] <= part["worker_ms"] + 0.05
        assert 0 < part["gui_cpu_ms"] <= part["after_ms"] - part["delivered_ms"] + 0.05


def test_bench_soak_refuses_a_run_of_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "soak", "--scans", "0"]) == 2
    err = capfd.readouterr().err
    assert "--scans, --sample-every and --scale-poll-ms must be at least 1" in err
    assert main(["bench", "soak", "--scale-poll-ms", "0"]) == 2
