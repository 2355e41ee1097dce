"""``station bench weight-history`` with small numbers: the shape of its output and what it
counts (no timing is asserted: a loaded machine says nothing about the index)."""

from __future__ import annotations

import json

import pytest

from station.cli.main import main


def test_bench_weight_history_prints_both_databases_and_their_ratio(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["bench", "weight-history", "--packs", "600", "--samples", "5", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    figures = json.loads(lines[-1])
    assert figures["samples"] == 5
    assert figures["baseline"]["rows"] == 60 and figures["history"]["rows"] == 660
    for part in ("baseline", "history"):
        assert figures[part]["p99_ms"] >= figures[part]["median_ms"] > 0
    assert figures["ratio"] > 0
    assert lines[-2].startswith("ratio (history / baseline medians):")
    assert main(["bench", "weight-history", "--samples", "0"]) == 2
