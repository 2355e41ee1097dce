"""``[video]`` in the configuration file: read, and refused with reasons when wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.config import ConfigError, VideoSettings, load_settings


def test_video_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text('[video]\nenabled = true\nmax_mb = 20\nfps = 8\ncodec = "mjpeg"\n')
    video = load_settings(path, env={}).video
    assert video == VideoSettings(enabled=True, max_mb=20.0, fps=8.0, codec="mjpeg")


def test_wrong_video_settings_name_each_problem(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text('[video]\nfps = 0\ncodec = "divx"\nmax_mb = 0\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path, env={})
    assert set(err.value.problems) == {
        "[video] codec: expected auto, h264 or mjpeg",
        "[video] fps: expected 0.5 to 30 frames a second",
        "[video] max_mb: expected more than 0",
    }
