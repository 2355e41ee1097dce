"""``station bench channels --json``: a small run gives every figure the issue asks for."""

from __future__ import annotations

import json

import pytest

from station.cli.main import main

KEYS = {
    "orders_in_per_s",
    "fulfilments_out_per_s",
    "hub_in_p99_ms",
    "hub_out_p99_ms",
    "hub_in_median_ms",
    "hub_out_median_ms",
    "throttle_wait_share",
    "baseline_file_import_ms",
    "hub_in_ratio_vs_file_import",
    "hub_out_ratio_vs_file_import",
}


def test_a_small_run_reports_both_directions_and_the_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A slow bucket, so that the run must wait on the throttle.
    status = main(
        [
            "bench",
            "channels",
            "--orders",
            "40",
            "--restore-rate",
            "50",
            "--bucket",
            "200",
            "--json",
        ]
    )
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    result = json.loads(out[-1])
    assert set(result) >= KEYS
    assert result["orders"] == 40
    assert 0 < result["throttle_wait_share"] < 1
    assert result["hub_in_p99_ms"] >= result["hub_in_median_ms"] > 0
    assert "p99" in out[0] + out[1]
