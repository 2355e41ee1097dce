"""Issue 17, point 7: ``station-ui --demo`` and ``station`` open the same database by default."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.cli.main import build_parser, settings_from
from ui.app import parse_args, run_settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user with no configuration file and no STATION_DB."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("STATION_DB", raising=False)
    return tmp_path


@pytest.mark.parametrize("ui_args", [["--demo"], [], ["--demo", "--fullscreen"]])
def test_window_and_command_line_agree(home: Path, ui_args: list[str]) -> None:
    command_line = settings_from(build_parser(["orders"]).parse_args(["orders", "list"]))
    window = run_settings(parse_args(ui_args))
    assert window.db_path == command_line.db_path
    assert window.db_path.is_relative_to(home / "data")


def test_both_follow_station_db(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_DB", str(home / "bench.sqlite"))
    command_line = settings_from(build_parser(["orders"]).parse_args(["orders", "list"]))
    assert run_settings(parse_args(["--demo"])).db_path == command_line.db_path
    assert command_line.db_path == home / "bench.sqlite"
