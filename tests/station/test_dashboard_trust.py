"""Dashboard figures a supervisor can trust: each one recomputed from the raw tables.

A day in Berlin (UTC+1), packed through the bench object (``PackBench``) as a packer would:
- 09:00 alice packs SO-1001 (mixed) at bench-1: a mug scanned and undone, a stray item
  (wrong, acknowledged), 40 s;
- 10:00 alice packs SO-1003 (mixed), 50 s;
- 14:00 alice opens SO-1002 (2 phones), packs one, a supervisor records the other as damaged
  and not replaced (the shelf is empty), and she completes it after a break: 735 s.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import cast

import pytest

from drivers.scale.worker import ScaleUpdate
from station.barcodes import Interpreter
from station.cli.dashboard import _moment
from station.cli.main import main as station_main
from station.config import BarcodeSettings
from station.dashboard import load_dashboard
from station.db import Database, open_database
from station.db.migrate import backup_sqlite
from station.packing.bench import PackBench, Reply
from station.packing.verdicts import Verdict
from tests.station.packfixtures import GLUE, MUG, PHONE, STRAY, TEE, VITAMINS, build_db
from tests.station.test_dashboard import BERLIN, Clock, berlin_machine, packer, stable

__all__ = ["berlin_machine"]  # the fixture, used by name below

DAY = date(2026, 11, 24)
EVENING = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # 18:00 in Berlin
NOON = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)  # 12:00 in Berlin


def said(reply: Reply | None, verdict: Verdict) -> None:
    assert reply is not None and getattr(reply.result, "verdict", None) is verdict, reply


def weigh(bench: PackBench, grams: float) -> None:
    said(bench.weigh_reading(ScaleUpdate(stable(grams), True, 0.0)), Verdict.WEIGHT_PASS)


def pack_the_day(path: Path) -> None:
    db = build_db(path)
    clock = Clock(datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    bench = PackBench(packer(db, clock, "bench-1"), Interpreter(BarcodeSettings()))
    said(bench.scan("BADGE-ALICE"), Verdict.USER_CHANGED)
    said(bench.scan("SO-1001"), Verdict.ORDER_OPENED)
    said(bench.scan(MUG), Verdict.ACCEPTED)
    said(bench.scan("CMD-UNDO"), Verdict.UNDONE)
    said(bench.scan(STRAY), Verdict.WRONG_ITEM)
    said(bench.acknowledge(), Verdict.CONFIRMED)
    for code in (MUG, MUG, TEE):
        said(bench.scan(code), Verdict.ACCEPTED)
    weigh(bench, 500)
    clock.now += timedelta(seconds=40)
    said(bench.scan("CMD-COMPLETE"), Verdict.COMPLETED)

    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    said(bench.scan("SO-1003"), Verdict.ORDER_OPENED)
    said(bench.scan(f"]C101{VITAMINS.zfill(14)}17271231" + "10LOT-V1"), Verdict.ACCEPTED)
    said(bench.scan(f"]C101{GLUE.zfill(14)}10LOT-G1"), Verdict.ACCEPTED)
    weigh(bench, 395)
    clock.now += timedelta(seconds=50)
    said(bench.scan("CMD-COMPLETE"), Verdict.COMPLETED)

    clock.now = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    said(bench.scan("SO-1002"), Verdict.ORDER_OPENED)
    said(bench.scan(f"]C101{PHONE.zfill(14)}21SN-9"), Verdict.ACCEPTED)
    damaged = bench.report_damage(1, "broken", "BADGE-SAM", quantity=1, replaced=False)
    said(damaged, Verdict.EXCEPTION_RECORDED)
    weigh(bench, 295)
    clock.now += timedelta(seconds=735)  # left open over a break
    said(bench.scan("CMD-COMPLETE"), Verdict.COMPLETED)
    bench.service.close()
    db.close()


@pytest.fixture(scope="module")
def day_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("trust") / "day.sqlite"
    pack_the_day(path)
    return path


@pytest.fixture
def db(day_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = open_database(backup_sqlite(day_template, tmp_path / "d.sqlite"))
    yield database
    database.close()


def raw(db: Database, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(db.path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def stamp(text: object) -> datetime:
    return datetime.fromisoformat(str(text)).replace(tzinfo=UTC)


def test_figures_agree_with_the_raw_tables(db: Database) -> None:
    t = load_dashboard(db, 1, now=EVENING, tz=BERLIN).total
    sessions = raw(db, "SELECT started_at, ended_at FROM pack_sessions WHERE status='completed'")
    seconds = [(stamp(b) - stamp(a)).total_seconds() for a, b in sessions]
    assert sorted(seconds) == pytest.approx([40.0, 50.0, 735.0])
    assert t.packs == len(sessions) == 3
    # Seconds per order: the median, which the break does not move (the mean would be 275 s).
    assert t.median_order_s == pytest.approx(statistics.median(seconds)) == pytest.approx(50.0)

    # Accuracy: item decisions that still stand; the undone mug decided nothing.
    scans = raw(db, "SELECT verdict, undone FROM scans")
    standing = [v for v, undone in scans if not undone and v in ("accepted", "wrong_item")]
    assert ("accepted", 1) in scans  # the undone scan is in the table...
    assert (t.scans, t.wrong_scans) == (len(standing), standing.count("wrong_item")) == (7, 1)
    assert t.scan_accuracy == pytest.approx(6 / 7)  # ...and not counted (7/8 if it were)

    # A damaged phone not replaced is one exception, charged once to the packer who asked.
    rows = raw(db, "SELECT e.kind, u.name FROM exceptions e JOIN users u ON u.id = e.requested_by")
    assert Counter(k for k, _ in rows) == Counter(t.exceptions) == Counter({"damaged_short": 1})
    alice = next(g.figures for g in load_dashboard(db, 1, now=EVENING, tz=BERLIN).by_user)
    assert alice.exceptions == {"damaged_short": 1} and rows == [("damaged_short", "alice")]
    # ...and the line still ships short (the pack.completed event says so).
    payload = raw(db, "SELECT payload FROM outbox WHERE type='pack.completed' ORDER BY id")[-1]
    line = json.loads(str(payload[0]))["lines"][0]
    assert (line["packed"], line["short"]) == (1, 1)


def test_figures_at_noon_leave_out_the_afternoon(db: Database) -> None:
    board = load_dashboard(db, 1, now=NOON, tz=BERLIN)
    ended = [stamp(e) for (e,) in raw(db, "SELECT ended_at FROM pack_sessions")]
    assert board.total.packs == sum(e < NOON for e in ended) == 2
    assert board.total.median_order_s == pytest.approx(45.0)  # 40 and 50 s; not the 735 s
    assert board.total.exceptions == {}  # the damage came at 14:00
    # The chart still shows the whole day, its afternoon empty.
    assert len(board.throughput) == 24 and board.period.end.hour == 23
    assert {s.start.hour: s.packs for s in board.throughput if s.packs} == {9: 1, 10: 1}


def test_an_empty_hour_or_day_reads_null(db: Database) -> None:
    today = load_dashboard(db, 1, now=EVENING, tz=BERLIN).to_json()
    slots = cast(list[dict[str, object]], today["packs_per_hour_chart"])
    chart = {datetime.fromisoformat(str(s["start"])).hour: s for s in slots}
    assert chart[9]["packs_per_hour"] == 1.0
    assert chart[12]["packs"] == 0 and chart[12]["packs_per_hour"] is None
    week = load_dashboard(db, 7, now=EVENING, tz=BERLIN)
    assert [s.packs_per_hour for s in week.throughput] == [None] * 6 + [1.0]


def test_cli_at_a_time_of_day(
    db: Database, capsys: pytest.CaptureFixture[str], berlin_machine: None
) -> None:
    assert (
        station_main(["--db", str(db.path), "dashboard", "--at", "2026-11-24T12:00", "--json"]) == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["total"]["packs"] == 2 and out["until"] == NOON.isoformat()
    assert out["total"]["seconds_per_order"]["mixed"] == {"orders": 2, "median_s": 45.0}
    # A time of day alone is today's, in local time.
    noon_today = datetime.combine(date.today(), datetime.min.time()).replace(hour=12)
    assert _moment("12:00") == noon_today.astimezone(UTC)
    assert DAY.isoformat() in out["first_day"]
