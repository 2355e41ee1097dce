"""A return inspected end to end through the returns screen, with the keyboard and the
scanner alone, on a database whose orders were packed through the real pack engine.

The parcel is found by the customer's name (two open returns match: the inspector chooses),
a unit from someone else's order is refused in red and acknowledged, the checklist is
answered with number keys and with command barcodes, a grade that needs a photo gets one from
the camera, the rules' recommendation is overridden with a reason, both units are disposed of
(their tags queued for the printer) and the parcel is finished.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from drivers.registry import CameraDeviceConfig
from station.db import Database
from station.db.models import Role
from station.photos import Image
from station.returns.rmas import upsert_rmas
from station.returns.verdicts import ReturnOutcome
from station.users import create_user
from tests.station.packfixtures import MUG, STRAY, rows
from tests.station.returns.returnfixtures import packed_db
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    assert_nothing_left,
    bare_settings,
    open_station,
    sign_in,
)
from ui.composition import Station
from ui.main_window import StationWindow
from ui.returns.override_dialog import OverrideDialog
from ui.sounds import Sound


class StillCamera:
    """The bench camera's stand-in: always the same frame (the driver is tested elsewhere)."""

    def snapshot(self, timeout_s: float = 2.0) -> Image:
        return np.full((120, 160, 3), 90, np.uint8)


@pytest.fixture
def returns_db(tmp_path: Path) -> Iterator[Database]:
    db = packed_db(tmp_path / "returns.sqlite")
    with db.session() as session:
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
        session.commit()
        # A second open return for Ada's order: a search by her name must ask which.
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
    bare = bare_settings(returns_db)
    # A camera is configured but not started here: the still camera stands in for it.
    camera = CameraDeviceConfig(kind="opencv", source="unused")
    settings = replace(bare, devices=replace(bare.devices, camera=camera))
    station = open_station(returns_db, player, settings=settings)
    station.camera.attach(StillCamera())
    yield station
    station.close()
    assert_nothing_left(before)


def answer(qtbot: QtBot, window: StationWindow, act: Qt.Key | str) -> ReturnOutcome:
    """Do ``act`` (a key press or a scan); the engine's answer once it is on screen."""
    screen = window.returns
    assert screen is not None
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
        if isinstance(act, Qt.Key):
            qtbot.keyClick(screen.input, act)
        else:
            window.submit_code(act)
    outcome = shown.args[0]
    assert isinstance(outcome, ReturnOutcome)
    return outcome


def stored_checklist(db: Database, sku: str) -> object:
    [(checklist,)] = rows(db, f"SELECT checklist FROM return_items WHERE sku = '{sku}'")
    return json.loads(str(checklist))


