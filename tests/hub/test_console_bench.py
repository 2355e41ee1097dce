"""``station bench console`` runs end to end on a small hub, SQLite and PostgreSQL, and prints
its figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.cli.main import main
from station.tools.pgcluster import PgCluster
from tests.pgcluster import pg_cluster

__all__ = ["pg_cluster"]  # the fixture


def test_the_console_benchmark_prints_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pg_cluster: PgCluster
) -> None:
    args = ["bench", "console", "--orders", "300", "--samples", "20", "--dir", str(tmp_path)]
    assert main([*args, "--pg", pg_cluster.url(), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        lines[0] == "sqlite: wrote 300 packed orders (2,100 events) in " + lines[0].split(" in ")[1]
    )
    assert lines[1].startswith("postgresql: wrote 300 packed orders (2,100 events) in ")
    for line in lines[2:4]:
        assert "median" in line and "ratio" in line and "page load" in line
    figures = json.loads(lines[-1])
    assert (figures["orders"], figures["events"], figures["samples"]) == (300, 2100, 20)
    assert figures["databases"] == ["sqlite", "postgresql"]
    per = figures["per_database"]
    # The keys the issue names are the worse database's.
    assert figures["server_p99_ms"] == max(d["server_p99_ms"] for d in per.values())
    assert 0 < figures["server_p50_ms"] <= figures["server_p99_ms"]
    assert 0 < figures["baseline_p50_ms"] <= figures["baseline_p99_ms"]
    assert figures["ratio_p50"] > 0
    assert 0 < figures["page_load_ms"] <= figures["page_load_p99_ms"]
    assert figures["page_load_ms"] == max(
        max(d["evidence_page_p50_ms"], d["network_page_p50_ms"]) for d in per.values()
    )
    # Without --browser the page load is the server's whole request, and says so.
    assert figures["page_load_measured_in"] == "server"
    assert figures["page_request_ms"] == figures["page_load_ms"]
    assert "in the browser" not in lines[2]
    assert main(["bench", "console", "--orders", "0"]) == 2
