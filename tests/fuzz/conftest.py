"""Prints how many inputs the fuzz tests tried, per target and in all."""

from __future__ import annotations

import pytest

from tests.fuzz.budget import BASE, INPUTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not INPUTS:
        return
    terminalreporter.section("inputs fuzzed")
    for target, count in sorted(INPUTS.items()):
        terminalreporter.write_line(f"{target:<40} {count:>9,}")
    total = sum(INPUTS.values())
    terminalreporter.write_line(f"{'total':<40} {total:>9,}  (STATION_FUZZ_EXAMPLES={BASE})")
