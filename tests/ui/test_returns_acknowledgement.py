"""Nothing is counted on the returns screen while a red verdict waits for its acknowledgement
(issue 20, point 3): not a number key (it must not answer checklist question 1), not
Backspace, not F3 (the observed reason stays), not F8 (no override dialog), not Up/Down, not a
checklist or command barcode. Each is said to be held back (banner, sound); after F12 the same
keys count again.

Through the real window on the database worker and the returns bench.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.returns.verdicts import ReturnOutcome
from tests.station.packfixtures import STRAY
from tests.ui.stationfixtures import (
    WAIT_MS,
    RecordingPlayer,
    sign_in,
)
from ui.composition import Station
from ui.sounds import Sound


def test_no_key_scan_or_command_counts_during_a_red_banner(
    qtbot: QtBot, bench: Station, player: RecordingPlayer
) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-INES")
    screen = window.returns
    assert screen is not None
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS):
        window.submit_code("RMA-5001")
    with qtbot.waitSignal(screen.outcome_shown, timeout=WAIT_MS) as shown:
        window.submit_code(STRAY)  # someone else's product: red
    stray = shown.args[0]
    assert isinstance(stray, ReturnOutcome) and stray.verdict.value == "not_from_order"
    assert screen.awaiting_ack and screen.banner.severity == "error"
    assert screen.checklist.active and screen.checklist.answers == {}
    question = screen.checklist.current()
    reason = screen.item_panel.observed_reason()
    current = screen.current

    presses: list[tuple[Qt.Key, str]] = [
        (Qt.Key.Key_1, "1"),
        (Qt.Key.Key_2, "2"),
        (Qt.Key.Key_F3, "F3"),
        (Qt.Key.Key_F8, "F8"),
        (Qt.Key.Key_Up, "Up"),
    ]
    for key, what in presses:
        with qtbot.waitSignal(screen.scan_held, timeout=WAIT_MS) as held:
            qtbot.keyClick(screen.input, key)
        assert held.args == [what]
        assert player.played[-1] is Sound.HELD
    for code in ("CMD-YES", "CMD-BACK", "CMD-DISPOSE"):
        with qtbot.waitSignal(screen.scan_held, timeout=WAIT_MS) as held:
            window.submit_code(code)
        assert held.args == [code]
    # Nothing moved: no answer, the same question, reason and unit, no dialog.
    assert screen.checklist.answers == {} and screen.checklist.current() == question
    assert screen.item_panel.observed_reason() == reason
    assert screen.current == current and screen.dialog is None
    assert screen.awaiting_ack and screen.banner.severity == "error"

    # Acknowledged (F12): the same key answers the question now.
    qtbot.keyClick(screen.input, Qt.Key.Key_F12)
    qtbot.waitUntil(lambda: not screen.awaiting_ack, timeout=WAIT_MS)
    qtbot.keyClick(screen.input, Qt.Key.Key_1)
    assert screen.checklist.answers == {question: True}
