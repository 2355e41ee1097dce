"""Which codec the videos are written with: H.264 where this OpenCV has it, else MJPEG.

OpenCV's pip wheels carry FFmpeg, but whether it has an H.264 *encoder* depends on the build
(the manylinux wheels have none: ``VideoWriter`` opens and writes nothing, or refuses with a
warning). So the codec is not assumed: a tiny test video is written once per process with
each candidate, and the first whose file holds a frame that reads back is used. MJPEG in an
AVI container is always there (OpenCV's own encoder) and is the fallback.
"""

from __future__ import annotations

import functools
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np


@dataclass(frozen=True)
class Codec:
    """A codec that works here: its name, FourCC and file suffix."""

    name: str  # "h264" or "mjpeg"
    fourcc: str
    suffix: str


# Only ``avc1``: OpenCV maps the ``H264`` tag in an MP4 to ``avc1`` ("fallback to use tag
# avc1") and the same encoder, so trying both only doubles the probe.
H264 = (Codec("h264", "avc1", ".mp4"),)
MJPEG = Codec("mjpeg", "MJPG", ".avi")


def writes(codec: Codec) -> bool:
    """True if a test video written with ``codec`` reads back with a frame."""
    with tempfile.TemporaryDirectory(prefix="station-codec-") as folder:
        path = Path(folder) / f"probe{codec.suffix}"
        fourcc = cv2.VideoWriter.fourcc(*codec.fourcc)
        writer = cv2.VideoWriter(str(path), fourcc, 5.0, (64, 48))
        try:
            if not writer.isOpened():
                return False
            for n in range(3):
                writer.write(np.full((48, 64, 3), 60 * n, np.uint8))
        finally:
            writer.release()
        if not path.is_file() or path.stat().st_size == 0:
            return False
        capture = cv2.VideoCapture(str(path))
        try:
            ok, _ = capture.read()
        finally:
            capture.release()
        return bool(ok)


@functools.cache
def _h264() -> Codec | None:
    # OpenCV logs each refusal as an ERROR; a refusal is the expected answer here. (FFmpeg's
    # own line about a hardware encoder it did not find still reaches stderr, once.)
    level = cv2.utils.logging.getLogLevel()
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_SILENT)
    try:
        return next((c for c in H264 if writes(c)), None)
    finally:
        cv2.utils.logging.setLogLevel(level)


def choose_codec(wanted: str) -> Codec:
    """The codec for ``[video] codec`` (``auto``, ``h264`` or ``mjpeg``): H.264 when asked
    for (or ``auto``) and this OpenCV writes it, else MJPEG."""
    if wanted == "mjpeg":
        return MJPEG
    return _h264() or MJPEG
