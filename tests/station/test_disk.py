"""`station db disk`: disk used per day and days left, on a database a simulated packer filled."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main
from station.db import open_database
from station.tools.demo import seed_demo


def query(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(sql).fetchone()[0] or 0)
    finally:
        con.close()


@pytest.fixture
def packed(tmp_path: Path) -> list[str]:
    """Options of a demo database on which `station simulate` packed 4 orders with photos."""
    db = open_database(tmp_path / "station.sqlite")
    seed_demo(db, 8, products=40, seed=3, station="bench-1")
    db.close()
    config = tmp_path / "station.toml"
    config.write_text("[photos]\nretention_days = 30\n")
    options = ["--config", str(config), "--db", str(tmp_path / "station.sqlite")]
    assert main([*options, "simulate", "--orders", "4", "--mistakes", "0"]) == 0
    return options


def disk_json(
    options: list[str], capsys: pytest.CaptureFixture[str], *extra: str
) -> dict[str, float]:
    capsys.readouterr()
    assert main([*options, "db", "disk", "--json", *extra]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert any(line.startswith("written per day") for line in lines)
    figures: dict[str, float] = json.loads(lines[-1])
    return figures


def test_a_new_bench_is_averaged_over_one_day(
    packed: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "station.sqlite"
    figures = disk_json(packed, capsys)
    photos = query(path, "SELECT sum(size_bytes) FROM photos")
    assert photos > 0
    assert figures["days"] == 1.0  # younger than a day: not spread over a week of nothing
    assert figures["photo_bytes"] == figures["photos_per_day_bytes"] == photos
    # Every scan is recent: the whole database was written in this one day.
    assert figures["database_per_day_bytes"] == figures["database_bytes"] > 0
    per_day = figures["per_day_bytes"]
    assert per_day == round(photos + figures["database_bytes"])
    free = shutil.disk_usage(tmp_path).free
    assert figures["days_left"] == pytest.approx(free / per_day, rel=0.01)
    assert figures["photos_at_retention_bytes"] == photos * 30


def test_older_work_counts_only_inside_the_period(
    packed: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "station.sqlite"
    con = sqlite3.connect(path)
    # Half the scans and the first photo were taken a month ago.
    con.execute(
        "UPDATE scans SET created_at = '2000-01-01 00:00:00.000000'"
        " WHERE id <= (SELECT max(id) / 2 FROM scans)"
    )
    con.execute(
        "UPDATE photos SET created_at = '2000-01-01 00:00:00.000000'"
        " WHERE id = (SELECT min(id) FROM photos)"
    )
    con.commit()
    con.close()
    figures = disk_json(packed, capsys, "--days", "7")
    recent = query(
        path, "SELECT sum(size_bytes) FROM photos WHERE created_at > '2001-01-01 00:00:00'"
    )
    scans = query(path, "SELECT count(*) FROM scans")
    young = query(path, "SELECT count(*) FROM scans WHERE created_at > '2001-01-01 00:00:00'")
    assert figures["days"] == 7.0
    assert figures["photos_per_day_bytes"] == pytest.approx(recent / 7, abs=0.1)
    assert figures["database_per_day_bytes"] == pytest.approx(
        figures["database_bytes"] * young / scans / 7, abs=0.1
    )


def test_no_database_is_said_plainly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "none.sqlite"), "db", "disk"]) == 1
    assert "no database at" in capsys.readouterr().err
