"""A supervisor approves an override at the returns screen by scanning a badge, or by badge and
PIN typed together; a PIN alone never approves, and a badge scanned while the override dialog
waits for its approver goes to the dialog, never to sign-in (issue 20, point 1).

Through the real window (``build_station``), the database worker and the inspection engine;
the scanner's output enters where the wedge and the serial bridge hand it: ``submit_code``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.db import Database
from station.returns.verdicts import ReturnOutcome
from tests.station.packfixtures import MUG, rows
from tests.ui.returnsbench import answer, mug_failed
from tests.ui.stationfixtures import (
    WAIT_MS,
    sign_in,
)
from ui.composition import Station
from ui.main_window import StationWindow
from ui.returns.override_dialog import OverrideDialog
from ui.returns.screen import ReturnsScreen
from ui.widgets.approval_dialog import ApprovalDialog


def override_dialog(qtbot: QtBot, window: StationWindow) -> tuple[ReturnsScreen, OverrideDialog]:
    """ines signed in, RMA-5001's mug graded A, F8 pressed: the dialog with its reason typed."""
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None and window.current_screen() == "returns"
    opened = answer(qtbot, screen, lambda: window.submit_code("RMA-5001"))
    assert opened.verdict.value == "rma_opened"
    assert answer(qtbot, screen, lambda: window.submit_code(MUG)).item is not None
    for key in (Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1):
        qtbot.keyClick(screen.input, key)
    graded = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_3))
    assert graded.verdict.value == "assessed"
    qtbot.keyClick(screen.input, Qt.Key.Key_F8)
    dialog = screen.dialog
    assert isinstance(dialog, OverrideDialog)
    dialog.choose("resell_open_box", "partial", 80)
    # The refund's kind and its share side by side: never "partial refund 0 %" beside 80 %.
    assert dialog.refund.currentText() == "partial refund" and dialog.percent.value() == 80
    qtbot.keyClicks(dialog.reason, "outer box dented")
    return screen, dialog


def test_a_badge_scanned_into_the_override_dialog_approves_and_signs_nobody_in(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window
    screen, dialog = override_dialog(qtbot, window)

    # The inspector's own badge, scanned: refused in the dialog, ines still at the bench.
    refused = answer(qtbot, screen, lambda: window.submit_code("BADGE-INES"))
    assert refused.verdict.value == "needs_supervisor"
    assert screen.dialog is dialog and "supervisor" in dialog.message.text()
    assert dialog.approver.text() == ""  # asked again

    approved = answer(qtbot, screen, lambda: window.submit_code("BADGE-SAM"))
    assert approved.verdict.value == "overridden", approved.message
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    assert window.user is not None and window.user.name == "ines"
    assert window.current_screen() == "returns"
    # One sign-in (ines'); sam approved, and is recorded as the approver.
    assert rows(
        returns_db,
        "SELECT u.name FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'user.login'",
    ) == [("ines",)]
    assert rows(
        returns_db,
        "SELECT u.name FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'approve.disposition_override'",
    ) == [("sam",)]
    assert rows(returns_db, "SELECT disposition, refund, refund_pct FROM return_items") == [
        ("resell_open_box", "partial", 80)
    ]


def test_badge_and_pin_approve_an_override_a_pin_alone_never(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window
    screen, dialog = override_dialog(qtbot, window)

    def type_credential(credential: str) -> ReturnOutcome:
        dialog.approver.clear()
        qtbot.keyClicks(dialog.approver, credential)
        return answer(qtbot, screen, lambda: qtbot.keyClick(dialog.approver, Qt.Key.Key_Return))

    alone = type_credential("9999")  # sam's PIN, without his badge
    assert alone.verdict.value == "needs_supervisor"
    assert screen.dialog is dialog
    wrong = type_credential("BADGE-SAM 1111")  # his badge with a wrong PIN
    assert wrong.verdict.value == "needs_supervisor"
    approved = type_credential("BADGE-SAM 9999")
    assert approved.verdict.value == "overridden", approved.message
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    assert rows(
        returns_db,
        "SELECT u.name FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'approve.disposition_override'",
    ) == [("sam",)]
    assert rows(returns_db, "SELECT count(*) FROM return_items WHERE refund_pct = 80") == [(1,)]


def test_f2_for_an_order_never_packed_asks_a_supervisor_whose_badge_scan_approves(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    unknown = answer(qtbot, screen, lambda: window.submit_code("SO-1004"))
    assert unknown.verdict.value == "unknown_rma" and screen.create_ref == "SO-1004"
    assert screen.awaiting_ack  # no return found is red: acknowledged before F2 counts
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)
    asked = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F2))
    assert asked.verdict.value == "needs_supervisor" and "never packed" in asked.message
    dialog = screen.dialog
    assert isinstance(dialog, ApprovalDialog)
    assert rows(returns_db, "SELECT count(*) FROM rmas WHERE order_number = 'SO-1004'") == [(0,)]

    qtbot.keyClicks(dialog.reason, "parcel came with the order slip only")
    refused = answer(qtbot, screen, lambda: window.submit_code("BADGE-INES"))  # her own
    assert refused.verdict.value == "needs_supervisor" and screen.dialog is dialog
    created = answer(qtbot, screen, lambda: window.submit_code("BADGE-SAM"))
    assert created.verdict.value == "rma_created", created.message
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    assert window.user is not None and window.user.name == "ines"
    assert rows(returns_db, "SELECT note FROM rmas WHERE order_number = 'SO-1004'") == [
        ("parcel came with the order slip only",)
    ]
    assert rows(
        returns_db,
        "SELECT u.name, a.action FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action != 'user.login' OR u.name != 'ines' ORDER BY a.id",
    ) == [("sam", "approve.rma_unpacked_order"), ("ines", "rma.created")]


def test_a_bench_without_a_camera_disposes_with_a_supervisors_waiver(
    qtbot: QtBot, bench: Station, returns_db: Database
) -> None:
    window = bench.window  # bare settings: no camera at this bench
    screen = mug_failed(qtbot, window)

    asked = answer(qtbot, screen, lambda: qtbot.keyClick(screen.input, Qt.Key.Key_F10))
    assert asked.verdict.value == "photo_required" and "waiver" in asked.message
    dialog = screen.dialog
    assert isinstance(dialog, ApprovalDialog)
    qtbot.keyClicks(dialog.reason, "no camera at this bench")
    refused = answer(qtbot, screen, lambda: window.submit_code("BADGE-INES"))  # her own
    assert refused.verdict.value == "needs_supervisor" and screen.dialog is dialog
    disposed = answer(qtbot, screen, lambda: window.submit_code("BADGE-SAM"))
    assert disposed.verdict.value == "disposed", disposed.message
    qtbot.waitUntil(lambda: screen.dialog is None, timeout=WAIT_MS)
    assert window.user is not None and window.user.name == "ines"
    assert rows(returns_db, "SELECT grade, status FROM return_items") == [("F", "disposed")]
    waived = rows(
        returns_db,
        "SELECT u.name, a.detail FROM audit_log a JOIN users u ON u.id = a.user_id"
        " WHERE a.action = 'approve.photo_waiver'",
    )
    assert len(waived) == 1 and waived[0][0] == "sam"
    assert '"no camera at this bench"' in str(waived[0][1])
