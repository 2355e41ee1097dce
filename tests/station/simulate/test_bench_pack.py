"""`station bench pack` runs end to end and prints its figures (their shape, not speed)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main


def test_bench_pack_prints_its_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "station.toml"
    config.write_text("")
    work = tmp_path / "work"
    args = ["--config", str(config), "bench", "pack", "--packages", "20", "--dir", str(work)]
    assert main([*args, "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(out[-1])
    for key in ("pack_p50_ms", "pack_p99_ms", "verdict_p50_ms", "ratio_to_verdict_p50"):
        assert isinstance(figures[key], float) and figures[key] > 0
    assert figures["pack_p99_ms"] >= figures["pack_p50_ms"]
    assert figures["packages"] == 20 and figures["scans"] > 20
    assert any(line.startswith("ratio pack p50 / verdict p50") for line in out)
    # Every timed package went the whole way: weighed, photographed, labelled and printed.
    con = sqlite3.connect(work / "pack.sqlite")
    try:
        packages = con.execute(
            "SELECT count(*) FROM packages WHERE status = 'closed' AND weight_status = 'pass'"
        ).fetchone()[0]
        photos = con.execute("SELECT count(*) FROM photos").fetchone()[0]
        shipped = con.execute(
            "SELECT count(*) FROM print_jobs WHERE template = 'shipping' AND status = 'done'"
        ).fetchone()[0]
    finally:
        con.close()
    assert packages == photos == shipped == 23  # three warm-up packages, then twenty
