"""The devices and settings screen, driven through its real widgets in the real window: checks
against a scale emulator on a pty, the ZPL printer emulator over TCP and a video file; save
into a TOML file that ``load_settings`` reads back, with comments kept and the change audited;
bad values refused naming the field; only supervisors and admins get there."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from drivers.printer.emulator import Language, TcpPrinterEmulator
from drivers.scale.emulator import ScaleEmulator
from station.config import load_settings
from station.config_write import AUDIT_ACTION
from station.db import Database
from station.db.models import AuditEntry
from station.session_login import Screen
from station.users import find_by_badge
from tests.ui.stationfixtures import (
    RecordingPlayer,
    assert_nothing_left,
    bare_settings,
    sign_in,
)
from ui.composition import Station, build_station
from ui.devices_screen import DevicesScreen
from ui.devices_screen.ports_model import Choice, ChoiceBox, ChoicesModel
from ui.devices_screen.runner import THREAD_PREFIX
from ui.settings import UiSettings
from ui.tools.showcase_devices import demo_video

CHECK_MS = 15000  # a check's own time-outs are 5 s (scale) and 10 s (camera)
STATION_TOML = """\
# Bench 3 -- the scale moved to the left port in May.
[station]
name = "bench-3"

[devices.scale]
kind = "emulated"  # until the Mettler is back from calibration

[ui]
idle_lock_s = 600
"""


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "station.toml"
    path.write_text(STATION_TOML, encoding="utf-8")
    return path


@pytest.fixture
def bench(qtbot: QtBot, ui_db: Database, config_path: Path) -> Iterator[Station]:
    """The station window on its own configuration file; leaks checked afterwards."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    settings = bare_settings(ui_db)
    station = build_station(
        settings, ui_db, UiSettings(idle_lock_s=600), RecordingPlayer(), config_path=config_path
    )
    station.window.resize(1280, 800)
    station.window.show()
    yield station
    station.close()
    assert_nothing_left(before)
    # The checks' threads end with the screen (none was left running by these tests).
    qtbot.waitUntil(lambda: not checks())


def checks() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith(THREAD_PREFIX)}


def open_devices(qtbot: QtBot, station: Station, badge: str = "BADGE-SAM") -> DevicesScreen:
    window = station.window
    sign_in(qtbot, window, badge)
    screen = window.findChild(DevicesScreen)
    assert screen is not None
    with qtbot.waitSignal(screen.detected, timeout=CHECK_MS):
        window.show_screen("devices")
    assert window.current_screen() == "devices"
    return screen


def choose(box: QWidget, value: str) -> None:
    """Pick the entry whose value is ``value``, as a click in the list would."""
    assert isinstance(box, QComboBox)
    row = box.findData(value)
    assert row >= 0, f"{value!r} is not offered"
    box.setCurrentIndex(row)


def type_into(qtbot: QtBot, box: QWidget, text: str) -> None:
    """Clear the field and type ``text`` key by key."""
    editor = box.lineEdit() if isinstance(box, QComboBox) else box
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)


def press(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_check(qtbot: QtBot, screen: DevicesScreen, button: QPushButton) -> tuple[bool, str]:
    with qtbot.waitSignal(screen.checked, timeout=CHECK_MS) as answered:
        press(qtbot, button)
    _role, ok, text = answered.args
    return ok, text


def audit_entries(db: Database) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == AUDIT_ACTION)))


# --- the model --------------------------------------------------------------------------


def test_the_choices_model_passes_qtmodeltester(qtmodeltester: ModelTester) -> None:
    model = ChoicesModel()
    model.set_detected([Choice("/dev/ttyS0", "n/a"), Choice("/dev/ttyUSB0", "FTDI 0403:6001")])
    # The tester checks the model now and then every insert and removal that follows.
    qtmodeltester.check(model, force_py=True)
    model.add_typed("/dev/pts/9")
    # Unplugged, plugged in elsewhere, a typed path found after all, a duplicate report.
    found = [Choice("/dev/ttyACM0", "scanner"), Choice("/dev/pts/9"), Choice("/dev/ttyS0", "n/a")]
    model.set_detected([*found, Choice("/dev/ttyACM0", "again")])
    assert [c.value for c in model.choices()] == ["/dev/ttyACM0", "/dev/pts/9", "/dev/ttyS0"]
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "scanner"


