"""The shift dashboard in the real window: a supervisor opens it, the charts show the day packed
through the real engine, F3 / F2 switch between the last 7 days and today, F4 between users
and benches, F6 to the table; figures are read on the database worker and again while shown.

The day: at 00:05 local time today (whenever the test runs, that is today) alice packs
SO-1001 (mixed, one wrong item, weighed light then right, box BOX-M, 60 s) and SO-1007
(multi-unit, one mug and 29 shipped short, 44 s) at bench-1; pat packs SO-1008 (single, 30 s)
at bench-2.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from drivers.scale.model import ScaleReading, ScaleState
from station.barcodes import Interpreter
from station.config import BarcodeSettings, PackingSettings, Settings, WeightSettings
from station.dashboard import Dashboard, load_dashboard
from station.dashboard.period import local_midnight
from station.db import Database
from station.disk import disk_report
from station.packing.approvals import badge_and_pin_approver
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, PHONE, STRAY, TEE
from tests.ui.stationfixtures import WAIT_MS, assert_nothing_left, sign_in
from ui.composition import Station
from ui.dashboard import build_dashboard
from ui.dashboard.screen import DashboardScreen
from ui.tools.screenshot import main as screenshot
from ui.worker import DbWorker


class Clock:
    """The engines' clock, moved by the test."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def stable(grams: float) -> ScaleReading:
    return ScaleReading(ScaleState.STABLE, grams, 1.0, f"S S {grams:10.0f} g", unit_raw="g")


def bench(db: Database, clock: Clock, station: str, badge: str) -> PackService:
    svc = PackService(
        db,
        Interpreter(BarcodeSettings()),
        PackingSettings(),
        station,
        clock=clock,
        approver=badge_and_pin_approver(db),
        proof=ProofOptions(weight=WeightSettings(), require_weight=True),
    )
    assert svc.scan(badge).verdict is Verdict.USER_CHANGED
    return svc


def run(svc: PackService, clock: Clock, seconds: float, *steps: object) -> None:
    """Scans (str) and weighings (float grams), then complete ``seconds`` after opening."""
    opened = clock.now
    for step in steps:
        out = svc.record_weight(stable(step)) if isinstance(step, float) else svc.scan(str(step))
        assert out.verdict.value not in ("unknown_code", "not_complete"), out.message
    clock.now = opened + timedelta(seconds=seconds)
    assert svc.complete().verdict is Verdict.COMPLETED


def pack_today(db: Database) -> None:
    clock = Clock(local_midnight(date.today(), None) + timedelta(minutes=5))
    one = bench(db, clock, "bench-1", "BADGE-ALICE")
    run(one, clock, 60, "SO-1001", MUG, STRAY, MUG, TEE, "BOX-M", 396.0, 500.0)
    assert one.state is None
    clock.now += timedelta(minutes=2)
    one.scan("SO-1007")
    one.scan(MUG)
    assert one.short_ship(1, 29, "out_of_stock", "BADGE-SAM").verdict is Verdict.EXCEPTION_RECORDED
    run(one, clock, 44, 295.0)
    one.close()
    clock.now += timedelta(minutes=2)
    two = bench(db, clock, "bench-2", "BADGE-PAT")
    run(two, clock, 30, "SO-1008", f"]C101{PHONE.zfill(14)}21SN-1", 295.0)
    two.close()


def open_dashboard(qtbot: QtBot, station: Station) -> DashboardScreen:
    window = station.window
    sign_in(qtbot, window, "BADGE-SAM")
    screen = window.findChild(DashboardScreen)
    assert screen is not None
    with qtbot.waitSignal(screen.loaded, timeout=WAIT_MS):
        window.show_screen("dashboard")
    assert window.current_screen() == "dashboard"
    return screen