def test_a_return_inspected_end_to_end(
    qtbot: QtBot,
    bench: Station,
    returns_db: Database,
    player: RecordingPlayer,
    qtmodeltester: ModelTester,
) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None and window.current_screen() == "returns"

    # Found by the customer's name: two open returns, the inspector picks the second.
    qtbot.keyClicks(screen.input, "lovelace")
    qtbot.keyClick(screen.input, Qt.Key.Key_Return)
    qtbot.waitUntil(screen.matches.isVisible, timeout=WAIT_MS)
    assert screen.matches.count() == 2
    qtbot.keyClick(screen.input, Qt.Key.Key_Down)
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)  # back to the first: RMA-5004 (newest)
    opened = answer(qtbot, window, Qt.Key.Key_Return)
    assert opened.verdict.value == "rma_opened" and opened.rma == "RMA-5004"
    qtbot.waitUntil(lambda: "SO-1001" in screen.outbound.heading.text(), timeout=WAIT_MS)
    assert screen.outbound.packed.text() == "Packed at 2026-11-24 12:00"
    assert "MUG × 2" in screen.outbound.serials.text()

    # Someone else's product in the parcel: red, and nothing counts until acknowledged.
    stray = answer(qtbot, window, STRAY)
    assert stray.verdict.value == "not_from_order" and screen.banner.severity == "error"
    with qtbot.waitSignal(screen.scan_held, timeout=WAIT_MS):
        window.submit_code(MUG)
    assert player.played[-1] is Sound.HELD
    with qtbot.waitSignal(screen.outcome_shown, timeout=200, raising=False):
        window.submit_code("CMD-CONFIRM")
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)

    # The mug: a unit of the order, not announced in this RMA; graded with number keys.
    mug = answer(qtbot, window, MUG)
    assert mug.verdict.value == "not_in_return" and mug.item is not None
    assert screen.checklist.current() == "packaging_intact"
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(screen.input, key)
    graded = answer(qtbot, window, Qt.Key.Key_3)  # hygiene seal: does not apply
    assert graded.verdict.value == "assessed" and graded.item is not None
    assert graded.item.grade == "A" and graded.item.disposition == "restock"
    assert "RESTOCK" in screen.item_panel.recommendation.text()
    qtmodeltester.check(screen.items_model)  # two units listed

    # The inspector knows better: open-box shelf, partial refund, with a reason; an override
    # needs a supervisor, and the inspector's own badge is not one.
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    dialog = screen.dialog
    assert isinstance(dialog, OverrideDialog)
    dialog.choose("resell_open_box", "partial", 80)
    qtbot.keyClicks(dialog.reason, "outer box dented")
    qtbot.keyClicks(dialog.approver, "BADGE-INES")
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
    assert shown.args[0].verdict.value == "needs_supervisor"
    assert screen.dialog is dialog and "supervisor" in dialog.message.text()
    dialog.approver.clear()
    qtbot.keyClicks(dialog.approver, "BADGE-SUE")
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
        qtbot.keyClick(dialog.approver, Qt.Key.Key_Return)
    assert isinstance(shown.args[0], ReturnOutcome)
    assert shown.args[0].verdict.value == "overridden"
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    qtbot.waitUntil(screen.input.hasFocus, timeout=WAIT_MS)
    assert answer(qtbot, window, "CMD-DISPOSE").verdict.value == "disposed"

    # The stray, chosen with Up, graded by command barcodes: it does not work (grade F).
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    assert stray.item is not None and screen.current is not None
    assert screen.current.id == stray.item.id
    window.submit_code("CMD-NO")  # packaging
    window.submit_code("CMD-YES")  # accessories
    failed = answer(qtbot, window, "CMD-NO")  # it does not work
    assert failed.item is not None and failed.item.grade == "F"
    # Back to the mug and again to the stray: each shows its own stored answers.
    qtbot.keyClick(screen.input, Qt.Key.Key_Down)
    assert screen.current is not None and screen.current.sku == "MUG"
    assert screen.checklist.answers == stored_checklist(returns_db, "MUG")
    qtbot.keyClick(screen.input, Qt.Key.Key_Up)
    assert screen.current is not None and screen.current.sku == "STRAY"
    assert screen.checklist.answers == stored_checklist(returns_db, "STRAY")
    refused = answer(qtbot, window, Qt.Key.Key_F10)
    assert refused.verdict.value == "photo_required"
    assert answer(qtbot, window, Qt.Key.Key_F4).verdict.value == "photo_taken"
    assert answer(qtbot, window, Qt.Key.Key_F10).verdict.value == "disposed"

    done = answer(qtbot, window, Qt.Key.Key_F9)
    assert done.verdict.value == "completed"
    assert "Parcel done: 2 unit(s) inspected" in screen.banner.text()
    assert screen.parcel.text() == "No parcel open"
    assert screen.item_panel.item is None  # nothing left on the bench
    assert rows(
        returns_db,
        "SELECT sku, verdict, grade, disposition, refund, refund_pct, status,"
        " (SELECT count(*) FROM return_item_photos p WHERE p.item_id = i.id)"
        " FROM return_items i ORDER BY id",
    ) == [
        ("STRAY", "not_from_order", "F", "quarantine", "none", 0, "disposed", 1),
        ("MUG", "not_in_return", "A", "resell_open_box", "partial", 80, "disposed", 0),
    ]
    tags = rows(returns_db, "SELECT template FROM print_jobs ORDER BY id")
    assert tags == [("return-tag",), ("return-tag",)]
