"""The camera driver: OpenCV ``VideoCapture`` on its own thread, frames to a callback.

A source is a string: digits are a device index (``"0"``), a URL (``rtsp://``, ``http://``) a
network camera, anything else a video file or an image sequence (``frames/%03d.png``). All
capture I/O runs on the driver's thread, never the caller's. Each frame goes to ``on_frame``
reduced to ``preview_width`` (preview and live decoding need no more); the newest frame is
kept at full resolution for :meth:`Camera.snapshot`, the photo proof of a pack.

Status: CONNECTING, then CONNECTED on the first frame. A camera or stream that cannot be
opened is ERROR ("cannot open camera 0; retrying in 1 s"), one that stops delivering is
RECONNECTING; both are retried with a capped, doubling back-off. A file that cannot be
opened is ERROR for good; one that ends is DISCONNECTED "video ended" (unless it loops).
After :meth:`Camera.stop`: DISCONNECTED "stopped".
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from drivers.base import DeviceState, DeviceStatus, StatusListener
from drivers.camera.model import CameraConfig, CameraError, Frame, FrameListener, Image

# Frame, CameraConfig and CameraError live in drivers.camera.model; importing them from here
# keeps working (the registry and tests do).
__all__ = ["Camera", "CameraConfig", "CameraError", "Frame", "FrameListener", "Image"]

log = logging.getLogger(__name__)


@dataclass
class _Latest:
    lock: threading.Condition = field(default_factory=threading.Condition)
    image: Image | None = None


class Camera:
    """A camera on its own thread (see the module docstring)."""

    def __init__(
        self, config: CameraConfig, on_frame: FrameListener, on_status: StatusListener
    ) -> None:
        self.config = config
        self._on_frame = on_frame
        self._on_status = on_status
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest = _Latest()
        self._last_status: DeviceStatus | None = None
        self._index = 0

    def start(self) -> None:
        """Start the capture thread."""
        if self._thread is not None:
            raise RuntimeError(f"camera {self.config.name} already started")
        name = f"camera-{self.config.name}"
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop capturing, release the device and join the thread."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                raise RuntimeError(f"camera {self.config.name} did not stop in {timeout_s} s")
        with self._latest.lock:
            self._latest.lock.notify_all()  # a snapshot() still waiting gives up

    @property
    def status(self) -> DeviceStatus | None:
        """The last status reported (None before the thread started)."""
        return self._last_status

    def snapshot(self, timeout_s: float = 2.0) -> Image:
        """The newest frame at full resolution (a copy); waits up to ``timeout_s`` for one."""
        with self._latest.lock:
            ready = self._latest.lock.wait_for(
                lambda: self._latest.image is not None or self._stopping.is_set(), timeout_s
            )
            if not ready or self._latest.image is None:
                raise CameraError(f"camera {self.config.name} has delivered no frame")
            return self._latest.image.copy()

    def snapshot_jpeg(self, quality: int = 90, timeout_s: float = 2.0) -> bytes:
        """:meth:`snapshot` encoded as JPEG, as photo proof is stored."""
        ok, data = cv2.imencode(
            ".jpg", self.snapshot(timeout_s), [cv2.IMWRITE_JPEG_QUALITY, quality]
        )
        if not ok:
            raise CameraError("JPEG encoding failed")
        return bytes(data)

    def _report(self, state: DeviceState, reason: str = "") -> None:
        status = DeviceStatus(self.config.name, state, reason)
        if status != self._last_status:
            self._last_status = status
            try:
                self._on_status(status)
            except Exception:  # a listener's bug must not stop the camera
                log.exception("camera %s status listener failed", self.config.name)

    def _run(self) -> None:
        self._report(DeviceState.CONNECTING)
        failures = 0
        while not self._stopping.is_set():
            try:
                outcome = self._session()
            except CameraError as exc:
                if self.config.is_file:  # a file does not come back by waiting
                    self._report(DeviceState.ERROR, str(exc))
                    return
                failures += 1
                delay = min(
                    self.config.backoff_initial_s * 2 ** (failures - 1), self.config.backoff_max_s
                )
                # Never seen: ERROR ("cannot open camera 0"); lost: RECONNECTING.
                state = DeviceState.RECONNECTING if self._index else DeviceState.ERROR
                self._report(state, f"{exc}; retrying in {delay:g} s")
                self._stopping.wait(delay)
                continue
            failures = 0
            if outcome == "ended":
                self._report(DeviceState.DISCONNECTED, "video ended")
                return
        self._report(DeviceState.DISCONNECTED, "stopped")

    def _session(self) -> str:
        """Open the source and pump frames: "stopped", "ended" or "again" (a file loops)."""
        capture = _open(self.config.source)
        try:
            delivered = self._pump(capture)
        finally:
            capture.release()
        if self._stopping.is_set():
            return "stopped"
        if delivered == 0:
            raise CameraError(f"{_describe(self.config.source)} delivered no frame")
        if not self.config.is_file:
            raise CameraError(f"{_describe(self.config.source)} stopped delivering frames")
        return "again" if self.config.loop else "ended"

    def _pump(self, capture: cv2.VideoCapture) -> int:
        """Deliver frames until stopped or the source ends or fails; how many were read."""
        period = 0.0
        if self.config.is_file and self.config.realtime:
            fps = capture.get(cv2.CAP_PROP_FPS)
            period = 1.0 / fps if 0 < fps < 1000 else 1 / 30
        due = time.monotonic()
        delivered = 0
        while not self._stopping.is_set():
            ok, image = capture.read()
            if not ok or image is None:
                break
            delivered += 1
            self._index += 1
            self._report(DeviceState.CONNECTED)
            self._deliver(np.asarray(image, np.uint8))
            if period:
                due += period
                self._stopping.wait(max(0.0, due - time.monotonic()))
        return delivered

    def _deliver(self, image: Image) -> None:
        with self._latest.lock:
            self._latest.image = image
            self._latest.lock.notify_all()
        height, width = image.shape[:2]
        reduced = image
        if width > self.config.preview_width:
            size = (self.config.preview_width, round(height * self.config.preview_width / width))
            reduced = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        frame = Frame(self._index, reduced, (width, height), time.monotonic())
        try:
            self._on_frame(frame)
        except Exception:  # a consumer's bug must not stop the camera
            log.exception("camera %s frame listener failed", self.config.name)


def _describe(source: str) -> str:
    if source.isdigit():
        return f"camera {source}"
    if "://" in source:
        return f"stream {source}"
    return f"video file {source}"


def _open(source: str) -> cv2.VideoCapture:
    """An opened capture for ``source``; CameraError saying why not."""
    if source.isdigit():
        capture = cv2.VideoCapture(int(source))
    elif "%" in source:  # an image sequence: frames/%03d.png
        capture = cv2.VideoCapture(source, cv2.CAP_IMAGES)
    elif "://" not in source and not Path(source).is_file():
        # Checked first: OpenCV's answer to a missing file is a bare "not opened".
        raise CameraError(f"cannot open {_describe(source)}: no such file")
    else:
        capture = cv2.VideoCapture(source)
    if not capture.isOpened():
        capture.release()
        raise CameraError(f"cannot open {_describe(source)}")
    return capture
