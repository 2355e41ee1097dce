"""The photo camera as the engines see it: a snapshot function that exists before the camera.

The pack engine is built (with its proof options) before the devices start, and a camera
may fail to start at all. :class:`CameraSlot` is the snapshot the engine is given; the device
start puts the running camera into it. The engine calls it on the database worker, inside the
closing transaction, so it waits only a moment for a frame and never on the GUI thread.

The pack screen's live preview takes frames as they are captured (the registry's
``Listeners.on_frame``) from the camera :func:`preview_role` names: the one that scans, else
the photo camera.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from drivers.camera.model import CameraError
from drivers.registry import NONE, CameraDeviceConfig, ScannerDeviceConfig
from station.photos import Image

SNAPSHOT_TIMEOUT_S = 0.5


@runtime_checkable
class Snapshotting(Protocol):
    """A running camera that hands out its newest frame."""

    def snapshot(self, timeout_s: float = ...) -> Image:
        """The newest frame; CameraError when there is none."""


class CameraSlot:
    """A snapshot callable whose camera is attached once it runs (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._camera: Snapshotting | None = None

    @property
    def attached(self) -> bool:
        """True while a camera is attached."""
        with self._lock:
            return self._camera is not None

    def attach(self, camera: Snapshotting | None) -> None:
        """Use ``camera`` from now on (None: the camera is gone)."""
        with self._lock:
            self._camera = camera

    def __call__(self) -> Image:
        """The newest frame of the attached camera; CameraError when there is none."""
        with self._lock:
            camera = self._camera
        if camera is None:
            raise CameraError("the camera is not running")
        return camera.snapshot(timeout_s=SNAPSHOT_TIMEOUT_S)


def preview_role(scanner: ScannerDeviceConfig, camera: CameraDeviceConfig) -> str | None:
    """Which camera the preview shows: the one that scans, else the photo camera, else none."""
    if scanner.kind == "camera":
        return "scanner"
    return None if camera.kind == NONE else "camera"