def test_a_typed_port_survives_a_refresh_of_the_list(qtbot: QtBot) -> None:
    model = ChoicesModel()
    model.set_detected([Choice("/dev/ttyS0")])
    box = ChoiceBox(model)
    qtbot.addWidget(box)
    type_into(qtbot, box, "/dev/pts/42")
    model.set_detected([Choice("/dev/ttyUSB0"), Choice("/dev/ttyS1")])
    assert box.value() == "/dev/pts/42"


# --- who gets there ---------------------------------------------------------------------


def test_a_packer_cannot_open_the_screen(qtbot: QtBot, bench: Station) -> None:
    window = bench.window
    sign_in(qtbot, window, "BADGE-ALICE")
    window.show_screen("devices")
    assert window.current_screen() == "pack"
    assert not window.nav.buttons[Screen.DEVICES].isVisible()


# --- checks against emulators -----------------------------------------------------------


def test_read_weight_from_the_scale_typed_in(qtbot: QtBot, bench: Station) -> None:
    screen = open_devices(qtbot, bench)
    with ScaleEmulator("mtsics", weight="3.210") as emulator:
        choose(screen.scale.widget("kind"), "mt-sics")
        type_into(qtbot, screen.scale.widget("port"), emulator.port)  # a pty, typed by hand
        ok, text = run_check(qtbot, screen, screen.weight_button)
    assert ok, text
    assert screen.weight_result.text() == "3210 g  stable"
    assert screen.weight_button.isEnabled()
    # Nothing was saved by trying it.
    assert load_settings(screen.config_path, env={}).devices.scale.kind == "emulated"
    # The typed pty is offered to the other port fields from now on.
    assert emulator.port in [c.value for c in screen.ports.choices()]


def test_a_missing_port_and_a_refused_printer_say_why(qtbot: QtBot, bench: Station) -> None:
    screen = open_devices(qtbot, bench)
    choose(screen.scale.widget("kind"), "nci")
    type_into(qtbot, screen.scale.widget("port"), "/dev/ttyNO-SUCH-PORT")
    ok, text = run_check(qtbot, screen, screen.weight_button)
    assert not ok and "No such file or directory" in text and "plugged in" in text
    assert screen.weight_result.text() == text

    with TcpPrinterEmulator(Language.ZPL) as emulator:
        closed_url = emulator.url
    choose(screen.printer.widget("kind"), "zpl")
    type_into(qtbot, screen.printer.widget("url"), closed_url)
    ok, text = run_check(qtbot, screen, screen.print_button)
    assert not ok and "refused" in text


def test_print_test_label_reaches_the_zpl_emulator(qtbot: QtBot, bench: Station) -> None:
    screen = open_devices(qtbot, bench)
    with TcpPrinterEmulator(Language.ZPL) as emulator:
        choose(screen.printer.widget("kind"), "zpl")
        type_into(qtbot, screen.printer.widget("url"), emulator.url)
        ok, text = run_check(qtbot, screen, screen.print_button)
        assert ok, text
        [label] = emulator.wait_for_jobs(1, timeout=5.0)
    assert label.startswith(b"^XA") and label.rstrip().endswith(b"^XZ")
    assert text.startswith("test label sent to tcp://127.0.0.1:")


def test_camera_frame_from_a_video_file(qtbot: QtBot, bench: Station, tmp_path: Path) -> None:
    screen = open_devices(qtbot, bench)
    video = demo_video(tmp_path / "bench-camera.avi")
    choose(screen.camera.widget("kind"), "opencv")
    type_into(qtbot, screen.camera.widget("source"), str(video))
    ok, text = run_check(qtbot, screen, screen.frame_button)
    assert ok, text
    assert text == "frame of 1280×720"
    pixmap = screen.frame.pixmap()
    assert not pixmap.isNull() and pixmap.width() == 320 and screen.frame.isVisible()


