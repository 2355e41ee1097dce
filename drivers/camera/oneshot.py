"""One still from a camera, for the command line: start the driver, wait, take, stop."""

from __future__ import annotations

import threading

from drivers.base import DeviceState, DeviceStatus
from drivers.camera.capture import Camera, CameraConfig, CameraError, Frame, Image


def take_snapshot(source: str, *, skip: int = 5, timeout_s: float = 10.0) -> Image:
    """A full-resolution frame from ``source`` after ``skip`` frames have gone by.

    Skipping lets a webcam's automatic exposure settle (its first frames are often dark). A
    video file shorter than that gives its last frame. Raises :class:`CameraError` with the
    driver's reason ("cannot open camera 0") when no frame comes.
    """
    done = threading.Event()
    failure: list[str] = []

    def on_frame(frame: Frame) -> None:
        if frame.index > skip:
            done.set()

    def on_status(status: DeviceStatus) -> None:
        if status.state is DeviceState.ERROR:
            # The driver would retry a camera; one attempt is the answer here.
            failure.append(status.reason.split("; retrying")[0])
            done.set()
        elif status.state is DeviceState.DISCONNECTED:
            done.set()  # a file ended: its last frame will do

    camera = Camera(CameraConfig(source, name=source), on_frame, on_status)
    camera.start()
    try:
        if not done.wait(timeout_s):
            raise CameraError(f"no frame from {source} within {timeout_s:g} s")
        if failure:
            raise CameraError(failure[0])
        return camera.snapshot(timeout_s=0)
    finally:
        camera.stop()
