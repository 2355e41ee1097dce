"""The camera driver on the real OpenCV capture path: video files and image sequences."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.capture import Camera, CameraConfig, CameraError, Frame

from .conftest import FRAMES, SIZE


class Recorder:
    """Collects frames and statuses, and the threads they arrived on."""

    def __init__(self) -> None:
        self.frames: list[Frame] = []
        self.statuses: list[DeviceStatus] = []
        self.threads: set[str] = set()
        self.done = threading.Event()

    def frame(self, frame: Frame) -> None:
        self.threads.add(threading.current_thread().name)
        self.frames.append(frame)

    def status(self, status: DeviceStatus) -> None:
        self.statuses.append(status)
        if status.state in (DeviceState.DISCONNECTED, DeviceState.ERROR):
            self.done.set()

    @property
    def states(self) -> list[tuple[DeviceState, str]]:
        return [(s.state, s.reason) for s in self.statuses]


def _run(config: CameraConfig) -> tuple[Camera, Recorder]:
    recorder = Recorder()
    camera = Camera(config, recorder.frame, recorder.status)
    camera.start()
    assert recorder.done.wait(10)
    return camera, recorder


def test_video_file_frames_arrive_reduced_on_the_camera_thread(plain_video: Path) -> None:
    camera, rec = _run(CameraConfig(str(plain_video), preview_width=320, realtime=False))
    camera.stop()
    assert [f.index for f in rec.frames] == list(range(1, FRAMES + 1))
    assert rec.threads == {"camera-camera"} and threading.current_thread().name not in rec.threads
    assert {f.image.shape for f in rec.frames} == {(180, 320, 3)}
    assert {f.full_size for f in rec.frames} == {SIZE}
    levels = [int(f.gray().mean()) for f in rec.frames]
    assert levels == sorted(levels) and abs(levels[-1] - 20 * (FRAMES - 1)) <= 3
    assert rec.states == [
        (DeviceState.CONNECTING, ""),
        (DeviceState.CONNECTED, ""),
        (DeviceState.DISCONNECTED, "video ended"),
    ]


def test_snapshot_is_the_newest_frame_at_full_resolution(plain_video: Path) -> None:
    camera, _ = _run(CameraConfig(str(plain_video), preview_width=320, realtime=False))
    camera.stop()
    still = camera.snapshot()
    assert still.shape == (SIZE[1], SIZE[0], 3)
    assert abs(int(still.mean()) - 20 * (FRAMES - 1)) <= 3
    jpeg = camera.snapshot_jpeg()
    assert jpeg[:2] == b"\xff\xd8"
    decoded = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded is not None and decoded.shape == still.shape


def test_image_sequence(image_sequence: str) -> None:
    camera, rec = _run(CameraConfig(image_sequence, realtime=False))
    camera.stop()
    assert [int(f.gray().mean()) for f in rec.frames] == [0, 60, 120]
    assert rec.statuses[-1] == DeviceStatus("camera", DeviceState.DISCONNECTED, "video ended")


def test_missing_file_is_an_error_with_its_reason(tmp_path: Path) -> None:
    missing = tmp_path / "nope.avi"
    camera, rec = _run(CameraConfig(str(missing), name="bench cam"))
    camera.stop()
    assert rec.frames == []
    assert rec.statuses[-1] == DeviceStatus(
        "bench cam", DeviceState.ERROR, f"cannot open video file {missing}: no such file"
    )
    with pytest.raises(CameraError, match="has delivered no frame"):
        camera.snapshot(timeout_s=0.1)


def test_a_file_that_is_no_video_is_an_error(tmp_path: Path) -> None:
    junk = tmp_path / "notes.avi"
    junk.write_text("not a video")
    camera, rec = _run(CameraConfig(str(junk)))
    camera.stop()
    assert rec.statuses[-1].state is DeviceState.ERROR
    assert str(junk) in rec.statuses[-1].reason


def test_looping_file_runs_until_stopped_and_stop_joins(plain_video: Path) -> None:
    recorder = Recorder()
    enough = threading.Event()

    def on_frame(frame: Frame) -> None:
        recorder.frame(frame)
        if frame.index >= 3 * FRAMES:
            enough.set()

    camera = Camera(
        CameraConfig(str(plain_video), loop=True, realtime=False), on_frame, recorder.status
    )
    camera.start()
    assert enough.wait(10)
    camera.stop()
    assert camera._thread is not None and not camera._thread.is_alive()
    assert recorder.statuses[-1] == DeviceStatus("camera", DeviceState.DISCONNECTED, "stopped")
    indices = [f.index for f in recorder.frames]
    assert indices == list(range(1, len(indices) + 1))  # numbering continues over the loop


def test_realtime_file_is_paced_at_its_frame_rate(plain_video: Path) -> None:
    recorder = Recorder()
    camera = Camera(CameraConfig(str(plain_video)), recorder.frame, recorder.status)
    camera.start()
    assert recorder.done.wait(10)
    camera.stop()
    span = recorder.frames[-1].monotonic - recorder.frames[0].monotonic
    assert span >= (FRAMES - 1) / 30 * 0.8  # 30 fps file: about 0.23 s, not a burst


def test_a_camera_that_cannot_open_is_retried_with_backoff() -> None:
    recorder = Recorder()
    config = CameraConfig("97", backoff_initial_s=0.01, backoff_max_s=0.04)
    camera = Camera(config, recorder.frame, recorder.status)
    camera.start()
    for _ in range(500):
        if len(recorder.statuses) >= 4:
            break
        threading.Event().wait(0.01)
    camera.stop()
    # Doubling, capped at 0.04 s; an unchanged status is reported once.
    reasons = [s.reason for s in recorder.statuses if s.state is DeviceState.ERROR]
    assert reasons == [
        "cannot open camera 97; retrying in 0.01 s",
        "cannot open camera 97; retrying in 0.02 s",
        "cannot open camera 97; retrying in 0.04 s",
    ]
    assert recorder.statuses[-1].state is DeviceState.DISCONNECTED


def test_a_frame_listener_that_raises_does_not_stop_the_camera(plain_video: Path) -> None:
    statuses: list[DeviceStatus] = []
    done = threading.Event()
    seen: list[int] = []

    def bad(frame: Frame) -> None:
        seen.append(frame.index)
        raise RuntimeError("bug in a consumer")

    def status(s: DeviceStatus) -> None:
        statuses.append(s)
        if s.state is DeviceState.DISCONNECTED:
            done.set()

    camera = Camera(CameraConfig(str(plain_video), realtime=False), bad, status)
    camera.start()
    assert done.wait(10)
    camera.stop()
    assert seen == list(range(1, FRAMES + 1))
