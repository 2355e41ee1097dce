"""The devices screen as ``station-screenshot --screen devices`` shows it: a supervisor signed
in, and each check run for real against the demo's emulated scale and printer and a short
video file standing in for the camera."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2

from drivers.camera.synth import make_frame
from ui.composition import Station
from ui.devices_screen.screen import DevicesScreen

SUPERVISOR_BADGE = "BADGE-SAM"
Wait = Callable[[Callable[[], bool]], None]


def demo_video(path: Path, frames: int = 6) -> Path:
    """A few frames of a parcel with a barcode, as an MJPG file OpenCV reads anywhere."""
    shots = [make_frame(7, "ean13", 3, 5.0, shot).image for shot in range(frames)]
    height, width = shots[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 10.0, (width, height))
    for image in shots:
        writer.write(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image)
    writer.release()
    return path


def drive_devices(station: Station, folder: Path, wait: Wait) -> DevicesScreen:
    """Sign a supervisor in, open the devices screen and run its three checks."""
    window = station.window
    window.submit_code(SUPERVISOR_BADGE)
    wait(lambda: window.current_screen() != "login")
    window.show_screen("devices")
    screen = window.findChild(DevicesScreen)
    if screen is None:
        raise RuntimeError("this station has no devices screen")
    screen.camera.fields["kind"].set_value("opencv")
    screen.camera.fields["source"].set_value(str(demo_video(folder / "camera.avi")))
    screen.read_weight()
    screen.print_test_label()
    screen.camera_frame()
    buttons = (screen.weight_button, screen.print_button, screen.frame_button)
    wait(lambda: all(b.isEnabled() for b in buttons) and screen.find_button.isEnabled())
    return screen
