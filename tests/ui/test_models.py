"""Every item model of ``ui/`` passes ``qtmodeltester`` with real data, filled by the real
engine through the real window while the tester watches each change: ``LinesModel`` (the
pack screen's lines) and ``ItemsModel`` (the returns screen's units).

The dashboard's and the devices screen's models are checked in their own tests; the list and
combo widgets use Qt's own models (checking those, Qt's tester crashed when the window that
owns them was deleted before the tester was let go).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station.db import Database
from station.db.models import Role
from station.packing.verdicts import Verdict
from station.returns.verdicts import ReturnOutcome
from station.users import create_user
from tests.station.packfixtures import MUG, STRAY, TEE
from tests.station.returns.returnfixtures import packed_db
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    assert_nothing_left,
    open_station,
    sign_in,
)
from tests.ui.test_pack_window import scan
from ui.composition import Station
from ui.pack.screen import PackScreen


def pack_an_order(qtbot: QtBot, pack: PackScreen) -> None:
    """Open SO-1001, scan a mug, a wrong item (acknowledged) and the tee."""
    assert scan(qtbot, pack, "SO-1001").verdict is Verdict.ORDER_OPENED
    assert scan(qtbot, pack, MUG).verdict is Verdict.ACCEPTED
    assert scan(qtbot, pack, STRAY).verdict is Verdict.WRONG_ITEM
    assert scan(qtbot, pack, "CMD-CONFIRM").verdict is Verdict.CONFIRMED
    assert scan(qtbot, pack, TEE).verdict is Verdict.ACCEPTED


def test_the_lines_model_while_an_order_is_packed(
    qtbot: QtBot, station: Station, qtmodeltester: ModelTester
) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    model = pack.lines_model
    qtmodeltester.check(model)  # no order open: no lines
    pack_an_order(qtbot, pack)  # the tester watches every reset the screen makes
    assert model.rowCount() == 2
    qtmodeltester.check(model)  # one line part-packed, one done


@pytest.fixture
def returns_bench(tmp_path: Path, player: RecordingPlayer) -> Iterator[Station]:
    """The station on a database whose orders were packed, with an inspector."""
    db: Database = packed_db(tmp_path / "returns.sqlite")
    with db.session() as session:
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
        session.commit()
    before = {id(w) for w in QApplication.topLevelWidgets()}
    station = open_station(db, player)
    try:
        yield station
    finally:
        station.close()
        db.close()
    assert_nothing_left(before)


def test_the_items_model_with_a_parcel_open(
    qtbot: QtBot, returns_bench: Station, qtmodeltester: ModelTester
) -> None:
    window = returns_bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    model = screen.items_model

    def answer(code: str) -> ReturnOutcome:
        assert screen is not None
        with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
            window.submit_code(code)
        outcome = shown.args[0]
        assert isinstance(outcome, ReturnOutcome)
        return outcome

    assert answer("RMA-5001").verdict.value == "rma_opened"
    qtmodeltester.check(model)  # no unit yet
    assert answer(MUG).item is not None
    qtbot.waitUntil(lambda: screen.items_model.rowCount() == 1, timeout=WAIT_MS)
    qtmodeltester.check(model)  # the unit received, from the engine
    assert model.rowCount() == 1
