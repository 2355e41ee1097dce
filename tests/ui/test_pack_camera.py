"""The pack screen's camera preview, fed by the real OpenCV capture of a video file.

The video holds a QR code at a known place. The capture thread reads it as a camera would,
the preview feed decodes and scales it on its own thread, and the panel paints it: the
outline it reports (and paints, checked in the grabbed pixels) lies on the code's corners.
"""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from drivers.camera.decode import ZxingDecoder
from drivers.camera.model import Frame, Image
from drivers.camera.synth import render_symbol
from drivers.registry import (
    CameraDeviceConfig,
    PrinterDeviceConfig,
    ScaleDeviceConfig,
    ScannerDeviceConfig,
)
from station.config import DeviceSettings, Settings
from station.db import Database
from tests.drivers.camera.conftest import write_video
from tests.ui.stationfixtures import WAIT_MS, running_bench, sign_in
from ui.pack.camera_feed import PreviewFeed, preview_of
from ui.pack.camera_view import OUTLINE, CameraView

SIZE = (640, 360)  # (width, height) of the video
AT = (300, 90)  # where the QR code's top-left module is pasted
CODE = "TOTE-000123"


def qr_scene() -> tuple[Image, tuple[int, int, int, int]]:
    """A grey frame with a QR code at AT, and the code's dark extent (left, top, right, bottom)."""
    symbol = render_symbol("qr", CODE, 4)
    frame = np.full((SIZE[1], SIZE[0]), 170, np.uint8)
    # A white label around the symbol, as printed, then the symbol itself.
    height, width = symbol.shape
    frame[AT[1] - 16 : AT[1] + height + 16, AT[0] - 16 : AT[0] + width + 16] = 235
    frame[AT[1] : AT[1] + height, AT[0] : AT[0] + width] = np.where(symbol < 128, 30, 235)
    ys, xs = np.nonzero(frame < 100)
    extent = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    return np.asarray(frame, np.uint8), extent


def camera_settings(db: Database, source: str) -> Settings:
    devices = DeviceSettings(
        scanner=ScannerDeviceConfig(kind="none"),
        scale=ScaleDeviceConfig(kind="none"),
        printer=PrinterDeviceConfig(kind="none"),
        camera=CameraDeviceConfig(kind="opencv", source=source),
    )
    return Settings(db_path=db.path, devices=devices)


def preview_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith("camera")]


def near(a: float, b: float, tolerance: float) -> bool:
    return abs(a - b) <= tolerance


def has_outline_colour(image_colour: QColor) -> bool:
    want = OUTLINE
    return (
        abs(image_colour.red() - want.red()) < 40
        and abs(image_colour.green() - want.green()) < 40
        and abs(image_colour.blue() - want.blue()) < 40
    )


def test_preview_outlines_the_code_where_it_is(
    qtbot: QtBot, tmp_path: Path, ui_db: Database
) -> None:
    frame, (left, top, right, bottom) = qr_scene()
    video = write_video(tmp_path / "qr.avi", [frame] * 30)  # one second at 30 frames/s
    with running_bench(ui_db, camera_settings(ui_db, str(video))) as station:
        sign_in(qtbot, station.window, "BADGE-ALICE")  # the pack screen, with the panel, shown
        view = station.window.pack.camera
        assert view.isVisible()
        qtbot.waitUntil(
            lambda: view.frame is not None and bool(view.frame.outlines), timeout=WAIT_MS
        )
        assert view.frame is not None
        (text, outline), *others = view.outlines_on_widget()
        polygon = [outline.at(i) for i in range(outline.size())]
        assert (text, others) == (CODE, [])
        # Frame pixels -> preview pixels (the feed scales 640 to 480) -> widget pixels.
        rect = view.image_rect()
        scale = rect.width() / SIZE[0]
        expected = [(left, top), (right, top), (right, bottom), (left, bottom)]
        tolerance = 3 * 4 * scale + 2  # three modules of 4 px: where zxing puts a corner
        for point, (x, y) in zip(polygon, expected, strict=True):
            assert near(point.x(), rect.x() + x * scale, tolerance), (point, x)
            assert near(point.y(), rect.y() + y * scale, tolerance), (point, y)

        # The outline is painted: the middle of each side is drawn in the outline colour.
        image = view.grab().toImage()
        ratio = image.devicePixelRatio()
        for i in range(4):
            a, b = polygon[i], polygon[(i + 1) % 4]
            mx, my = (a.x() + b.x()) / 2, (a.y() + b.y()) / 2
            around = [
                image.pixelColor(round((mx + dx) * ratio), round((my + dy) * ratio))
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
            ]
            assert any(has_outline_colour(c) for c in around), f"side {i} is not outlined"
        # The camera's own status reaches the panel: a file ends ("video ended").
        qtbot.waitUntil(lambda: "video ended" in view.note, timeout=WAIT_MS)
    assert preview_threads() == []


