"""The emulated bench camera (a looping video file through the real driver) and a pack video."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np

from drivers.camera.capture import Camera, CameraConfig
from drivers.camera.model import Frame
from drivers.camera.synth import make_frame

SIZE = (640, 360)  # (width, height) of the emulated camera's picture


def camera_file(path: Path, frames: int = 12) -> Path:
    """An MJPG .avi of synthetic bench scenes (a barcode on a cluttered grey table)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30.0, SIZE)
    assert writer.isOpened()
    for shot in range(frames):
        image = make_frame(41, "ean13", 3, 8.0, shot).image
        small = cv2.resize(image, SIZE, interpolation=cv2.INTER_AREA)
        writer.write(cv2.cvtColor(small, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path


@contextmanager
def running_camera(source: Path, on_frame: Callable[[Frame], None]) -> Iterator[Camera]:
    """The real camera driver on ``source``, looping at the file's 30 fps, as a camera would."""
    camera = Camera(CameraConfig(str(source), loop=True), on_frame, lambda _status: None)
    camera.start()
    try:
        yield camera
    finally:
        camera.stop()


def wait_until(check: Callable[[], bool], what: str, timeout_s: float = 20.0) -> None:
    """Wait for ``check`` (a thread's work); fail naming ``what`` if it never holds."""
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


def read_video(path: Path) -> list[np.ndarray]:
    """Every frame of a video file, decoded by OpenCV."""
    capture = cv2.VideoCapture(str(path))
    frames = []
    try:
        while True:
            ok, image = capture.read()
            if not ok:
                break
            frames.append(image)
    finally:
        capture.release()
    return frames
