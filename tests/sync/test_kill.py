"""A real ``station sync`` process killed after the hub committed, before it heard back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from station.sync import protocol as p
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.sync.events import add_event
from tests.sync.faultproxy import Fault, FaultProxy
from tests.sync.invariant import assert_converged, hub_log, station_log

Make = Callable[[str], StationUnderTest]


@pytest.mark.slow
def test_sigkill_after_the_hub_acknowledged_then_a_normal_sync_has_no_duplicate_or_gap(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    for i in range(12):
        add_event(a.db, "note.added", {"station": "bench-1", "n": i})
    database = a.db.engine.url.database
    assert database is not None
    with FaultProxy(hub.url) as proxy:
        proxy.plan(Fault.STALL, p.PUSH)  # the hub answers; the proxy holds the answer back
        sync = ["sync", "--once", "--hub", proxy.url, "--json"]
        proc = subprocess.Popen(
            [sys.executable, "-m", "station.cli.main", "--db", database, *sync],
            env={**os.environ, "STATION_NAME": "bench-1"},
            cwd=Path(__file__).resolve().parents[2],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            assert proxy.stalled.wait(60), "the station never pushed"
            # The hub has committed all twelve; the station is waiting for the answer.
            assert [q for q, _, _ in hub_log(hub.db, "bench-1")] == list(range(1, 13))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if proc.stderr is not None:
                proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert {st for _, _, st in station_log(a.db)} == {"pending"}  # it never recorded the ack
    report = a.sync()
    # The hub answered from what it stored: acknowledged once, nothing stored twice.
    assert (report.pushed, report.pending) == (12, 0)
    assert_converged(hub.db, a.db, "bench-1")
