"""Kiosk mode's rules on the real station window (offscreen): closing is refused, Ctrl+Q
says how to leave, and only a signed-in supervisor leaves. (Focus under X with no window
manager: tests/ui/test_kiosk_x11.py.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.stationfixtures import sign_in
from ui.app import parse_args
from ui.composition import Station
from ui.kiosk import KioskGuard
from ui.settings import load_ui_settings


@pytest.fixture
def left() -> list[bool]:
    """Each time the guard let the station go."""
    return []


@pytest.fixture
def kiosk(station: Station, left: list[bool]) -> Iterator[KioskGuard]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    guard = KioskGuard(app, station.window, leave=lambda: left.append(True))
    yield guard
    guard.close()
    guard.deleteLater()


def test_closing_is_refused_and_ctrl_q_says_how_to_leave(
    qtbot: QtBot, station: Station, kiosk: KioskGuard
) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")  # a packer
    assert not window.close()
    assert window.isVisible()
    kiosk.request_exit()
    assert "scan a supervisor's badge, then Ctrl+Q" in window.status.currentMessage()
    assert window.isVisible()


def test_a_supervisor_leaves_with_ctrl_q(
    qtbot: QtBot, station: Station, kiosk: KioskGuard, left: list[bool]
) -> None:
    window = station.window
    sign_in(qtbot, window, "BADGE-ALICE")
    kiosk.request_exit()
    assert left == []
    window.lock()  # Lock, then the supervisor's badge
    sign_in(qtbot, window, "BADGE-SAM")
    assert kiosk.may_exit()
    kiosk.request_exit()
    assert left == [True]
    assert window.close()  # now the window may close (the application is ending)


def test_focus_returns_to_the_window_after_a_dialog(
    qtbot: QtBot, station: Station, kiosk: KioskGuard
) -> None:
    window = station.window
    box = QMessageBox(QMessageBox.Icon.Information, "t", "a dialog", parent=window)
    box.show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is box)
    box.close()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    box.deleteLater()


def test_kiosk_from_the_command_line_or_the_file(tmp_path) -> None:
    assert parse_args(["--kiosk"]).kiosk
    config = tmp_path / "station.toml"
    config.write_text("[ui]\nkiosk = true\n")
    assert load_ui_settings(config, env={}).kiosk


def test_the_autostart_files_start_the_kiosk() -> None:
    import configparser

    from station.resource_files import resource_dir

    folder = resource_dir("kiosk")
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.read(folder / "pack-station-kiosk.desktop")
    assert desktop["Desktop Entry"]["Exec"] == "station-ui --kiosk"
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.read(folder / "pack-station-kiosk.service")
    assert unit["Service"]["ExecStart"].endswith("/station-ui --kiosk")
    assert unit["Service"]["Restart"] == "on-failure"  # Ctrl+Q (exit 0) stays closed
    assert parse_args(unit["Service"]["ExecStart"].split()[1:]).kiosk
