"""The photo camera as the engines see it: a snapshot function that exists before the camera.

The pack engine is built (with its proof options) before the devices start, and a camera
may fail to start at all. :class:`CameraSlot` is the snapshot the engine is given; the device
start puts the running camera into it. The engine calls it on the database worker, inside the
closing transaction, so it waits only a moment for a frame and never on the GUI thread.

The pack screen's live preview takes frames as they are captured: :func:`previewing` gives
the device start a registry whose camera (the one that scans, else the photo camera) hands
each frame to a :class:`~ui.pack.camera_feed.PreviewFeed` too.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from functools import partial
from typing import Protocol, TypeVar, runtime_checkable

from drivers.camera.capture import Camera, CameraConfig
from drivers.camera.decode import Decoded
from drivers.camera.model import CameraError, Frame
from drivers.camera.scanner import CameraScanner
from drivers.registry import (
    NONE,
    CameraDeviceConfig,
    CameraDriver,
    Device,
    DeviceConfigError,
    Factory,
    Listeners,
    Registry,
    ScannerDeviceConfig,
    ScannerDriver,
    describe,
)
from drivers.registry.device import _stop_then
from station.photos import Image
from ui.pack.camera_feed import PreviewFeed

SNAPSHOT_TIMEOUT_S = 0.5

_D = TypeVar("_D")


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


def previewing(registry: Registry, feed: PreviewFeed, role: str) -> Registry:
    """``registry`` with the camera of ``role`` (``"camera"`` or ``"scanner"``) also handing
    its frames to ``feed``; the device starts and stops the feed with the camera.

    The driver factories hand frames to one consumer (the scanner's decoder, or nobody for
    the photo camera); these are the same factories with the preview as a second one.
    """
    if role == "scanner":
        scanners: dict[str, Factory[ScannerDeviceConfig, ScannerDriver]] = dict(registry.scanners)
        scanners["camera"] = partial(_scanning_camera, feed)
        return replace(registry, scanners=scanners)
    cameras: dict[str, Factory[CameraDeviceConfig, CameraDriver]] = dict(registry.cameras)
    cameras["opencv"] = partial(_photo_camera, feed)
    return replace(registry, cameras=cameras)


def preview_role(scanner: ScannerDeviceConfig, camera: CameraDeviceConfig) -> str | None:
    """Which camera the preview shows: the one that scans, else the photo camera, else none."""
    if scanner.kind == "camera":
        return "scanner"
    return None if camera.kind == NONE else "camera"


def _with_feed(device: Device[_D], feed: PreviewFeed) -> Device[_D]:
    """The device, starting the feed before its camera and stopping it after."""

    def start() -> None:
        feed.start()
        try:
            device.start()
        except BaseException:
            feed.stop()
            raise

    stop = _stop_then(device.stop, feed.stop)
    return replace(device, start=start, stop=stop)


def _photo_camera(
    feed: PreviewFeed, config: CameraDeviceConfig, listeners: Listeners
) -> Device[CameraDriver]:
    camera = Camera(CameraConfig(config.source, name=config.name), feed.offer, listeners.on_status)
    device: Device[CameraDriver] = Device(
        "camera", config.kind, config.name, describe(config), camera, camera.start, camera.stop
    )
    return _with_feed(device, feed)


def _scanning_camera(
    feed: PreviewFeed, config: ScannerDeviceConfig, listeners: Listeners
) -> Device[ScannerDriver]:
    if config.engine != "zxing":
        raise DeviceConfigError(
            f"[devices.scanner] engine {config.engine!r}: live camera scanning decodes with "
            "zxing-cpp only (engine = 'zxing'); zbar is offered by `station decode`"
        )

    def on_code(code: Decoded) -> None:
        listeners.on_scan(code.scanned, code.symbology)  # prefix and text, as a scanner sends

    scanner = CameraScanner(on_code, name=config.name)

    def on_frame(frame: Frame) -> None:
        scanner.submit(frame)
        feed.offer(frame)

    camera = Camera(CameraConfig(config.source, name=config.name), on_frame, listeners.on_status)

    def start() -> None:
        scanner.start()
        try:
            camera.start()
        except BaseException:
            scanner.stop()
            raise

    device: Device[ScannerDriver] = Device(
        "scanner",
        config.kind,
        config.name,
        describe(config),
        scanner,
        start,
        _stop_then(camera.stop, scanner.stop),  # no frame for a decoder that is gone
    )
    return _with_feed(device, feed)
