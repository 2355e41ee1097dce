"""`station bench returns` end to end on a small database: the figures' shape, not speed."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main


def test_bench_returns_prints_its_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["bench", "returns", "--orders", "500", "--products", "200", "--samples", "50"]
    assert main([*args, "--dir", str(tmp_path), "--json"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(out[-1])
    for key in ("evidence_p50_ms", "evidence_p99_ms", "lookup_p50_ms", "lookup_p99_ms"):
        assert figures[key] > 0
    assert figures["evidence_p99_ms"] >= figures["evidence_p50_ms"]
    assert (figures["orders"], figures["samples"]) == (500, 50)
    assert any(line.startswith("outbound evidence for the inspection screen") for line in out)
    con = sqlite3.connect(tmp_path / "returns-bench.sqlite")
    try:
        assert con.execute("SELECT count(*) FROM orders WHERE status = 'packed'").fetchone() == (
            500,
        )
        # The bulk rows satisfy every foreign key, like rows the engine writes.
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        serials = con.execute("SELECT count(*) FROM scans WHERE serial IS NOT NULL").fetchone()
        assert serials[0] > 0
    finally:
        con.close()


def test_bench_returns_refuses_nothing_to_time(tmp_path: Path) -> None:
    assert main(["bench", "returns", "--samples", "0", "--dir", str(tmp_path)]) == 2
