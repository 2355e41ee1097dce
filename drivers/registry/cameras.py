"""Camera factories: the photo camera (OpenCV) and the camera that scans (a scanner kind)."""

from __future__ import annotations

from drivers.registry.config import (
    CameraDeviceConfig,
    DeviceConfigError,
    ScannerDeviceConfig,
    describe,
)
from drivers.registry.device import (
    CameraDriver,
    Device,
    Listeners,
    ScannerDriver,
    _stop_then,
)


def _camera_scanner(config: ScannerDeviceConfig, listeners: Listeners) -> Device[ScannerDriver]:
    from drivers.camera.capture import Camera, CameraConfig
    from drivers.camera.decode import Decoded
    from drivers.camera.model import Frame
    from drivers.camera.scanner import CameraScanner

    if config.engine != "zxing":
        raise DeviceConfigError(
            f"[devices.scanner] engine {config.engine!r}: live camera scanning decodes with "
            "zxing-cpp only (engine = 'zxing'); zbar is offered by `station decode`"
        )

    def on_code(code: Decoded) -> None:
        # As a serial scanner set to send AIM identifiers would: prefix and text.
        listeners.on_scan(code.scanned, code.symbology)

    scanner = CameraScanner(on_code, name=config.name)

    def on_frame(frame: Frame) -> None:
        scanner.submit(frame)
        listeners.on_frame("scanner", frame)

    camera = Camera(CameraConfig(config.source, name=config.name), on_frame, listeners.on_status)

    def start() -> None:
        scanner.start()
        try:
            camera.start()
        except BaseException:
            scanner.stop()
            raise

    # The camera stops first, so no frame arrives for a decoder that is gone.
    stop = _stop_then(camera.stop, scanner.stop)
    return Device("scanner", config.kind, config.name, describe(config), scanner, start, stop)


def _opencv_camera(config: CameraDeviceConfig, listeners: Listeners) -> Device[CameraDriver]:
    from drivers.camera.capture import Camera, CameraConfig
    from drivers.camera.model import Frame

    # The photo proof takes camera.snapshot() when it needs one; frames go only to on_frame.
    def on_frame(frame: Frame) -> None:
        listeners.on_frame("camera", frame)

    camera = Camera(CameraConfig(config.source, name=config.name), on_frame, listeners.on_status)
    return Device(
        "camera", config.kind, config.name, describe(config), camera, camera.start, camera.stop
    )
