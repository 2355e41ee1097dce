"""``./dev start`` headless: the real composition root with the demo database and the demo
(emulated) devices, closed once the window is up and the scale has shown a weight."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.db import open_database
from station.db.engine import reader
from station.db.models import Order
from ui.app import main
from ui.main_window import StationWindow

DEADLINE_MS = 10_000
POLL_MS = 50


def test_the_demo_station_starts_shows_a_live_weight_and_exits_cleanly(
    qapp, tmp_path: Path, capsys
):
    seen: dict[str, str] = {}
    waited = 0
    before = {id(w) for w in QApplication.topLevelWidgets()}

    def close_when_ready() -> None:
        # Polled from inside app.exec(): the window is shown by then. Close once the emulated
        # scale's weight is on screen, or at the deadline (the assertions below then fail).
        nonlocal waited
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, StationWindow)]
        if windows and windows[0].isVisible():
            seen["weight"] = windows[0].pack.weight.value_text()
            seen["screen"] = windows[0].current_screen()
        waited += POLL_MS
        if seen.get("weight") != "1.250 kg" and waited < DEADLINE_MS:
            QTimer.singleShot(POLL_MS, close_when_ready)
            return
        QApplication.closeAllWindows()

    QTimer.singleShot(POLL_MS, close_when_ready)
    db_path = tmp_path / "d.sqlite"
    status = main(["--db", str(db_path), "--demo"])

    assert status == 0
    assert f"station-ui: database {db_path}" in capsys.readouterr().err
    assert seen["weight"] == "1.250 kg"
    assert seen["screen"] == "login"  # nobody is signed in at start
    assert [w for w in QApplication.topLevelWidgets() if id(w) not in before] == []
    assert not [t for t in threading.enumerate() if t.name.startswith("station-db")]
    db = open_database(db_path)
    try:
        with Session(reader(db.engine)) as session:
            assert (session.scalar(select(func.count()).select_from(Order)) or 0) > 0
    finally:
        db.close()
