"""The devices of a bench: the keyboard wedge, and the scanner, scale and camera through the
bridge. The printer is not among them: the print worker owns it (``ui.printing``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Protocol, runtime_checkable

from PySide6.QtWidgets import QApplication

from drivers.camera.model import Frame
from drivers.registry import Device, build_devices, build_registry
from drivers.scale.worker import ScaleUpdate
from drivers.scanner.wedge import WedgeConfig
from station.config import Settings
from ui.bridge import DeviceBridge
from ui.camera import CameraSlot, Snapshotting, preview_role
from ui.main_window import StationWindow
from ui.pack.camera_feed import PreviewFeed
from ui.wedge import WedgeFilter


def install_wedge(app: QApplication, settings: Settings, window: StationWindow) -> WedgeFilter:
    """Take keyboard-wedge scans out of the key stream, wherever focus is, into the window.

    A person typing a code into the scan field and pressing Enter still works.
    """
    wedge = WedgeFilter(WedgeConfig(gs_chars=settings.barcodes.gs_placeholder), parent=window)
    app.installEventFilter(wedge)
    wedge.scanned.connect(window.submit_code)
    return wedge


@runtime_checkable
class Platter(Protocol):
    """What the demo needs of an emulated scale (``drivers.scale.emulator.ScaleEmulator``)."""

    def set_weight(self, weight: str, unit: str | None = None) -> None:
        """Show ``weight`` in ``unit`` on the platter."""


def start_devices(
    settings: Settings,
    window: StationWindow,
    camera: CameraSlot | None = None,
    *,
    demo: bool = False,
    scale: Callable[[ScaleUpdate], None] | None = None,
    video: Callable[[Frame], None] | None = None,
) -> DeviceBridge:
    """Build the configured scanner, scale and camera, connect them to the window through the
    bridge, start them; the running camera goes into ``camera`` (the engine's snapshot).
    ``video`` is given the previewed camera's frames on the capture thread (the pack video).

    The printer is not built here: the print worker owns it (``ui.printing``). A device that
    cannot be built or started shows its reason in the status bar; the window works without
    it. The caller stops the bridge (and with it every device) on exit. ``scale`` is given
    every scale reading on the driver's own thread (the pack bench's feed), besides the
    bridge's signals for the display.
    """
    bridge = DeviceBridge(parent=window)  # goes with the window, and so do its queued events
    bridge.status_changed.connect(window.show_device_status)
    bridge.weight.connect(window.show_weight)
    bridge.stable_weight.connect(window.show_stable_weight)
    bridge.printer_status.connect(window.show_printer_status)
    # The AIM prefix stays on the code: the interpreter reads the symbology from it.
    bridge.scanned.connect(lambda data, _symbology: window.submit_code(data))
    devices = settings.devices
    listeners = bridge.listeners()
    if scale is not None:
        listeners = replace(listeners, on_reading=partial(_both, listeners.on_reading, scale))
    role = preview_role(devices.scanner, devices.camera)
    preview_device: list[Device[object]] = []
    if role is not None:  # the pack screen's live preview, fed by that camera's frames
        feed = PreviewFeed(parent=bridge)
        listeners = replace(listeners, on_frame=partial(_offer_from, role, feed, video))
        preview = window.pack.camera
        feed.frame.connect(preview.show_frame)
        bridge.status_changed.connect(preview.show_status)
        preview.expect(devices.scanner.name if role == "scanner" else devices.camera.name)
        # Started first and so stopped last: no camera frame arrives at a stopped feed.
        where = "camera preview"
        preview_device.append(Device("preview", role, where, where, feed, feed.start, feed.stop))
    built, failures = build_devices(
        build_registry(), (devices.scanner, devices.scale, devices.camera), listeners
    )
    for failure in failures:
        bridge.report(failure)
    bridge.start([*preview_device, *built])
    for device in bridge.devices:
        if camera is not None and device.role == "camera":
            driver = device.driver
            camera.attach(driver if isinstance(driver, Snapshotting) else None)
        if demo and device.role == "scale" and isinstance(device.emulator, Platter):
            follow_open_package(window, device.emulator)
    return bridge


def _both(
    first: Callable[[ScaleUpdate], None] | None,
    second: Callable[[ScaleUpdate], None],
    update: ScaleUpdate,
) -> None:
    # On the scale driver's thread: the display's relay, then the bench's feed.
    if first is not None:
        first(update)
    second(update)


def _offer_from(
    role: str,
    feed: PreviewFeed,
    video: Callable[[Frame], None] | None,
    frame_role: str,
    frame: Frame,
) -> None:
    # On the capture thread: only the previewed camera's frames, handed over without waiting
    # (the preview and the video recorder each swap it into a slot of their own).
    if frame_role == role:
        feed.offer(frame)
        if video is not None:
            video(frame)


def follow_open_package(window: StationWindow, emulator: Platter) -> None:
    """Demo only: the emulated scale shows what the open package should weigh.

    At a real bench the box is on the platter; with the emulated scale nothing is, and a fixed
    demo weight would fail every weight check. Following the engine's expected weight stands in
    for the packer putting the box on the scale, so a newcomer sees a check pass.
    """

    def follow(expectation: object) -> None:
        expected = getattr(expectation, "expected_g", None)
        if isinstance(expected, float | int) and expected > 0:
            emulator.set_weight(f"{expected / 1000:.3f}", "kg")

    window.pack.weight.expectation_shown.connect(follow)
