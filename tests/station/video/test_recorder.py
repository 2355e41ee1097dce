"""The recorder on its own: the size cap, and frames offered faster than its frame rate."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from drivers.camera.model import Frame
from station.config import VideoSettings
from station.video.codec import H264, MJPEG, choose_codec, writes
from station.video.recorder import MB, Recording, VideoRecorder
from tests.station.video.videofixtures import read_video

WALL = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


class Done:
    """What ``on_done`` saw (the file is gone once it returns: it is read here)."""

    def __init__(self) -> None:
        self.recordings: list[Recording] = []
        self.sizes: list[int] = []
        self.decoded: list[int] = []
        self.threads: set[str] = set()

    def __call__(self, recording: Recording) -> None:
        self.threads.add(threading.current_thread().name)
        self.recordings.append(recording)
        self.sizes.append(recording.path.stat().st_size)
        self.decoded.append(len(read_video(recording.path)))


def offer_all(recorder: VideoRecorder, frames: list[Frame]) -> None:
    for frame in frames:
        recorder.offer(frame)
        assert recorder.idle()  # taken (or dropped) before the next one


def noise(n: int, fps: float, rng: np.random.Generator) -> list[Frame]:
    """Frames of sensor noise (the worst case for a size cap), ``fps`` apart in time from
    now on (a take keeps only frames captured after it began)."""
    start = time.monotonic() + 1.0
    return [
        Frame(i + 1, rng.integers(0, 256, (360, 640, 3), np.uint8), (640, 360), start + i / fps)
        for i in range(n)
    ]


def test_the_size_cap_stops_the_recording_and_the_file_stays_under_it(tmp_path: Path) -> None:
    done = Done()
    settings = VideoSettings(enabled=True, max_mb=1.0, fps=10.0, codec="mjpeg")
    recorder = VideoRecorder(settings, tmp_path / "work", done, wall=lambda: WALL)
    recorder.start()
    try:
        recorder.begin("SO-1001", "alice", 1)
        offer_all(recorder, noise(60, 10.0, np.random.default_rng(5)))
        recorder.end(completed=True)
        assert recorder.idle()
    finally:
        recorder.stop()
    (recording,) = done.recordings
    assert recording.cut and recording.completed
    assert 1 <= recording.frames < 60 and done.sizes[0] <= 1 * MB
    assert done.decoded == [recording.frames]
    assert done.threads == {"pack-video"}
    assert not list((tmp_path / "work").iterdir())


def test_frames_faster_than_the_frame_rate_are_not_written(tmp_path: Path) -> None:
    done = Done()
    settings = VideoSettings(enabled=True, fps=5.0, codec="mjpeg")
    recorder = VideoRecorder(settings, tmp_path / "work", done, wall=lambda: WALL)
    recorder.start()
    try:
        frames = noise(30, 30.0, np.random.default_rng(6))  # one second of a 30 fps camera
        offer_all(recorder, frames[:3])  # before the take: not kept
        recorder.begin("SO-1002", None)
        stale = Frame(0, frames[0].image, (640, 360), time.monotonic() - 5.0)
        offer_all(recorder, [stale])  # captured before the take began: the order before's
        offer_all(recorder, frames[3:])
        recorder.begin("SO-1003", "bob")  # the next order ends the take, not completed
        recorder.stop()
    finally:
        recorder.stop()
    (recording,) = done.recordings  # SO-1003 had no frame: no file
    assert (recording.take.order, recording.completed, recording.cut) == ("SO-1002", False, False)
    assert recording.frames == 5  # 0.9 s of frames at 5 fps
    assert recorder.offered == 28 and recorder.skipped == 0


def test_the_codec_chosen_is_one_this_opencv_writes() -> None:
    assert choose_codec("mjpeg") == MJPEG
    auto = choose_codec("auto")
    # H.264 where this OpenCV build encodes it (the PyPI wheels do not), else MJPEG.
    assert auto == (H264[0] if writes(H264[0]) else MJPEG)
    assert writes(auto) and choose_codec("h264") == auto
