"""`station pack --weigh --labels`: the configured scale weighs, completion queues the labels."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from station.cli.main import main
from station.db import Database
from tests.station.packfixtures import MUG, TEE
from tests.station.simulate.packing import rows

CONFIG = """
[station]
name = "bench-1"

[devices.scale]
kind = "emulated"
demo_weight = "{kg}"
poll_interval_s = 0.02
"""


def pack(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kg: str, *flags: str
) -> list[str]:
    config = tmp_path / "station.toml"
    config.write_text(CONFIG.format(kg=kg))
    scans = ["BADGE-ALICE", "SO-1001", MUG, MUG, TEE, "BOX-M", "CMD-COMPLETE"]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(scans) + "\n"))
    args = ["--config", str(config), "--db", str(db.path), "pack", *flags]
    assert main(args) == 0
    return [str(v) for (v,) in rows(db, "SELECT verdict FROM scans ORDER BY id")]


def test_pack_weighs_on_the_configured_scale_and_queues_labels(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = pack(db, tmp_path, monkeypatch, "0.497", "--weigh", "--labels")
    assert verdicts[-1] == "completed"
    readings = rows(db, "SELECT weight_g, decision FROM weight_readings")
    assert readings == [(497.0, "pass")]
    jobs = rows(db, "SELECT template, status, printer FROM print_jobs ORDER BY id")
    assert jobs == [("shipping", "queued", "printer"), ("packing-slip", "queued", "printer")]


def test_a_wrong_weight_stops_the_pack(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdicts = pack(db, tmp_path, monkeypatch, "0.397", "--weigh", "--labels")
    # The mismatch stops the close (as in the window): CMD-COMPLETE is not stored.
    assert verdicts[-1] == "box_selected"
    assert rows(db, "SELECT decision FROM weight_readings") == [("fail",)]
    assert rows(db, "SELECT count(*) FROM print_jobs") == [(0,)]


def test_without_flags_nothing_is_weighed_or_queued(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pack(db, tmp_path, monkeypatch, "0.100")[-1] == "completed"
    assert rows(db, "SELECT count(*) FROM weight_readings") == [(0,)]
    assert rows(db, "SELECT count(*) FROM print_jobs") == [(0,)]