def test_the_supervisor_reads_the_day_as_charts(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    pack_today(ui_db)
    screen = open_dashboard(qtbot, station)
    c = screen.charts
    packs = c["packs"]
    assert packs.title() == "Packs per hour 3.0 (3 packs)"
    labels = packs.category_labels()
    assert labels[0] == "00" and labels[-1] == "17" and len(labels) == 18
    assert packs.bar_values()[0] == 3 and sum(packs.bar_values()) == 3
    assert c["accuracy"].title() == "Accuracy 83.3 %"
    assert (c["accuracy"].category_labels(), c["accuracy"].bar_values()) == (
        ["alice", "pat"],
        [80.0, 100.0],
    )
    assert c["mismatch"].title() == "Weight mismatch 33.3 %"
    assert c["mismatch"].bar_values() == [50.0, 0.0]
    seconds = c["seconds"]
    assert seconds.category_labels() == ["single item", "multi-unit", "mixed"]
    assert seconds.bar_values() == [30.0, 44.0, 60.0]
    assert (c["exceptions"].category_labels(), c["exceptions"].bar_values()) == (
        ["short-ship"],
        [1.0],
    )
    assert c["boxes"].category_labels() == ["0–25 %", "25–50 %", "50–75 %", "≥ 75 %"]
    assert c["boxes"].bar_values() == [1.0, 0.0, 0.0, 0.0]
    assert c["grades"].category_labels() == [] and c["grades"].bar_values() == []
    assert "today · per user" in screen.status.text()

    # F3: the last 7 days, one bar a day (packs per active hour); F2 back to today.
    with qtbot.waitSignal(screen.loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F3)
    assert screen.days == 7 and screen.board is not None and screen.board.period.days == 7
    assert packs.title() == "Packs per hour by day 3.0 (3 packs)"
    assert packs.bar_values() == [0, 0, 0, 0, 0, 0, 3.0]
    assert len(packs.category_labels()) == 7
    assert packs.category_labels()[-1].endswith(f" {date.today().day}")
    with qtbot.waitSignal(screen.loaded, timeout=WAIT_MS):
        qtbot.keyClick(screen, Qt.Key.Key_F2)
    assert screen.days == 1 and packs.title() == "Packs per hour 3.0 (3 packs)"

    # F4: per bench (no reading needed); F6: the table, total last.
    qtbot.keyClick(screen, Qt.Key.Key_F4)
    assert c["accuracy"].category_labels() == ["bench-1", "bench-2"]
    assert screen.group_button.text().startswith("Per user")
    qtbot.keyClick(screen, Qt.Key.Key_F6)
    assert screen.showing_table()
    model = screen.model
    rows = [
        [str(model.index(r, col).data()) for col in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert rows == [
        [
            "bench-1",
            "2",
            "2.0",
            "5",
            "80.0 %",
            "1",
            "50.0 %",
            "52",
            "4.2 %",
            "0",
            "0",
            "0",
            "0 / 0",
        ],
        ["bench-2", "1", "1.0", "1", "100.0 %", "0", "0.0 %", "30", "—", "0", "0", "0", "0 / 0"],
        ["All", "3", "3.0", "6", "83.3 %", "1", "33.3 %", "44", "4.2 %", "0", "0", "0", "0 / 0"],
    ]
    qtbot.keyClick(screen, Qt.Key.Key_F6)
    assert not screen.showing_table()


def test_figures_are_read_on_the_reading_thread_and_again_while_shown(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    screen = open_dashboard(qtbot, station)
    assert screen.board is not None and screen.board.total.packs == 0
    assert screen.charts["packs"].title() == "Packs per hour — (0 packs)"
    threads: list[int] = []
    load = screen._load

    def spied(days: int) -> Dashboard:
        threads.append(threading.get_ident())
        return load(days)

    screen._load = spied
    assert screen.timer.isActive()
    pack_today(ui_db)
    screen.timer.setInterval(20)  # the next refresh now, rather than in a minute
    qtbot.waitUntil(lambda: screen.board is not None and screen.board.total.packs == 3)
    assert station.reads is not None
    assert threads and set(threads) == {station.reads.thread_ident}
    assert threading.get_ident() not in threads
    # Hidden, it reads nothing more.
    station.window.show_screen("pack")
    assert not screen.timer.isActive()


def test_the_table_shows_batch_packs_instructions_and_inserts(
    qtbot: QtBot, station: Station, ui_db: Database
) -> None:
    """What the bench asked of the packer (issue 18) is in the table, as the figures count it:
    two instruction confirmations and an insert added, one missing, at bench-1."""
    pack_today(ui_db)
    con = sqlite3.connect(ui_db.path)
    try:
        session, user, at = con.execute(
            "SELECT id, user_id, ended_at FROM pack_sessions WHERE station = 'bench-1'"
            " ORDER BY id LIMIT 1"
        ).fetchone()
        for _ in range(2):
            con.execute(
                "INSERT INTO scans (session_id, station, user_id, raw, kind, interpretation,"
                " verdict, quantity, undone, created_at) VALUES (?, 'bench-1', ?,"
                " 'CMD-CONFIRM-INSTR', 'command', '{}', 'instruction_confirmed', 0, 0, ?)",
                (session, user, at),
            )
        for code, status in (("FLYER", "added"), ("SAMPLE", "missing")):
            con.execute(
                "INSERT INTO pack_inserts (session_id, code, status, user_id, at)"
                " VALUES (?, ?, ?, ?, ?)",
                (session, code, status, user, at),
            )
        con.commit()
    finally:
        con.close()
    screen = open_dashboard(qtbot, station)
    qtbot.keyClick(screen, Qt.Key.Key_F4)  # per bench
    qtbot.keyClick(screen, Qt.Key.Key_F6)  # the table
    model = screen.model
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in (10, 11, 12)]
    assert titles == ["Batch", "Instructions", "Inserts"]
    rows = {
        str(model.index(r, 0).data()): [str(model.index(r, c).data()) for c in (10, 11, 12)]
        for r in range(model.rowCount())
    }
    assert rows == {
        "bench-1": ["0", "2", "1 / 1"],
        "bench-2": ["0", "0", "0 / 0"],
        "All": ["0", "2", "1 / 1"],
    }


def test_the_table_model_passes_the_model_tester(
    qtbot: QtBot, station: Station, ui_db: Database, qtmodeltester
) -> None:
    pack_today(ui_db)
    screen = open_dashboard(qtbot, station)
    assert screen.model.rowCount() == 3  # alice, pat, All
    qtmodeltester.check(screen.model)


@pytest.mark.parametrize("size", ["1280x800", "1920x1080"])
def test_the_dashboard_screenshot_fits_the_bench_screen(
    qapp: QApplication, tmp_path: Path, size: str
) -> None:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    out = tmp_path / f"dashboard-{size}.png"
    assert screenshot(["--screen", "dashboard", "-o", str(out), "--size", size]) == 0
    image = QImage(str(out))
    width, height = (int(n) for n in size.split("x"))
    assert (image.width(), image.height()) == (width, height)
    assert_nothing_left(before)


def test_a_failed_read_is_said_and_the_next_one_shows_again(qtbot: QtBot, ui_db: Database) -> None:
    worker = DbWorker()
    answers: list[BaseException | None] = [OSError("disk I/O error"), None]

    def load(days: int) -> Dashboard:
        error = answers.pop(0)
        if error is not None:
            raise error
        return load_dashboard(ui_db, days)

    screen = DashboardScreen(worker, load, refresh_s=3600)
    try:
        with qtbot.waitSignal(screen.failed, timeout=WAIT_MS) as failure:
            screen.show()
        assert failure.args[0] == "The figures could not be read: disk I/O error"
        assert screen.status.text() == failure.args[0] and screen.board is None
        with qtbot.waitSignal(screen.loaded, timeout=WAIT_MS) as shown:
            screen.refresh()
        assert isinstance(shown.args[0], Dashboard) and screen.status.text().startswith("today")
    finally:
        screen.hide()
        worker.shutdown()
        # Deleted here, not at the session's end: a chart alive at exit upsets the order
        # in which the interpreter tears modules down.
        Shiboken.delete(screen)
        Shiboken.delete(worker)


def test_the_disk_written_per_day_and_the_days_left_are_shown(
    qtbot: QtBot, ui_db: Database
) -> None:
    pack_today(ui_db)
    settings = Settings(db_path=ui_db.path)
    worker = DbWorker()
    screen = build_dashboard(worker, ui_db, refresh_s=3600, settings=settings)
    try:
        screen.show()
        qtbot.waitUntil(lambda: screen.disk_report is not None, timeout=WAIT_MS)
        report = screen.disk_report
        assert report is not None and report.days_left is not None
        expected = disk_report(ui_db, settings.photo_dir, retention_days=90, now=datetime.now(UTC))
        assert report.database_per_day_bytes == pytest.approx(
            expected.database_per_day_bytes, rel=0.05
        )
        per_day = f"{report.per_day_bytes / 1e6:,.1f} MB"
        days = QLocale().toString(int(report.days_left))
        assert screen.disk.text() == f"Disk: {per_day} a day, {days} days left"
        assert screen.disk.property("state") == "ok"
        # Under a month left at the rate: said in the warning style.
        screen._disk_loaded(replace(report, days_left=12.5))
        assert screen.disk.text() == f"Disk: {per_day} a day, 12 days left"
        assert screen.disk.property("state") == "low"
    finally:
        screen.hide()
        worker.shutdown()
        Shiboken.delete(screen)
        Shiboken.delete(worker)
