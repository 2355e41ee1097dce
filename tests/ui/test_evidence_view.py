"""The evidence view: an order found by number or by the customer's name, its record shown
(packages, scans, weighings, photos, labels, who), and exported as a PDF for a dispute."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.config import Settings
from station.db import Database
from tests.ui.stationfixtures import WAIT_MS, sign_in
from ui.composition import Station
from ui.evidence.document import EvidenceView, write_pdf
from ui.evidence.screen import EvidenceScreen
from ui.main_window import StationWindow
from ui.tools.screenshot_returns import pack_showcase


def shown(qtbot: QtBot, screen: EvidenceScreen, text: str) -> EvidenceView:
    window = screen.window()
    assert isinstance(window, StationWindow)
    with qtbot.waitSignal(screen.record_shown, timeout=WAIT_MS) as blocker:
        window.submit_code(text)
    view = blocker.args[0]
    assert isinstance(view, EvidenceView)
    return view


def test_find_an_order_read_its_record_and_export_it(
    qtbot: QtBot, station: Station, ui_db: Database, tmp_path: Path
) -> None:
    # Packed through the real engine with a weighing and a camera photo.
    settings = Settings(db_path=ui_db.path)
    number, _, _ = pack_showcase(ui_db, settings)
    window = station.window
    sign_in(qtbot, window, "BADGE-SAM")
    window.show_screen("evidence")
    screen = window.evidence
    assert screen is not None and window.current_screen() == "evidence"
    assert not screen.export_button.isEnabled()

    view = shown(qtbot, screen, number)
    assert view.record.order == number and len(view.images) == 1
    text = screen.view.toPlainText()
    for expected in (f"Evidence of order {number}", "Package 1", "alice", "pass", "completion"):
        assert expected in text
    assert screen.export_button.isEnabled()

    with qtbot.waitSignal(screen.exported, timeout=WAIT_MS) as written:
        qtbot.keyClick(screen.input, Qt.Key.Key_F9)
    pdf = written.args[0]
    assert isinstance(pdf, Path) and pdf.parent == screen.export_dir
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000  # a photo is in it
    assert str(pdf) in screen.message.text()

    # A PDF written anywhere else too (the same record, offscreen).
    other = write_pdf(view, "bench-1", tmp_path / "dispute" / "record.pdf")
    assert other.read_bytes().startswith(b"%PDF")


def test_an_unknown_order_says_so_and_a_badge_switches_user(qtbot: QtBot, station: Station) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-SAM")
    window.show_screen("evidence")
    screen = window.evidence
    assert screen is not None
    window.submit_code("SO-NOPE")
    qtbot.waitUntil(lambda: "No order found" in screen.message.text(), timeout=WAIT_MS)
    assert screen.record is None
    with qtbot.waitSignal(window.nav.screen_chosen, timeout=200, raising=False):
        window.submit_code("BADGE-SUE")
    qtbot.waitUntil(lambda: window.user is not None and window.user.name == "sue", timeout=WAIT_MS)
    assert window.current_screen() == "evidence"
