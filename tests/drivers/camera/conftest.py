"""Small video files and image sequences written with OpenCV, for the real capture path."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera.synth import make_frame

FRAMES = 8
SIZE = (640, 360)  # (width, height)


def write_video(path: Path, images: list[np.ndarray], fps: float = 30.0) -> Path:
    """An MJPG .avi (works without any codec installed); grey images are written as BGR."""
    height, width = images[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened()
    for image in images:
        writer.write(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image)
    writer.release()
    return path


@pytest.fixture
def plain_video(tmp_path: Path) -> Path:
    """FRAMES frames of SIZE, frame i filled with grey level 20 * i."""
    images = [np.full((SIZE[1], SIZE[0], 3), 20 * i, np.uint8) for i in range(FRAMES)]
    return write_video(tmp_path / "plain.avi", images)


@pytest.fixture
def barcode_video(tmp_path: Path) -> tuple[Path, str]:
    """Twelve frames of one EAN-13 scene (fresh noise each), and the code's text."""
    shots = [make_frame(41, "ean13", 3, 8.0, shot) for shot in range(12)]
    return write_video(tmp_path / "ean.avi", [s.image for s in shots]), shots[0].codes[0].text


@pytest.fixture
def image_sequence(tmp_path: Path) -> str:
    """Three PNG frames, 320x240, as an OpenCV image-sequence pattern."""
    for i in range(3):
        cv2.imwrite(str(tmp_path / f"shot_{i:03d}.png"), np.full((240, 320), 60 * i, np.uint8))
    return str(tmp_path / "shot_%03d.png")
