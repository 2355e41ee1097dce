"""The real station window on the pack engine's test database, built as ``station-ui`` builds it.

``build_station`` from ``ui.composition`` wires the real DbWorker, the PackService inside its
PackBench, and SessionLogin; only the sound player is a recorder, because this machine has no
audio device (QSoundEffect would report an error and play nothing) and what matters is which
sound the station asked for.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from drivers.registry import CameraDeviceConfig, PrinterDeviceConfig, ScaleDeviceConfig
from station.config import DeviceSettings, Settings
from station.db import Database
from station.db.models import Role
from station.users import create_user
from tests.station.packfixtures import build_db
from ui.composition import Station, build_station, start_bench
from ui.main_window import StationWindow
from ui.settings import UiSettings
from ui.sounds import Sound

WAIT_MS = 5000
PACKER_PIN = "4321"


class RecordingPlayer:
    """Sound player double: remembers what it was asked to play."""

    def __init__(self) -> None:
        self.played: list[Sound] = []

    def play(self, sound: Sound) -> None:
        self.played.append(sound)


def build_ui_db(path: Path) -> Database:
    """The pack engine's test database plus a packer with a PIN and an inspector."""
    db = build_db(path)
    with db.session() as session:
        create_user(session, "pat", Role.PACKER, pin=PACKER_PIN, badge="BADGE-PAT")
        create_user(session, "ines", Role.INSPECTOR, badge="BADGE-INES")
        session.commit()
    return db


def bare_settings(db: Database) -> Settings:
    """A bench without scale, printer or camera: packing needs no weighing, prints nothing."""
    devices = DeviceSettings(
        scale=ScaleDeviceConfig(kind="none"),
        printer=PrinterDeviceConfig(kind="none"),
        camera=CameraDeviceConfig(kind="none"),
    )
    return Settings(db_path=db.path, devices=devices)


def open_station(
    db: Database,
    player: RecordingPlayer | None = None,
    idle_lock_s: float = 600.0,
    settings: Settings | None = None,
) -> Station:
    """The station window on ``db``, shown at the bench's smallest size."""
    ui = UiSettings(idle_lock_s=idle_lock_s)
    settings = settings or bare_settings(db)
    station = build_station(settings, db, ui, player or RecordingPlayer())
    station.window.resize(1280, 800)
    station.window.show()
    return station


@contextmanager
def running_bench(
    db: Database, settings: Settings, player: RecordingPlayer | None = None, *, sync: bool = False
) -> Iterator[Station]:
    """The window with its devices, print worker (and sync worker) running, as ``station-ui``
    runs it; everything stopped and checked for leaks afterwards."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    station = open_station(db, player, settings=settings)
    try:
        start_bench(station, settings, db, sync=sync)
        yield station
    finally:
        station.close()
    assert_nothing_left(before)


def assert_nothing_left(before: set[int]) -> None:
    """No station window and no worker or device thread outlives ``Station.close``."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if id(w) not in before]
    assert left == [], f"widgets left behind: {left}"
    ours = ("station-db", "station-sync", "print-worker", "print-start")
    threads = [t.name for t in threading.enumerate() if t.name.startswith(ours)]
    assert threads == [], f"threads left behind: {threads}"


def sign_in(qtbot: QtBot, window: StationWindow, badge: str) -> None:
    """Scan a badge at the sign-in screen and wait for the role's first screen."""
    with qtbot.waitSignal(window.screen_changed, timeout=WAIT_MS):
        window.submit_code(badge)
