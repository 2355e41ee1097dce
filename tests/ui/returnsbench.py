"""The returns screen's test bench: a database with packed orders and an inspector, and the
real window on it (shared by the returns screen tests of issue 20)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.db import Database
from station.db.models import Role
from station.returns.verdicts import ReturnOutcome
from station.users import create_user
from tests.station.packfixtures import MUG
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
from ui.returns.screen import ReturnsScreen


@pytest.fixture
def returns_db(tmp_path: Path) -> Iterator[Database]:
    db = packed_db(tmp_path / "returns.sqlite")
    with db.session() as session:
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
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


def answer(qtbot: QtBot, screen: ReturnsScreen, act: Callable[[], object]) -> ReturnOutcome:
    """Do ``act``; the engine's answer once it is on screen."""
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
        act()
    outcome = shown.args[0]
    assert isinstance(outcome, ReturnOutcome)
    return outcome


def mug_failed(qtbot: QtBot, window: StationWindow) -> ReturnsScreen:
    """ines signed in, RMA-5001 opened and its mug graded F by keys (packaging no, accessories
    yes, it fails): the returns screen, waiting for the disposition."""
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    answer(qtbot, screen, lambda: window.submit_code("RMA-5001"))
    answer(qtbot, screen, lambda: window.submit_code(MUG))
    qtbot.keyClick(screen.input, Qt.Key.Key_2)  # packaging: no
    qtbot.keyClick(screen.input, Qt.Key.Key_1)  # accessories: yes
    failed = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_2))
    assert failed.item is not None and failed.item.grade == "F"
    return screen
