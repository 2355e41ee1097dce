"""The returns screen inside 1280×800 in its states (issue 20, point 7): empty, "no return
found" with the "New RMA [F2]" button, a lookup with two matches, a red banner with a held
scan on its second line, a unit with its checklist, the observed reasons listed, a graded
unit; after each the window is still exactly 1280×800 and nothing in it asks for more.

Through the real window on the database worker and the returns bench.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.db import Database
from station.db.models import Role
from station.returns.rmas import upsert_rmas
from station.users import create_user
from tests.station.packfixtures import MUG, STRAY
from tests.station.returns.returnfixtures import packed_db
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    assert_nothing_left,
    open_station,
    sign_in,
)
from ui.composition import Station
from ui.main_window import StationWindow


@pytest.fixture
def returns_db(tmp_path: Path) -> Iterator[Database]:
    db = packed_db(tmp_path / "returns.sqlite")
    with db.session() as session:
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
        upsert_rmas(
            session,
            [
                {
                    "number": "RMA-5004",
                    "order_number": "SO-1001",
                    "items": [{"sku": "TEE", "quantity": 1, "reason": "wrong_size"}],
                }
            ],
        )
        session.commit()
    yield db
    db.close()


@pytest.fixture
def bench(returns_db: Database, player: RecordingPlayer) -> Iterator[Station]:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    station = open_station(returns_db, player)
    yield station
    station.close()
    assert_nothing_left(before)


def fits(qtbot: QtBot, window: StationWindow, state: str) -> None:
    """The window is 1280×800 and its layout needs no more, in ``state``."""
    qtbot.wait(20)  # let the layout settle
    size, needed = window.size(), window.minimumSizeHint()
    assert (size.width(), size.height()) == (1280, 800), state
    assert needed.width() <= 1280 and needed.height() <= 800, (state, needed)


def shown(qtbot: QtBot, window: StationWindow, code: str) -> None:
    screen = window.returns
    assert screen is not None
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        window.submit_code(code)


def test_every_returns_state_fits_1280_by_800(qtbot: QtBot, bench: Station) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    fits(qtbot, window, "empty")

    # An order with no open RMA: red, with the New RMA [F2] button.
    shown(qtbot, window, "SO-1008")
    assert screen.create_button.isVisible()
    fits(qtbot, window, "no return found, F2 offered")
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)

    # Two open returns match a name.
    qtbot.keyClicks(screen.input, "lovelace")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.matches.isVisible, timeout=WAIT_MS)
    fits(qtbot, window, "two matches")
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_Return)

    # A stray unit: red banner, held scan (a second line), the unit's checklist.
    shown(qtbot, window, STRAY)
    with qtbot.waitSignal(screen.scan_held, timeout=WAIT_MS):
        window.submit_code(MUG)
    fits(qtbot, window, "red banner with a held scan")
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)
    shown(qtbot, window, MUG)
    fits(qtbot, window, "a unit and its checklist")
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    fits(qtbot, window, "observed reasons listed")
    qtbot.keyClick(screen.input, Qt.Key.Key_F3)
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(screen.input, key)
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_3)
    fits(qtbot, window, "graded")
