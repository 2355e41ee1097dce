"""The pack video at the window: the previewed camera's frames of a pack, recorded and stored
by the bench's subscriber while the packer scans (the real camera driver on a video file)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from drivers.camera.synth import make_frame
from station.config import VideoSettings
from station.db import Database
from station.packing.verdicts import Verdict
from tests.drivers.camera.conftest import write_video
from tests.station.packfixtures import MUG, TEE
from tests.station.simulate.packing import rows
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from tests.ui.test_pack_camera import camera_settings
from tests.ui.test_pack_window import scan


def test_a_pack_at_the_window_is_recorded(qtbot: QtBot, tmp_path: Path, ui_db: Database) -> None:
    scene = make_frame(41, "ean13", 3, 8.0).image[:360, :640]
    source = write_video(tmp_path / "camera.avi", [scene] * 240)  # eight seconds at 30 fps
    settings = camera_settings(ui_db, str(source))
    settings = replace(settings, video=VideoSettings(enabled=True, fps=10.0))
    with running_bench(ui_db, settings) as station:
        video = station.video
        assert video is not None
        window, pack = station.window, station.window.pack
        sign_in(qtbot, window, "BADGE-ALICE")
        assert scan(qtbot, pack, "SO-1001").verdict is Verdict.ORDER_OPENED
        qtbot.waitUntil(lambda: video.recorder.written >= 3, timeout=WAIT_MS)
        for code in (MUG, MUG, TEE):
            assert scan(qtbot, pack, code).verdict is Verdict.ACCEPTED
        assert scan(qtbot, pack, "CMD-COMPLETE").verdict is Verdict.COMPLETED
        qtbot.waitUntil(lambda: bool(video.stored), timeout=WAIT_MS)
        (stored,) = video.stored
    assert rows(ui_db, "SELECT sha256 FROM photos WHERE kind = 'video'") == [(stored.sha256,)]
    assert (settings.photo_dir / stored.path).is_file()
    assert [t.name for t in threading.enumerate() if t.name == "pack-video"] == []
