"""Qt tests run without a display; the station fixtures build the real window on a real
database (``tests/station/packfixtures.py``) through the real composition root."""

import os

# Must be set before the QApplication exists, i.e. before pytest-qt's qapp fixture runs.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.db import Database
from tests.ui.stationfixtures import (
    RecordingPlayer,
    assert_nothing_left,
    build_ui_db,
    open_station,
)
from ui.composition import Station


@pytest.fixture
def ui_db(tmp_path: Path) -> Iterator[Database]:
    """The pack engine's test database, with a packer who has a PIN and an inspector."""
    database = build_ui_db(tmp_path / "ui.sqlite")
    yield database
    database.close()


@pytest.fixture
def player() -> RecordingPlayer:
    """What the station asked to play (no audio device here)."""
    return RecordingPlayer()


@pytest.fixture
def station(qtbot: QtBot, ui_db: Database, player: RecordingPlayer) -> Iterator[Station]:
    """The station window, shown; closed after the test, which then checks for leaks."""
    before = {id(w) for w in QApplication.topLevelWidgets()}
    built = open_station(ui_db, player)
    yield built
    built.close()
    assert_nothing_left(before)


# The returns screen's bench (a database with packed orders, the window on it); a test module
# that defines its own fixture of the same name uses that one.
from tests.ui.returnsbench import bench, returns_db  # noqa: E402, F401
