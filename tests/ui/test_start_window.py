"""Start-up: the sign-in screen is on screen before the station is loaded, and a badge scanned
meanwhile is not lost: the real window signs that packer in as soon as it is built."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import ui.app
from ui.main_window import StationWindow
from ui.start_window import StartWindow

POLL_MS = 20
DEADLINE_MS = 20_000


def test_a_badge_scanned_while_loading_signs_in_once_the_station_is_built(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A station part that takes a second to import: the scan lands while it loads.
    (tmp_path / "slow_station_part.py").write_text("import time\ntime.sleep(1.0)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(ui.app, "STATION_MODULES", (*ui.app.STATION_MODULES, "slow_station_part"))
    seen: dict[str, object] = {}
    waited = 0
    before = {id(w) for w in QApplication.topLevelWidgets()}

    def watch() -> None:
        nonlocal waited
        waited += POLL_MS
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        starts = [w for w in shown if isinstance(w, StartWindow)]
        if starts and "scanned" not in seen:
            seen["start title"] = starts[0].windowTitle()
            starts[0].take_scan("BADGE-ALICE")  # what the wedge does with a scan
            seen["scanned"] = starts[0].message.text()
        stations = [w for w in shown if isinstance(w, StationWindow)]
        if stations:
            seen["built while start shown"] = bool(starts)
            seen["screen"] = stations[0].current_screen()
        if seen.get("screen") == "pack" or waited > DEADLINE_MS:
            QApplication.closeAllWindows()
        else:
            QTimer.singleShot(POLL_MS, watch)

    QTimer.singleShot(POLL_MS, watch)
    status = ui.app.main(["--db", str(tmp_path / "d.sqlite"), "--demo"])

    assert status == 0
    assert str(seen["start title"]).startswith("Pack station — ")
    assert "signing in as soon as the station is ready" in str(seen["scanned"])
    assert seen["built while start shown"] is False  # handed over: one window at a time
    assert seen["screen"] == "pack"  # Alice, signed in by the badge scanned while loading
    assert [w for w in QApplication.topLevelWidgets() if id(w) not in before] == []
