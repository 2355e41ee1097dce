"""`station bench scan` runs end to end on a small database and prints its figures.

A smoke test of the benchmark's plumbing, not of speed: the figures are only checked for shape.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main


def test_bench_scan_prints_its_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "bench",
            "scan",
            "--orders",
            "300",
            "--products",
            "120",
            "--scans",
            "150",
            "--dir",
            str(tmp_path),
            "--json",
        ]
    )
    assert status == 0
    out = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(out[-1])
    for key in ("verdict_p50_ms", "verdict_p99_ms", "bare_commit_p99_ms", "ratio_p99"):
        assert figures[key] > 0
    assert figures["scans"] >= 150
    assert figures["import_rows_per_s"] > 0 and figures["orders"] == 300
    assert any(line.startswith("ratio verdict/bare") for line in out)
    # The benchmark packed real orders through the engine.
    con = sqlite3.connect(tmp_path / "bench.sqlite")
    packed = con.execute("SELECT count(*) FROM orders WHERE status = 'packed'").fetchone()[0]
    con.close()
    assert packed > 10
