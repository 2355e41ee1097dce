"""``station bench sync`` with small numbers: the shape of its output, and nothing lost.

No timing is asserted (a loaded CI machine says nothing about the hub); what is asserted is
what the benchmark counts: every event on the hub once, no errors.
"""

from __future__ import annotations

import json

import pytest

from station.cli.main import main
from station.tools.pgcluster import PgCluster

KEYS = {
    "drain_s",
    "batch_vs_single_ratio",
    "concurrent_events_per_s",
    "concurrent_p99_ms",
    "errors",
    "lost",
    "duplicated",
}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_bench_sync_prints_its_figures_and_loses_nothing(
    backend: str, capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest
) -> None:
    pg = []
    if backend == "postgresql":
        # The session's cluster as the server: the benchmark makes its database and drops it.
        cluster: PgCluster = request.getfixturevalue("pg_cluster")
        pg = ["--pg", cluster.url()]
    small = ["--stations", "3", "--events", "60", "--photos", "2"]
    assert main(["bench", "sync", *small, *pg, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) >= KEYS
    assert figures["backend"] == backend
    assert (figures["events"], figures["photos"], figures["stations"]) == (60, 2, 3)
    assert (figures["errors"], figures["lost"], figures["duplicated"]) == (0, 0, 0)
    assert figures["out_of_order"] == 0
    assert figures["concurrent_events"] == 60 and figures["concurrent_pushes"] >= 3
    assert any(line.startswith("(a) drain:") for line in lines)
