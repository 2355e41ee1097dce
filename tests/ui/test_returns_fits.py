"""The returns screen inside 1280×800 in its states (issue 20, point 7): empty, "no return
found" with the "New RMA [F2]" button, a lookup with two matches, a red banner with a held
scan on its second line, a unit with its checklist, the observed reasons listed, a graded
unit; then the fraud box and every dialog of the screen (a new RMA's approval, the override,
the photo waiver). After each the window is still exactly 1280×800 and nothing in it asks for
more; a dialog fits inside it.

Through the real window on the database worker and the returns bench.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from station.db import Database
from station.db.models import Role
from station.returns.rmas import upsert_rmas
from station.users import create_user
from tests.station.packfixtures import MUG, PHONE, STRAY
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
from ui.returns.override_dialog import OverrideDialog
from ui.widgets.approval_dialog import ApprovalDialog


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


def dialog_fits(qtbot: QtBot, window: StationWindow, dialog: QDialog, state: str) -> None:
    """The window still 1280×800 with ``dialog`` open, and the dialog within it, needing no
    more room than it has."""
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    fits(qtbot, window, state)
    size, needed = dialog.size(), dialog.minimumSizeHint()
    assert size.width() <= 1280 and size.height() <= 800, (state, size)
    assert needed.width() <= size.width() and needed.height() <= size.height(), (state, needed)


def test_the_fraud_box_and_every_dialog_fit_1280_by_800(qtbot: QtBot, bench: Station) -> None:
    window = bench.window  # no camera: a grade needing a photo asks for a supervisor's waiver
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None

    # F2 for an order never packed: the supervisor's approval dialog.
    shown(qtbot, window, "SO-1004")
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)  # "no return found" is red
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_F2)
    assert isinstance(screen.dialog, ApprovalDialog)
    dialog_fits(qtbot, window, screen.dialog, "new RMA approval dialog")
    screen.dialog.reject()
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(screen.input.hasFocus, timeout=WAIT_MS)  # the keys are the screen's again

    # A serial packed on another order: the fraud box, red, beside a left panel kept readable.
    shown(qtbot, window, "RMA-5002")
    shown(qtbot, window, PHONE)
    shown(qtbot, window, "SN-C")
    panel = screen.item_panel
    assert panel.fraud.isVisible() and "FRAUD" in panel.fraud.text()
    fits(qtbot, window, "fraud box")
    assert panel.width() >= 1280 // 4, panel.width()  # not squeezed to a few pixels
    assert panel.fraud.height() >= panel.fraud.heightForWidth(panel.fraud.width())
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)

    # Graded F (it does not work): the override dialog, then the photo waiver's.
    qtbot.keyClick(screen.input, Qt.Key.Key_2)
    qtbot.keyClick(screen.input, Qt.Key.Key_1)
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_2)
    fits(qtbot, window, "fraud unit graded")
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)  # a fraud flag is red at every answer
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    assert isinstance(screen.dialog, OverrideDialog)
    dialog_fits(qtbot, window, screen.dialog, "override dialog")
    screen.dialog.reject()
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(screen.input.hasFocus, timeout=WAIT_MS)  # the keys are the screen's again
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_F10)
    assert isinstance(screen.dialog, ApprovalDialog)
    dialog_fits(qtbot, window, screen.dialog, "photo waiver dialog")
    screen.dialog.reject()
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(screen.input.hasFocus, timeout=WAIT_MS)  # the keys are the screen's again
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        qtbot.keyClick(screen.input, Qt.Key.Key_F6)
    fits(qtbot, window, "fraud unit held")
