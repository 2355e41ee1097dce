"""The shift dashboard's figures, on a database written by the real pack and returns engines.

A day in Berlin (UTC+1 in November), "now" 2026-11-24 16:00 local:
- SO-1001 (2 MUG + 1 TEE: mixed) by alice at bench-1, opened 00:30 local (23:30 UTC the day
  before, so UTC would file it under yesterday), one wrong item scanned, box BOX-M scanned,
  weighed light (mismatch) then right; 120 s.
- SO-1007 (30 MUG: multi-unit) by alice at bench-1, 11:00 local: two mugs and the 28 others
  shipped short with a supervisor's approval; 90 s.
- SO-1008 (1 PHONE: single) by bob at bench-2, 12:00 local; 40 s.
- SO-1003 (VITAMINS + GLUE: mixed) by alice at bench-1 four days earlier; 60 s (the week only).
- One MUG of SO-1001 returned and inspected by ines at returns-1, 14:00 local: grade A, restock.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

import pytest

from drivers.scale.model import ScaleReading, ScaleState
from station.barcodes import Interpreter
from station.cli.main import main as station_main
from station.config import BarcodeSettings, PackingSettings, WeightSettings
from station.config.returns import ReturnSettings
from station.dashboard import OrderMix, load_dashboard, period_for
from station.dashboard.queries import QUERIES
from station.db import Database, open_database
from station.db.migrate import backup_sqlite
from station.db.models import Role
from station.packing.approvals import badge_and_pin_approver
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from station.returns.rmas import RmaLine
from station.returns.service import InspectionService
from station.returns.verdicts import ReturnVerdict
from station.tools.benchmarks import dashboard as dashboard_benchmark
from station.users import create_user
from tests.station.packfixtures import GLUE, MUG, PHONE, STRAY, TEE, VITAMINS, build_db

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)  # 16:00 in Berlin
SEALED = {
    "packaging_intact": True,
    "accessories": True,
    "functions": None,
    "cosmetic_damage": False,
    "hygiene_seal": None,
}


@dataclass
class Clock:
    """The engines' clock, moved by the test."""

    now: datetime

    def __call__(self) -> datetime:
        return self.now


def stable(grams: float) -> ScaleReading:
    return ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams:10.0f} g", unit_raw="g")


def packer(db: Database, clock: Clock, station: str) -> PackService:
    proof = ProofOptions(weight=WeightSettings(), require_weight=True)
    return PackService(
        db,
        Interpreter(BarcodeSettings()),
        PackingSettings(),
        station,
        clock=clock,
        approver=badge_and_pin_approver(db),
        proof=proof,
    )


def expect(outcome: object, verdict: Verdict) -> None:
    assert getattr(outcome, "verdict", None) is verdict, outcome


