"""Settings of the screens: ``[ui]`` in the station's TOML file, and the environment.

``station.config.load_settings`` reads the tables it knows and leaves ``[ui]`` alone, so the
screens read their own table here, from the same file, without making ``station/`` know
anything about screens::

    [ui]
    idle_lock_s = 300       # lock after this many seconds without a key, touch or scan
    theme = "high_contrast" # a file resources/themes/<theme>.qss
    sounds = true           # false: verdicts are shown, never played
    language = "de"         # a file resources/i18n/station_<language>.qm; "" = the system's
                            # language if there is a translation for it, else English
    kiosk = false           # true: as station-ui --kiosk (full screen, keeps the keyboard,
                            # left only by a supervisor: Lock, badge, Ctrl+Q; docs/kiosk.md)

``STATION_IDLE_LOCK_S`` overrides ``idle_lock_s`` (handy on a shared test bench).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from station.config import ConfigError, default_config_path


@dataclass(frozen=True)
class UiSettings:
    """What the screens are configured with."""

    idle_lock_s: float = 300.0
    theme: str = "high_contrast"
    sounds: bool = True
    language: str = ""
    kiosk: bool = False


def load_ui_settings(path: Path | None = None, env: dict[str, str] | None = None) -> UiSettings:
    """``[ui]`` of ``path`` (or of the default file if it exists), then the environment."""
    env = dict(os.environ) if env is None else env
    file = path or default_config_path()
    table: dict[str, object] = {}
    if path is not None or file.exists():
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read configuration {file}: {exc}") from exc
        raw = data.get("ui", {})
        if not isinstance(raw, dict):
            raise ConfigError("[ui] must be a table")
        table = raw
    defaults = UiSettings()
    values: dict[str, object] = {}
    known = {f.name for f in fields(UiSettings)}
    problems: list[str] = []  # every one reported at once, as station.config does
    for key, value in table.items():
        if key not in known:
            problems.append(f"[ui] {key}: unknown setting")
            continue
        default = getattr(defaults, key)
        if isinstance(default, float) and type(value) is int:
            value = float(value)  # noqa: PLW2901 - TOML writes 300 for 300.0
        if type(value) is not type(default):
            problems.append(f"[ui] {key}: expected {type(default).__name__}")
            continue
        values[key] = value
    if problems:
        raise ConfigError(*problems)
    settings = UiSettings(**values)  # type: ignore[arg-type]
    if env.get("STATION_IDLE_LOCK_S"):
        try:
            seconds = float(env["STATION_IDLE_LOCK_S"])
        except ValueError:
            raise ConfigError("STATION_IDLE_LOCK_S: expected a number of seconds") from None
        settings = replace(settings, idle_lock_s=seconds)
    if settings.idle_lock_s <= 0:
        raise ConfigError("[ui] idle_lock_s: must be more than 0 seconds")
    return settings