# --- save -------------------------------------------------------------------------------


def test_save_writes_the_devices_keeps_the_rest_and_audits(
    qtbot: QtBot, bench: Station, ui_db: Database, config_path: Path
) -> None:
    screen = open_devices(qtbot, bench)
    choose(screen.scale.widget("kind"), "mt-sics")
    type_into(qtbot, screen.scale.widget("port"), "/dev/ttyUSB1")
    type_into(qtbot, screen.scale.widget("baud"), "19200")
    choose(screen.printer.widget("kind"), "zpl")
    type_into(qtbot, screen.printer.widget("url"), "tcp://10.0.0.7:9100")
    choose(screen.printer.widget("dpi"), "300")
    choose(screen.camera.widget("kind"), "opencv")
    type_into(qtbot, screen.camera.widget("source"), "/dev/video2")

    with qtbot.waitSignal(screen.saved, timeout=CHECK_MS) as saved:
        press(qtbot, screen.save_button)

    devices = load_settings(config_path, env={}).devices
    assert (devices.scale.kind, devices.scale.port, devices.scale.baud) == (
        "mt-sics",
        "/dev/ttyUSB1",
        19200,
    )
    assert (devices.printer.kind, devices.printer.url, devices.printer.dpi) == (
        "zpl",
        "tcp://10.0.0.7:9100",
        300,
    )
    assert (devices.camera.kind, devices.camera.source) == ("opencv", "/dev/video2")
    text = config_path.read_text(encoding="utf-8")
    assert text.startswith("# Bench 3 -- the scale moved to the left port in May.")
    assert 'kind = "mt-sics"  # until the Mettler is back from calibration' in text
    assert "[ui]\nidle_lock_s = 600" in text and '[station]\nname = "bench-3"' in text
    assert "restarts" in screen.message.text() and str(config_path) in screen.message.text()

    changed = {c.field for c in saved.args[0]}
    assert {"devices.scale.kind", "devices.scale.port", "devices.printer.url"} <= changed
    [entry] = audit_entries(ui_db)
    with ui_db.session() as session:
        sam = find_by_badge(session, "BADGE-SAM")
        assert sam is not None and entry.user_id == sam.id
    assert entry.detail is not None
    changes = entry.detail["changes"]
    assert isinstance(changes, list)
    assert {"field": "devices.scale.port", "old": "", "new": "/dev/ttyUSB1"} in changes

    # The screen starts again from what was saved.
    press(qtbot, screen.revert_button)
    assert screen.scale.fields["port"].value() == "/dev/ttyUSB1"


@pytest.mark.parametrize(
    ("role", "key", "kind", "text", "field"),
    [
        ("scale", "baud", "mt-sics", "abc", "devices.scale.baud"),
        ("scale", "port", "mt-sics", "", "devices.scale.port"),
        ("printer", "url", "zpl", "printer-7", "devices.printer.url"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(
    qtbot: QtBot,
    bench: Station,
    ui_db: Database,
    config_path: Path,
    role: str,
    key: str,
    kind: str,
    text: str,
    field: str,
) -> None:
    screen = open_devices(qtbot, bench)
    form = screen.forms[role]
    choose(form.widget("kind"), kind)
    if role == "scale":
        type_into(qtbot, form.widget("port"), "/dev/ttyUSB0")
    type_into(qtbot, form.widget(key), text)
    with qtbot.waitSignal(screen.refused, timeout=CHECK_MS) as refused:
        press(qtbot, screen.save_button)
    assert refused.args[0] == field
    assert screen.message.text().startswith(f"[devices.{role}] {key}: ")
    focused = QApplication.focusWidget()
    assert focused is not None and (
        focused is form.widget(key) or form.widget(key).isAncestorOf(focused)
    )
    # Nothing written, nothing audited; what was typed is still there to be corrected.
    assert config_path.read_text(encoding="utf-8") == STATION_TOML
    assert audit_entries(ui_db) == []
    assert form.values()[key] == text
