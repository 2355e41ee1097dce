"""``station bench console`` runs end to end on a small hub and prints its figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.cli.main import main


def test_the_console_benchmark_prints_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["bench", "console", "--orders", "300", "--samples", "20", "--dir", str(tmp_path)]
    assert main([*args, "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "wrote 300 packed orders (2,100 events) in " + lines[0].split(" in ")[1]
    assert "median" in lines[1] and "ratio" in lines[1]
    figures = json.loads(lines[-1])
    assert (figures["orders"], figures["events"], figures["samples"]) == (300, 2100, 20)
    assert 0 < figures["server_p50_ms"] <= figures["server_p99_ms"]
    assert 0 < figures["baseline_p50_ms"] <= figures["baseline_p99_ms"]
    assert figures["ratio_p50"] > 0
    assert main(["bench", "console", "--orders", "0"]) == 2
