"""`station simulate` through `station.cli.main.main` on a seeded demo database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from station.cli.main import main
from station.db import open_database
from station.tools.demo import seed_demo


def count(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


@pytest.fixture
def demo(tmp_path: Path) -> list[str]:
    """``--config`` (empty: the defaults) and ``--db`` of a demo database with 12 orders."""
    db = open_database(tmp_path / "station.sqlite")
    seed_demo(db, 12, products=60, seed=2, station="bench-1")
    db.close()
    config = tmp_path / "station.toml"
    config.write_text("")
    return ["--config", str(config), "--db", str(tmp_path / "station.sqlite")]


def test_simulate_json_agrees_with_the_database(
    demo: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "station.sqlite"
    events_before = count(path, "SELECT count(*) FROM outbox")
    status = main([*demo, "simulate", "--orders", "5", "--mistakes", "0.3", "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    assert status == 0
    figures = json.loads(out[-1])
    assert figures["orders_packed"] == 5 == figures["orders_requested"]
    assert figures["orders_packed"] == count(
        path, "SELECT count(*) FROM orders WHERE status = 'packed'"
    )
    assert figures["labels_printed"] == count(
        path, "SELECT count(*) FROM print_jobs WHERE status = 'done'"
    )
    assert figures["labels_printed"] == figures["labels_queued"] >= 10  # a label and a slip each
    assert figures["scans"] == count(path, "SELECT count(*) FROM scans")
    assert figures["photos"] == count(path, "SELECT count(*) FROM photos") == figures["packages"]
    assert figures["events_written"] == count(path, "SELECT count(*) FROM outbox") - events_before
    assert figures["seconds"] > 0
    problems = figures["exceptions_by_type"]
    for verdict in ("wrong_item", "over_scan"):
        sql = f"SELECT count(*) FROM scans WHERE verdict = '{verdict}'"
        assert problems.get(verdict, 0) == count(path, sql)
    fails = count(path, "SELECT count(*) FROM weight_readings WHERE decision = 'fail'")
    assert problems.get("weight_mismatch", 0) == fails
    overrides = count(path, "SELECT count(*) FROM exceptions WHERE kind = 'weight_override'")
    assert problems.get("weight_override", 0) == overrides
    assert set(figures["mistakes"]) <= {"wrong_item", "over_scan", "wrong_weight"}
    assert sum(figures["mistakes"].values()) > 0  # seed 1 at 0.3 makes some
    assert problems.get("wrong_item", 0) >= figures["mistakes"].get("wrong_item", 0)
    assert any(line.startswith("simulated packer at bench-1: 5 of 5") for line in out)


def test_simulate_says_when_nothing_is_packable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text("")
    args = ["--config", str(config), "--db", str(tmp_path / "empty.sqlite")]
    assert main([*args, "simulate", "--orders", "3"]) == 1
    assert "no packable orders" in capsys.readouterr().err
    assert count(tmp_path / "empty.sqlite", "SELECT count(*) FROM orders") == 0
    # With --demo-data it adds the orders it needs, then packs them.
    assert main([*args, "simulate", "--orders", "2", "--demo-data", "--mistakes", "0"]) == 0
    assert (
        count(tmp_path / "empty.sqlite", "SELECT count(*) FROM orders WHERE status = 'packed'") == 2
    )
