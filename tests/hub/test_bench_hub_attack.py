"""``station bench hub-attack`` with small numbers: its figures, and the attacks refused.

No timing is asserted (a loaded machine says nothing about the hub); what is asserted is what
the benchmark counts: the pushes refused with 413, every health request answered while the
slow connections are held, the hub's log small.
"""

from __future__ import annotations

import json

import pytest

from station.cli.main import main


@pytest.mark.slow
def test_bench_hub_attack_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    small = ["--pushes", "2", "--slow", "150", "--samples", "20"]
    assert main(["bench", "hub-attack", *small, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = json.loads(lines[-1])
    assert lines[0] == "hub from this tree"
    assert figures["push_statuses"] == [413, 413]
    assert figures["slow_connections"] == 150
    assert figures["slow_health_failures"] == 0 and figures["slow_health_samples"] == 20
    assert figures["log_bytes"] < 20_000
    assert figures["push_peak_rss_mb"] >= figures["rest_rss_mb"] > 0
    for key in ("idle_health_p99_ms", "push_health_p99_ratio", "slow_health_p99_ratio"):
        assert figures[key] > 0
