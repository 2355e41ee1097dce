"""SIGKILL a real ``station simulate`` at random moments, at least 50 times (tests/crashharness.py).

The kills, the seed and the way runs are started come from the environment
(``STATION_CRASH_KILLS``, ``STATION_CRASH_SEED``, ``STATION_CRASH_FORK``); the figures are
printed (``pytest -s`` shows them) as one JSON line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.db import open_database
from station.tools.demo import seed_demo
from tests.crashharness import (
    STATION,
    CrashHarness,
    check_after_kill,
    connect,
    env_int,
    open_session,
)
from tests.station.packfixtures import MUG, build_db, make_service

KILLS = env_int("STATION_CRASH_KILLS", 50)
SEED = env_int("STATION_CRASH_SEED", 20261124)


@pytest.mark.slow
def test_random_sigkills_lose_nothing_reported_and_leave_nothing_half_written(
    tmp_path: Path,
) -> None:
    db_path = tmp_path / "crash.sqlite"
    db = open_database(db_path)
    seed_demo(db, 150, products=60, seed=3, station=STATION)
    db.close()
    config = tmp_path / "station.toml"
    # Photos required: a package must never close without its photo, whatever the kill hits.
    config.write_text('[photos]\nmode = "required"\n')
    harness = CrashHarness(
        db_path, config, kills=KILLS, seed=SEED, fork=env_int("STATION_CRASH_FORK", 1) == 1
    )
    report = harness.run()
    print(json.dumps({"crash_harness": report.to_json()}))
    assert report.problems == []
    assert report.kills == KILLS
    # The kills landed in real work: orders were resumed, packed and labelled across them.
    assert report.resumes_checked > 0
    assert report.orders_packed > 0 and report.commits_reported > report.kills


def test_the_checks_find_a_lost_scan_a_lost_event_and_a_half_written_package(
    tmp_path: Path,
) -> None:
    """The harness's checks are not blind: each breakage below is named."""
    path = tmp_path / "broken.sqlite"
    db = build_db(path)
    service = make_service(db, station=STATION)
    answers = [service.scan(code) for code in ("SO-1001", MUG, MUG)]
    service.close()
    db.close()
    scan_ids = {a.scan_id for a in answers if a.scan_id is not None}
    photos = tmp_path / "photos"
    assert check_after_kill(path, photos, scan_ids, 4) == []  # pack.started, 3 scans
    with connect(path) as con:
        held = open_session(con, STATION)
    assert held is not None and (held.order, held.package, held.lines) == (
        "SO-1001",
        1,
        [[1, 2], [2, 0]],
    )

    problems = check_after_kill(path, photos, scan_ids | {999}, 99)
    assert "scans reported committed but not stored: [999]" in problems
    assert "outbox seq 99 was reported committed, the counter is 4" in problems
    with connect(path) as con:
        con.execute("DELETE FROM outbox WHERE station_seq = 2")
        con.execute("UPDATE packages SET status = 'closed'")  # closed, never weighed
    problems = check_after_kill(path, photos, scan_ids, 4)
    assert "outbox seq missing: [(2, 2)]" in problems
    assert any(p.startswith("scans without their scan.recorded event") for p in problems)
    assert any(p.startswith("closed packages not weighed") for p in problems)
    assert any(p.startswith("closed packages without a photo") for p in problems)
