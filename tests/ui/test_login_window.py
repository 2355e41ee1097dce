"""Sign-in through the window: badge or PIN, the role decides the screens, idle lock, switching
user by badge; on the real database through the real worker."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.db import Database
from station.session_login import Screen
from tests.station.packfixtures import MUG
from tests.ui.stationfixtures import (
    PACKER_PIN,
    WAIT_MS,
    assert_nothing_left,
    open_station,
    sign_in,
)
from tests.ui.test_pack_window import scan
from ui.composition import Station


def visible_screens(station: Station) -> list[str]:
    nav = station.window.nav
    return [s.value for s, b in nav.buttons.items() if not b.isHidden()]


def test_the_station_starts_at_sign_in(station: Station) -> None:
    assert station.window.current_screen() == "login"
    assert station.window.nav.isHidden()


def test_a_packer_signs_in_by_badge_and_sees_only_the_pack_screen(
    qtbot: QtBot, station: Station
) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    assert window.current_screen() == "pack"
    assert window.user is not None and window.user.name == "alice"
    assert window.nav.user_label.text() == "alice · packer"
    assert visible_screens(station) == []  # one screen: no buttons to choose
    window.show_screen(Screen.DEVICES)  # a supervisor's screen: refused
    assert window.current_screen() == "pack"


def test_a_pin_signs_in_and_a_wrong_one_says_so(qtbot: QtBot, station: Station) -> None:
    login = station.window.login_screen
    with qtbot.waitSignal(login.refused, timeout=WAIT_MS):
        qtbot.keyClicks(login.pin_input, "0000")
        qtbot.keyClick(login.pin_input, Qt.Key.Key_Return)
    assert login.message_text() == "wrong PIN"
    assert login.pin_input.text() == ""
    with qtbot.waitSignal(station.window.screen_changed, timeout=WAIT_MS):
        qtbot.keyClicks(login.pin_input, PACKER_PIN)
        qtbot.keyClick(login.pin_input, Qt.Key.Key_Return)
    assert station.window.user is not None and station.window.user.name == "pat"


def test_only_a_badge_signs_in(qtbot: QtBot, station: Station) -> None:
    login = station.window.login_screen
    with qtbot.waitSignal(login.refused, timeout=WAIT_MS):
        station.window.submit_code("SO-1001")
    assert "not a badge" in login.message_text()
    assert station.window.current_screen() == "login"


def test_an_inspector_opens_returns_and_a_supervisor_every_screen(
    qtbot: QtBot, station: Station
) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-INES")
    assert window.current_screen() == Screen.RETURNS
    window.lock()
    sign_in(qtbot, window, "BADGE-SAM")
    assert window.current_screen() == Screen.PACK
    assert visible_screens(station) == [s.value for s in Screen]
    window.show_sync_status(False, 3, None)  # the offline strip too
    qtbot.wait(10)
    # Five screen buttons, the lock and the strip fit the smallest bench screen.
    assert (window.width(), window.height()) == (1280, 800)
    qtbot.keyClick(window.pack.input, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() == Screen.DEVICES


def test_a_badge_at_the_pack_screen_switches_user(qtbot: QtBot, station: Station) -> None:
    window, pack = station.window, station.window.pack
    sign_in(qtbot, window, "BADGE-ALICE")
    scan(qtbot, pack, "SO-1001")
    assert scan(qtbot, pack, "BADGE-PAT").verdict.value == "user_changed"
    qtbot.waitUntil(lambda: window.user is not None and window.user.name == "pat", timeout=WAIT_MS)
    assert window.current_screen() == "pack"  # pat carries on with the open order
    assert scan(qtbot, pack, MUG).user == "pat"
    # An inspector's badge: the engine switches user, the window opens the inspector's screen.
    scan(qtbot, pack, "BADGE-INES")
    qtbot.waitUntil(lambda: window.current_screen() == Screen.RETURNS, timeout=WAIT_MS)
    # On a screen without scans a badge still switches user.
    with qtbot.waitSignal(window.screen_changed, timeout=WAIT_MS):
        window.submit_code("BADGE-ALICE")
    assert window.current_screen() == "pack"


def test_idle_time_locks_the_bench(qtbot: QtBot, ui_db: Database) -> None:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    station = open_station(ui_db, idle_lock_s=0.4)
    try:
        window = station.window
        sign_in(qtbot, window, "BADGE-ALICE")
        for _ in range(4):  # keys keep it awake past the idle time
            qtbot.wait(150)
            qtbot.keyClick(window.pack.input, Qt.Key.Key_A)
        assert window.current_screen() == "pack"
        with qtbot.waitSignal(window.screen_changed, timeout=WAIT_MS) as locked:
            pass
        assert locked.args == ["login"]
        assert window.user is None
        assert "idle" in window.login_screen.locked_text()
        assert "alice" in window.login_screen.locked_text()
        assert station.worker.call(lambda: station.service.user) is None
        sign_in(qtbot, window, "BADGE-ALICE")  # and a badge opens it again
        assert window.current_screen() == "pack"
    finally:
        station.close()
    assert_nothing_left(before)


def test_ctrl_l_locks_at_once(qtbot: QtBot, station: Station) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    qtbot.keyClick(window.pack.input, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.current_screen() == "login"
    assert window.login_screen.locked_text() == "Locked: alice was signed out."
