"""``station enroll`` and ``station sync`` against a real hub, in process."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from station.cli.main import main
from station.db import open_database
from station.sync.state import HUB_TOKEN, HUB_URL, read_setting
from tests.hub.hubfixtures import HubUnderTest
from tests.station.packfixtures import make_service

KEYS = {"pushed", "pending", "rejected", "pulled"}


@pytest.fixture(autouse=True)
def _station_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_NAME", "bench-7")


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, list[str], str]:
    status = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return status, out.splitlines(), err


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_enroll_then_sync_once_and_until_idle(
    hub: HubUnderTest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "station.sqlite"
    status, lines, _ = run(capsys, db, "enroll", "--hub", hub.url, "--code", hub.code("bench-7"))
    assert status == 0 and lines == [f"enrolled station bench-7 with {hub.url}"]
    status, lines, _ = run(capsys, db, "sync", "--once", "--json")
    once = json.loads(lines[-1])
    assert status == 0 and set(once) >= KEYS
    assert (once["pushed"], once["pending"], once["rejected"], once["pulled"]) == (0, 0, 0, 8)
    station = open_database(db)
    try:
        svc = make_service(station, station="bench-7")
        svc.scan("SO-1002")
        svc.close()
    finally:
        station.close()
    status, lines, _ = run(capsys, db, "sync", "--until-idle", "--json")
    idle = json.loads(lines[-1])
    assert status == 0
    assert (idle["pushed"], idle["pending"], idle["rejected"], idle["online"]) == (2, 0, 0, True)


def test_a_wrong_code_is_refused_and_nothing_is_stored(
    hub: HubUnderTest,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "station.sqlite"
    code = hub.code("bench-8")  # for another station
    status, _, err = run(capsys, db, "enroll", "--hub", hub.url, "--code", code)
    assert status == 1 and "for station 'bench-8'" in err
    status, _, err = run(capsys, db, "enroll", "--hub", hub.url, "--code", "AAAA-BBBB-CCCC-DDDD")
    assert status == 1 and "invalid_code" in err
    station = open_database(db)
    try:
        assert read_setting(station, HUB_TOKEN) is None
    finally:
        station.close()
    # The code for bench-8 was not spent by the mismatch: bench-8 can still use it.
    monkeypatch.setenv("STATION_NAME", "bench-8")
    assert (
        run(capsys, tmp_path / "other.sqlite", "enroll", "--hub", hub.url, "--code", code)[0] == 0
    )
    # ...once.
    assert (
        run(capsys, tmp_path / "third.sqlite", "enroll", "--hub", hub.url, "--code", code)[0] == 1
    )


def test_hub_overrides_the_enrolled_address_for_one_run(
    hub: HubUnderTest, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "station.sqlite"
    assert run(capsys, db, "enroll", "--hub", hub.url, "--code", hub.code("bench-7"))[0] == 0
    dead = f"http://127.0.0.1:{closed_port()}"
    status, lines, _ = run(
        capsys, db, "sync", "--until-idle", "--hub", dead, "--json", "--timeout", "1"
    )
    offline = json.loads(lines[-1])
    assert status == 1
    assert (offline["online"], offline["pulled"]) == (False, 0)
    assert "unreachable" in offline["last_error"]
    station = open_database(db)
    try:
        assert read_setting(station, HUB_URL) == hub.url  # the override was for that run only
    finally:
        station.close()
    status, lines, _ = run(capsys, db, "sync", "--once", "--hub", hub.url, "--json")
    assert status == 0 and json.loads(lines[-1])["pulled"] == 8


def test_sync_without_enrolment_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, lines, _ = run(capsys, tmp_path / "s.sqlite", "sync", "--once", "--json")
    result = json.loads(lines[-1])
    assert status == 1
    assert "station enroll --hub URL --code CODE" in result["last_error"]


@pytest.mark.slow
def test_sync_runs_until_terminated(hub: HubUnderTest, tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    env = {**os.environ, "STATION_NAME": "bench-7", "PYTHONUNBUFFERED": "1"}
    station = [sys.executable, "-m", "station.cli.main", "--db", str(db)]
    code = hub.code("bench-7")
    subprocess.run([*station, "enroll", "--hub", hub.url, "--code", code], env=env, check=True)
    proc = subprocess.Popen(
        [*station, "sync", "--interval", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first == "online: 0 pending, 0 rejected\n"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
        if proc.stdout:
            proc.stdout.close()
    assert proc.returncode == 0
