"""What the camera driver hands out and is configured with: frames, settings, errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Frame:
    """One captured frame, reduced for preview and decoding."""

    index: int
    """Frames read since start (1-based); gaps never occur here, a consumer may skip."""
    image: Image
    """BGR (or grey, as the source gives it), at most ``preview_width`` wide."""
    full_size: tuple[int, int]
    """(width, height) of the frame as captured."""
    monotonic: float

    def gray(self) -> Image:
        """The frame in grey, as the decoders want it."""
        if self.image.ndim == 2:
            return self.image
        return np.asarray(cv2.cvtColor(self.image, cv2.COLOR_BGR2GRAY), np.uint8)


FrameListener = Callable[[Frame], None]


@dataclass(frozen=True)
class CameraConfig:
    """Where frames come from and how they are delivered."""

    source: str
    name: str = "camera"
    preview_width: int = 1280
    loop: bool = False
    """File sources: start again at the end instead of reporting "video ended"."""
    realtime: bool = True
    """File sources: deliver at the file's frame rate, as a camera would; False: as fast as
    they decode (tests, benchmarks)."""
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 10.0

    @property
    def is_file(self) -> bool:
        """True for a video file or image sequence (it ends; it is not reconnected)."""
        return not self.source.isdigit() and "://" not in self.source


class CameraError(Exception):
    """The camera cannot be used; ``str(err)`` is a reason a person can read."""
