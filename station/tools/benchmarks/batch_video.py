"""Camera frames dropped by live decoding with the pack video recording, and without.

The real camera driver plays an emulated camera (a looping 1280x720 MJPEG file of bench
scenes with barcodes, delivered at its 30 fps as a camera would) into the live decoder
(:class:`drivers.camera.scanner.CameraScanner`), for ``seconds`` with the pack video off and
``seconds`` with it recording one long take (:class:`station.video.recorder.VideoRecorder`,
frames offered from the capture thread as the window does), in alternating stretches so both
see the same machine. A frame is dropped when the camera produced it (30 a second from the
first frame on) and the decoder never decoded it: because capture fell behind (a real
camera's driver would have overwritten it), or because a newer frame replaced it before the
decoder was free (``CameraScanner.skipped``).

Figures are per minute of camera time. The video's own sampling (it writes ``fps`` frames a
second, not 30) is not a drop: it is what the video is configured to keep.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import cv2

from drivers.camera.capture import Camera, CameraConfig
from drivers.camera.model import Frame
from drivers.camera.scanner import CameraScanner
from drivers.camera.synth import make_frame
from station.config import VideoSettings
from station.video.recorder import Recording, VideoRecorder

FPS = 30.0
SCENES = 24
STRETCHES = 4


@dataclass(frozen=True)
class DropFigures:
    """Frames dropped per minute with the video off and on, and what the video wrote."""

    off_per_minute: float
    on_per_minute: float
    frames_off: int
    """Frames the camera produced with the video off (decoded or not)."""
    frames_on: int
    video_frames_written: int


def camera_scenes(path: Path) -> Path:
    """A looping 1280x720 MJPEG file: bench scenes, every other one holding a barcode."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), FPS, (1280, 720))
    try:
        for shot in range(SCENES):
            kind = "ean13" if shot % 2 == 0 else None
            image = make_frame(shot // 4, kind, 3, 12.0, shot).image
            writer.write(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    finally:
        writer.release()
    return path


class _Run:
    """One stretch of camera time into the decoder (and the recorder, when given)."""

    def __init__(self, recorder: VideoRecorder | None) -> None:
        self.recorder = recorder
        self.scanner = CameraScanner(lambda _code: None, name="bench")
        self.frames = 0
        self.first: float | None = None
        self.last = 0.0

    def on_frame(self, frame: Frame) -> None:
        # The capture thread: as the registry's camera scanner and the window's feed do.
        self.last = time.monotonic()
        if self.first is None:
            self.first = self.last
        self.frames += 1
        self.scanner.submit(frame)
        if self.recorder is not None:
            self.recorder.offer(frame)

    @property
    def produced(self) -> int:
        """Frames a 30 fps camera produced from the first frame on."""
        return 0 if self.first is None else 1 + round((self.last - self.first) * FPS)

    @property
    def dropped(self) -> int:
        return max(0, self.produced - self.scanner.decoded)


def _stretch(source: Path, seconds: float, recorder: VideoRecorder | None) -> _Run:
    run = _Run(recorder)
    camera = Camera(CameraConfig(str(source), name="bench", loop=True), run.on_frame, _quiet)
    run.scanner.start()
    camera.start()
    try:
        time.sleep(seconds)
    finally:
        camera.stop()
        run.scanner.drain()  # the last frame offered is decoded, not counted as dropped
        run.scanner.stop()
    return run


def _quiet(_status: object) -> None:
    return None


def measure_drops(workdir: Path, seconds: float, video: VideoSettings) -> DropFigures:
    """Frames dropped per minute, video off and on (``seconds`` of camera time each)."""
    source = camera_scenes(workdir / "camera.avi")
    written: list[Recording] = []
    recorder = VideoRecorder(video, workdir / "video", written.append)
    recorder.start()
    off: list[_Run] = []
    on: list[_Run] = []
    try:
        recorder.begin("SO-BENCH", "bench")
        for _ in range(STRETCHES):  # off, on, off, on...: both see the same machine
            off.append(_stretch(source, seconds / STRETCHES, None))
            on.append(_stretch(source, seconds / STRETCHES, recorder))
        recorder.end(completed=True)
        recorder.idle()
    finally:
        recorder.stop()
    minutes = seconds / 60
    return DropFigures(
        off_per_minute=sum(r.dropped for r in off) / minutes,
        on_per_minute=sum(r.dropped for r in on) / minutes,
        frames_off=sum(r.produced for r in off),
        frames_on=sum(r.produced for r in on),
        video_frames_written=recorder.written,
    )