def pack_day(path: Path) -> Database:
    db = build_db(path)
    with db.session() as s:
        create_user(s, "bob", Role.PACKER, badge="BADGE-BOB")
        create_user(s, "ines", Role.INSPECTOR, badge="BADGE-INES")
        s.commit()
    clock = Clock(datetime(2026, 11, 20, 14, 0, tzinfo=UTC))
    one = packer(db, clock, "bench-1")
    expect(one.scan("BADGE-ALICE"), Verdict.USER_CHANGED)
    # Four days before: SO-1003, lot and expiry in one GS1 code each.
    expect(one.scan("SO-1003"), Verdict.ORDER_OPENED)
    expect(one.scan(f"]C101{VITAMINS.zfill(14)}17271231" + "10LOT-V1"), Verdict.ACCEPTED)
    expect(one.scan(f"]C101{GLUE.zfill(14)}10LOT-G1"), Verdict.ACCEPTED)
    expect(one.record_weight(stable(395)), Verdict.WEIGHT_PASS)
    clock.now += timedelta(seconds=60)
    expect(one.complete(), Verdict.COMPLETED)
    # 00:30 local today (23:30 UTC yesterday): SO-1001 with a wrong item and a weight mismatch.
    clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    expect(one.scan("SO-1001"), Verdict.ORDER_OPENED)
    for code, verdict in ((MUG, Verdict.ACCEPTED), (STRAY, Verdict.WRONG_ITEM)):
        expect(one.scan(code), verdict)
    for code in (MUG, TEE):
        expect(one.scan(code), Verdict.ACCEPTED)
    expect(one.scan("BOX-M"), Verdict.BOX_SELECTED)
    expect(one.record_weight(stable(396)), Verdict.WEIGHT_MISMATCH)
    expect(one.record_weight(stable(500)), Verdict.WEIGHT_PASS)
    clock.now += timedelta(seconds=120)
    expect(one.complete(), Verdict.COMPLETED)
    # 11:00 local: SO-1007, two mugs, 28 shipped short with sam's approval.
    clock.now = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    expect(one.scan("SO-1007"), Verdict.ORDER_OPENED)
    for _ in range(2):
        expect(one.scan(MUG), Verdict.ACCEPTED)
    expect(one.short_ship(1, 28, "out_of_stock", "BADGE-SAM"), Verdict.EXCEPTION_RECORDED)
    expect(one.record_weight(stable(395)), Verdict.WEIGHT_PASS)
    clock.now += timedelta(seconds=90)
    expect(one.complete(), Verdict.COMPLETED)
    one.close()
    # 12:00 local: bob packs SO-1008 at bench-2.
    clock.now = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    two = packer(db, clock, "bench-2")
    expect(two.scan("BADGE-BOB"), Verdict.USER_CHANGED)
    expect(two.scan("SO-1008"), Verdict.ORDER_OPENED)
    expect(two.scan(f"]C101{PHONE.zfill(14)}21SN-1"), Verdict.ACCEPTED)
    expect(two.record_weight(stable(295)), Verdict.WEIGHT_PASS)
    clock.now += timedelta(seconds=40)
    expect(two.complete(), Verdict.COMPLETED)
    two.close()
    # 14:00 local: a mug of SO-1001 comes back; ines grades it A, restocked.
    clock.now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    settings = BarcodeSettings()
    ret = InspectionService(
        db, Interpreter(settings), ReturnSettings(), settings, "returns-1", clock=clock
    )
    ret.scan("BADGE-INES")
    assert ret.create_rma("SO-1001", [RmaLine("MUG", 1, "changed_mind")]).item is None
    received = ret.scan(MUG)
    assert received.item is not None, received
    graded = ret.assess(received.item.id, SEALED, observed_reason="no_fault_found")
    assert graded.verdict is ReturnVerdict.ASSESSED, graded
    ret.dispose(received.item.id)
    assert ret.complete().verdict is ReturnVerdict.COMPLETED
    ret.close()
    return db


@pytest.fixture(scope="module")
def day_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dashboard") / "day.sqlite"
    pack_day(path).close()
    return path


