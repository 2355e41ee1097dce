"""``station simulate-returns`` and ``station inspect`` through the command's entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from station.cli.main import main
from tests.station.packfixtures import MUG
from tests.station.returns.test_settings import CUSTOM


def last_json(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out = capsys.readouterr().out.strip().splitlines()
    decoded: dict[str, object] = json.loads(out[-1])
    return decoded


def test_simulate_returns_packs_first_then_inspects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "sim.sqlite")
    assert main(["--db", db, "simulate-returns", "--count", "6", "--seed", "2", "--json"]) == 0
    first = last_json(capsys)
    assert first["parcels"] == 6 and first["packed_first"] == 6
    items = first["items_inspected"]
    assert isinstance(items, int) and items >= 6
    grades = first["grades"]
    assert isinstance(grades, dict) and sum(grades.values()) == items
    assert set(grades) <= {"A", "B", "C", "D", "F"}
    for key in ("verdicts", "dispositions", "refunds", "fraud_flags"):
        assert key in first
    # Again on the same database: new orders are packed, the returned ones are not reused.
    assert main(["--db", db, "simulate-returns", "--count", "2", "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert "parcels inspected: 2" in text and "fraud flags:" in text


def test_simulate_returns_with_a_custom_scale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "station.toml"
    config.write_text(CUSTOM.replace('reasons = ["unwanted", "faulty", "other"]', ""))
    db = str(tmp_path / "sim.sqlite")
    args = ["--db", db, "--config", str(config), "simulate-returns", "--count", "4", "--json"]
    assert main(args) == 0
    summary = last_json(capsys)
    grades = summary["grades"]
    assert isinstance(grades, dict) and set(grades) <= {"Mint", "Good", "Scrap"}


def test_simulate_returns_refuses_a_count_below_one(tmp_path: Path) -> None:
    assert main(["--db", str(tmp_path / "s.sqlite"), "simulate-returns", "--count", "0"]) == 2


def test_inspect_reads_scans_and_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.station.returns.returnfixtures import packed_db

    db = tmp_path / "i.sqlite"
    packed_db(db).close()
    lines = [
        ":open RL-5001",
        MUG,
        ":assess 1 packaging_intact=y accessories=y functions=na cosmetic_damage=n"
        " hygiene_seal=na reason=no_fault_found notes=looks new",
        ":override 1 resell_open_box partial:80 by=BADGE-SUE box dented",
        ":dispose 1",
        ":assess 1 bogus",
        ":fly",
        ":complete",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--db", str(db), "inspect", "--user", "BADGE-SAM", "--json"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a.get("verdict", "error") for a in answers] == [
        "rma_opened",
        "expected",
        "assessed",
        "overridden",
        "disposed",
        "error",
        "error",
        "completed",
    ]
    item = answers[3]["item"]
    assert item["disposition"] == "resell_open_box" and item["refund_pct"] == 80


def test_inspect_holds_a_graded_unit_undo_would_have_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.station.returns.returnfixtures import packed_db

    db = tmp_path / "h.sqlite"
    packed_db(db).close()
    lines = [
        ":open RL-5001",
        MUG,
        ":assess 1 packaging_intact=n accessories=y functions=n",  # grade F: photo first
        ":dispose 1",
        ":undo",
        ":hold 1 photo needed, no camera at this bench",
        ":complete",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["--db", str(db), "inspect", "--user", "BADGE-SAM", "--json"]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [a.get("verdict") for a in answers] == [
        "rma_opened",
        "expected",
        "assessed",
        "photo_required",
        "nothing_to_undo",
        "held",
        "completed",
    ]
    assert answers[-1]["missing"] == {}
    assert answers[-1]["held"] == [
        {"item": 1, "sku": "MUG", "reason": "photo needed, no camera at this bench"}
    ]