def test_no_camera_no_panel_and_no_thread(ui_db: Database) -> None:
    settings = camera_settings(ui_db, "unused")
    settings = Settings(
        db_path=ui_db.path,
        devices=DeviceSettings(
            scanner=ScannerDeviceConfig(kind="none"),
            scale=settings.devices.scale,
            printer=settings.devices.printer,
            camera=CameraDeviceConfig(kind="none"),
        ),
    )
    with running_bench(ui_db, settings) as station:
        view = station.window.pack.camera
        assert view.isHidden() and view.frame is None
        assert preview_threads() == []


def test_a_camera_that_cannot_open_says_why(qtbot: QtBot, tmp_path: Path, ui_db: Database) -> None:
    missing = tmp_path / "no-such-video.avi"
    with running_bench(ui_db, camera_settings(ui_db, str(missing))) as station:
        sign_in(qtbot, station.window, "BADGE-ALICE")
        view = station.window.pack.camera
        assert view.isVisible()
        qtbot.waitUntil(lambda: "no such file" in view.note, timeout=WAIT_MS)
        assert view.frame is None
        assert view.grab().toImage().isNull() is False  # paints the reason, raises nothing
    assert preview_threads() == []


def test_feed_paces_frames_and_never_queues_more_than_one(qtbot: QtBot) -> None:
    """Frames offered much faster than the preview rate: the GUI gets few, newest first."""
    frame, _extent = qr_scene()
    feed = PreviewFeed(fps=5.0)
    shown: list[int] = []
    feed.frame.connect(lambda preview: shown.append(preview.index))
    feed.start()
    try:
        for index in range(1, 61):  # 60 frames in about 0.6 s
            feed.offer(Frame(index, frame, SIZE, 0.0))
            qtbot.wait(10)
        qtbot.waitUntil(lambda: bool(shown) and shown[-1] == 60, timeout=WAIT_MS)
    finally:
        feed.stop()
    assert len(shown) < 20  # paced to about 5 a second, not 60
    assert shown == sorted(shown)
    print(f"60 frames offered in 0.6 s at 5 fps: {len(shown)} previews {shown}")
    assert preview_threads() == []


def test_preview_of_scales_picture_and_outline_together() -> None:
    frame, (left, top, right, _bottom) = qr_scene()
    bgr = np.asarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), np.uint8)
    codes = ZxingDecoder().decode(frame)
    preview = preview_of(Frame(7, bgr, SIZE, 0.0), codes, 320)
    assert (preview.image.width(), preview.image.height(), preview.index) == (320, 180, 7)
    (outline,) = preview.outlines
    xs = [x for x, _ in outline.points]
    assert outline.text == CODE
    assert min(xs) == pytest.approx(left / 2, abs=3) and max(xs) == pytest.approx(right / 2, abs=3)
    # The picture is the frame: the code's dark modules are dark in the preview too.
    assert preview.image.pixelColor(round((left + 2) / 2), round((top + 2) / 2)).lightness() < 90


def test_panel_without_a_frame_paints_its_note(qtbot: QtBot) -> None:
    view = CameraView()
    qtbot.addWidget(view)
    view.expect("camera")
    view.resize(192, 108)
    assert view.outlines_on_widget() == [] and "starting" in view.note
    assert not view.grab().toImage().isNull()
