"""The pack window driven with real key presses through pytest-qt, on a real database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.service import PackService
from station.packing.verdicts import Outcome
from tests.station.packfixtures import MUG, STRAY, TEE, build_db, make_service
from ui.pack_window import PackWindow
from ui.worker import DbWorker


@dataclass
class Row:
    number: str
    status: str
    lines: int


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = build_db(tmp_path / "ui.sqlite")
    yield database
    database.close()


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[PackWindow]:
    worker = DbWorker()
    service: PackService = worker.call(lambda: make_service(db))
    win = PackWindow(worker, service, lambda: [Row("SO-1001", "open", 2)], "bench-1")
    qtbot.addWidget(win)
    win.show()
    yield win
    worker.call(service.close)
    worker.shutdown()


def scan(qtbot: QtBot, win: PackWindow, code: str) -> Outcome:
    with qtbot.waitSignal(win.outcome_shown, timeout=5000) as blocker:
        qtbot.keyClicks(win.input, code)
        qtbot.keyClick(win.input, Qt.Key.Key_Return)
    outcome = blocker.args[0] if blocker.args else None
    assert isinstance(outcome, Outcome)
    return outcome


def test_pack_an_order_by_typing(qtbot: QtBot, window: PackWindow) -> None:
    assert scan(qtbot, window, "SO-1001").verdict.value == "order_opened"
    assert "SO-1001" in window.header.text()
    assert window.lines.rowCount() == 2
    assert scan(qtbot, window, MUG).verdict.value == "accepted"
    cell = window.lines.item(0, 4)
    assert cell is not None and cell.text() == "1 / 2"
    barcode = window.lines.item(0, 3)
    assert barcode is not None and barcode.text() == MUG
    wrong = scan(qtbot, window, STRAY)
    assert wrong.verdict.value == "wrong_item"
    assert window.banner.property("verdict") == "wrong_item"
    assert "not in this order" in window.banner.text()
    assert "#b00020" in window.banner.styleSheet()  # red
    scan(qtbot, window, MUG)
    scan(qtbot, window, TEE)
    with qtbot.waitSignal(window.outcome_shown, timeout=5000) as done:
        qtbot.keyClick(window, Qt.Key.Key_F9)
    assert isinstance(done.args[0], Outcome) and done.args[0].verdict.value == "completed"
    assert "packed" in window.header.text()
    assert window.input.text() == ""
    assert window.history.count() == 6


def test_verdict_comes_from_the_worker_thread_after_commit(
    qtbot: QtBot, window: PackWindow, db: Database
) -> None:
    scan(qtbot, window, "SO-1001")
    out = scan(qtbot, window, MUG)
    # What the window shows is already in the database.
    con = sqlite3.connect(db.path)
    verdict = con.execute("SELECT verdict FROM scans WHERE id = ?", (out.scan_id,)).fetchone()
    con.close()
    assert verdict == ("accepted",)


def test_order_list_opens_an_order(qtbot: QtBot, window: PackWindow) -> None:
    qtbot.waitUntil(lambda: window.orders.count() == 1, timeout=5000)
    item = window.orders.item(0)
    with qtbot.waitSignal(window.outcome_shown, timeout=5000) as opened:
        window.orders.itemActivated.emit(item)
    assert isinstance(opened.args[0], Outcome)
    assert opened.args[0].order_number == "SO-1001"
