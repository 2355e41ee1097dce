"""``[ui]`` settings: idle lock, theme and sounds, from the TOML file and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.config import ConfigError, load_settings
from ui.settings import UiSettings, load_ui_settings
from ui.theme import scale_for, theme_sheet


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_ui_settings(None, env={}) == UiSettings()


def test_the_ui_table_and_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, '[station]\nname = "b2"\n[ui]\nidle_lock_s = 90\nsounds = false\n')
    assert load_ui_settings(path, env={}) == UiSettings(idle_lock_s=90.0, sounds=False)
    assert load_ui_settings(path, env={"STATION_IDLE_LOCK_S": "30"}).idle_lock_s == 30.0
    assert load_settings(path, env={}).station_name == "b2"  # the station ignores [ui]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ui]\nidle = 3\n", "unknown setting"),
        ('[ui]\nidle_lock_s = "soon"\n', "expected float"),
        ("[ui]\nidle_lock_s = 0\n", "more than 0"),
        ("ui = 3\n", "must be a table"),
    ],
)
def test_bad_ui_settings_are_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_ui_settings(write(tmp_path, text), env={})


def test_every_bad_ui_setting_is_reported_at_once(tmp_path: Path) -> None:
    text = '[ui]\nidle = 3\nidle_lock_s = "soon"\ntheme = 7\n'
    with pytest.raises(ConfigError) as caught:
        load_ui_settings(write(tmp_path, text), env={})
    assert caught.value.problems == (
        "[ui] idle: unknown setting",
        "[ui] idle_lock_s: expected float",
        "[ui] theme: expected str",
    )


def test_the_theme_grows_on_a_large_screen() -> None:
    assert scale_for(1280, 800) == 1.0
    assert scale_for(1920, 1080) == 1.25
    assert "font-size: 18px" in theme_sheet("high_contrast")
    assert "font-size: 22px" in theme_sheet("high_contrast", 1.25)  # 18 * 1.25, rounded
    with pytest.raises(ValueError, match="no theme"):
        theme_sheet("neon")
