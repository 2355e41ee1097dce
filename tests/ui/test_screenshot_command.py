"""``station screenshot`` runs ``ui.tools.screenshot`` in a process of its own (``station/`` never
imports Qt) and passes its options and its exit status through."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from station.cli.main import main


def test_station_screenshot_writes_the_screen_as_png(tmp_path: Path) -> None:
    out = tmp_path / "shots" / "login.png"
    assert main(["screenshot", "--screen", "login", "-o", str(out), "--size", "1280x800"]) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1280, 800)


def test_a_screen_that_does_not_exist_is_refused_by_name(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["screenshot", "--screen", "nope", "-o", str(tmp_path / "x.png")]) == 2
    assert "invalid choice: 'nope'" in capfd.readouterr().err
    assert not (tmp_path / "x.png").exists()