@pytest.fixture
def db(day_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(backup_sqlite(day_template, tmp_path / "d.sqlite"))
    yield database
    database.close()


def test_today_in_local_time(db: Database) -> None:
    board = load_dashboard(db, 1, now=NOW, tz=BERLIN)
    t = board.total
    assert board.period.start == datetime(2026, 11, 23, 23, 0, tzinfo=UTC)
    assert (t.packs, t.active_hours, t.packs_per_hour) == (3, 3, 1.0)
    assert (t.scans, t.wrong_scans) == (7, 1)
    assert t.scan_accuracy == pytest.approx(6 / 7)
    assert t.exceptions == {"short_ship": 1}
    assert (t.weighed_packages, t.mismatched_packages) == (3, 1)
    assert t.weight_mismatch_rate == pytest.approx(1 / 3)
    # julianday() arithmetic is good to about 0.1 ms.
    times = {m.value: (t.time_of(m).orders, round(t.time_of(m).median_s or 0, 3)) for m in OrderMix}
    assert times == {"single": (1, 40.0), "multi_unit": (1, 90.0), "mixed": (1, 120.0)}
    # Only SO-1001 named its box: 3 units without sizes (5 cm cubes) in 300 x 200 x 150 mm.
    assert t.boxed_packages == 1
    assert t.box_utilisation == pytest.approx(3 * 125_000 / 9_000_000)
    assert t.utilisation_bands == (1, 0, 0, 0)
    assert (t.return_grades, t.return_dispositions) == ({"A": 1}, {"restock": 1})
    # 24 local hours; the packs fell at 00, 11 and 12 o'clock.
    assert [s.start.hour for s in board.throughput] == list(range(24))
    assert {s.start.hour: s.packs for s in board.throughput if s.packs} == {0: 1, 11: 1, 12: 1}


def test_per_user_and_per_bench(db: Database) -> None:
    board = load_dashboard(db, 1, now=NOW, tz=BERLIN)
    users = {g.name: g.figures for g in board.by_user}
    assert list(users) == ["alice", "bob", "ines"]
    alice, bob, ines = users["alice"], users["bob"], users["ines"]
    assert (alice.packs, alice.scans, alice.wrong_scans, alice.exception_count) == (2, 6, 1, 1)
    assert (alice.weighed_packages, alice.mismatched_packages) == (2, 1)
    assert (bob.packs, bob.scans, bob.scan_accuracy, bob.weight_mismatch_rate) == (1, 1, 1.0, 0.0)
    assert (ines.packs, ines.returns_inspected, ines.scan_accuracy) == (0, 1, None)
    benches = {g.name: g.figures for g in board.by_station}
    assert list(benches) == ["bench-1", "bench-2", "returns-1"]
    assert [benches[b].packs for b in benches] == [2, 1, 0]
    assert benches["bench-1"].time_of(OrderMix.MULTI_UNIT).orders == 1
    assert benches["returns-1"].return_grades == {"A": 1}


def test_the_last_seven_days_by_day(db: Database) -> None:
    board = load_dashboard(db, 7, now=NOW, tz=BERLIN)
    t = board.total
    assert (t.packs, t.active_hours, t.scans, t.wrong_scans) == (4, 4, 9, 1)
    assert t.time_of(OrderMix.MIXED).orders == 2
    assert t.time_of(OrderMix.MIXED).median_s == pytest.approx(90.0)  # (120 + 60) / 2
    days = [(s.start.strftime("%m-%d"), s.packs, s.active_hours) for s in board.throughput]
    assert days == [
        ("11-18", 0, 0),
        ("11-19", 0, 0),
        ("11-20", 1, 1),
        ("11-21", 0, 0),
        ("11-22", 0, 0),
        ("11-23", 0, 0),
        ("11-24", 3, 3),
    ]
    assert all(s.start.hour == 0 and s.start.tzinfo is not None for s in board.throughput)


def test_utc_cuts_the_day_elsewhere(db: Database) -> None:
    # In UTC, SO-1001 (23:30 UTC on the 23rd) belongs to yesterday.
    board = load_dashboard(db, 1, now=NOW, tz=UTC)
    assert board.total.packs == 2 and board.total.wrong_scans == 0


def test_an_empty_day_has_no_ratios(tmp_path: Path) -> None:
    db = open_database(tmp_path / "empty.sqlite")
    try:
        t = load_dashboard(db, 7, now=NOW, tz=BERLIN).total
    finally:
        db.close()
    assert (t.packs, t.scans, t.exception_count, t.returns_inspected) == (0, 0, 0, 0)
    ratios = (t.packs_per_hour, t.scan_accuracy, t.weight_mismatch_rate, t.box_utilisation)
    assert ratios == (None, None, None, None)
    assert t.time_of(OrderMix.SINGLE).median_s is None


def test_a_day_with_a_clock_change_has_its_real_hours() -> None:
    # 2026-03-29: Berlin moves from UTC+1 to UTC+2 at 02:00, so the day has 23 hours.
    period = period_for(1, datetime(2026, 3, 29, 12, 0, tzinfo=UTC), BERLIN)
    assert len(period.hours) == 23
    assert [h.start.hour for h in period.hours[:4]] == [0, 1, 3, 4]
    assert period.end - period.start == timedelta(hours=23)
    with pytest.raises(ValueError, match="1 \\(today\\) or 7"):
        period_for(3, NOW, BERLIN)


def test_every_query_reads_its_period_through_an_index(db: Database) -> None:
    """On a big database a query that scans a whole table gets slow: none may."""
    big = ("scans", "pack_sessions", "packages", "weight_readings", "exceptions", "return_items")
    con = sqlite3.connect(db.path)

    class Planner:
        """A cursor that answers each query with its plan."""

        plans: ClassVar[list[str]] = []

        def execute(self, sql: str, args: object) -> Planner:
            rows = con.execute(f"EXPLAIN QUERY PLAN {sql}", args).fetchall()  # type: ignore[arg-type]
            self.plans.append(" / ".join(r[3] for r in rows))
            return self

        def fetchall(self) -> list[object]:
            return []

    period = period_for(7, NOW, BERLIN)
    try:
        for query in QUERIES:
            query(Planner(), period)  # type: ignore[arg-type]
    finally:
        con.close()
    assert len(Planner.plans) == len(QUERIES)
    time_indexes = (
        "ix_pack_sessions_ended_at",
        "ix_scans_created_at",
        "ix_exceptions_created_at",
        "ix_weight_readings_created_at",
        "ix_packages_closed_at",
        "ix_return_items_created_at",
    )
    for plan in Planner.plans:
        for table in big:
            assert f"SCAN {table}" not in plan, plan
        # A status index reads nearly the whole table (almost everything is completed).
        assert "_status" not in plan, plan
        assert any(f"USING INDEX {index} (" in plan for index in time_indexes), plan
        # A per-row subquery (order mix, box utilisation) runs once per row, not per use.
        assert plan.count("CORRELATED SCALAR SUBQUERY") <= 1, plan


@pytest.fixture
def berlin_machine() -> Iterator[None]:
    """The process's own time zone set to Berlin (the command line uses the machine's)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_cli_prints_the_same_figures(
    db: Database, capsys: pytest.CaptureFixture[str], berlin_machine: None
) -> None:
    board = load_dashboard(db, 7, now=NOW, tz=BERLIN)
    at = ["--at", "2026-11-24T16:00"]  # local (Berlin) time: NOW
    assert station_main(["--db", str(db.path), "dashboard", "--days", "7", *at, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == json.loads(json.dumps(board.to_json()))
    assert out["total"]["scans"] == 9 and out["total"]["seconds_per_order"]["mixed"] == {
        "orders": 2,
        "median_s": 90.0,
    }
    assert [u["user"] for u in out["by_user"]] == ["alice", "bob", "ines"]
    assert station_main(["--db", str(db.path), "dashboard", *at]) == 0
    text = capsys.readouterr().out
    assert "Packs per hour     1.0 (3 packs in 3 active hours)" in text
    assert "Scan accuracy      85.7 % (1 wrong of 7 scans)" in text
    assert "  00:00      1" in text and "bench-2" in text


def test_cli_names_a_bad_time(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        station_main(["--db", str(tmp_path / "x.sqlite"), "dashboard", "--at", "noon"])
    assert "'noon': expected an ISO 8601 time" in capsys.readouterr().err


def test_the_benchmark_runs_on_a_small_history() -> None:
    result = dashboard_benchmark.run(history=3, per_day=48, runs=1)
    rows = result["rows"]
    assert rows == {
        "pack_sessions": 144,
        "scans": 576,
        "weight_readings": 144,
        "return_items": 7,
    }
    for key in ("today", "last_7_days", "today_without_0005", "last_7_days_without_0005"):
        figures = result[key]
        assert isinstance(figures, dict) and figures["p50_ms"] > 0
