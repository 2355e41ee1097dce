"""``station bench ship --json`` runs end to end (a short run; no figure is judged here)."""

from __future__ import annotations

import json

import pytest

from station.cli.main import main


@pytest.mark.slow
def test_bench_ship_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "ship", "--packages", "3", "--latency-ms", "20", "--json"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    figures = json.loads(last)
    assert {"overhead_p50_ms", "overhead_p99_ms", "rates_parallel_ms", "rates_serial_ms"} <= set(
        figures
    )
    assert figures["packages"] == 3
    # Four carriers calling the emulator one after another pay the latency four times (the
    # generic carrier is priced from its rate sheet); at once, about once.
    assert figures["rates_serial_ms"] > figures["rates_parallel_ms"]
