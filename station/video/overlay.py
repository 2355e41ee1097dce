"""The text burnt into every video frame: order, packer and time, in a band across the top.

Burnt into the pixels (not subtitles or metadata), so whoever plays the file sees which pack
it shows and when, and no player can hide it. The band is black with white text, drawn over
the top of the frame: a video frame has no room to add below without changing size between
recordings. Hershey fonts draw ASCII only; anything else becomes ``?``.
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

_FONT = cv2.FONT_HERSHEY_SIMPLEX


def band_height(width: int) -> int:
    """Pixels of the text band at the top of a frame ``width`` wide."""
    return max(14, round(width * 0.045))


def fit(image: Image, width: int) -> Image:
    """``image`` in BGR at ``width`` pixels wide (aspect kept, even sizes: H.264 needs them)."""
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    height_px, width_px = bgr.shape[:2]
    scale = min(1.0, width / width_px)
    size = (max(2, round(width_px * scale)) // 2 * 2, max(2, round(height_px * scale)) // 2 * 2)
    if size == (width_px, height_px):
        return np.ascontiguousarray(bgr)
    return np.asarray(cv2.resize(bgr, size, interpolation=cv2.INTER_AREA), np.uint8)


def burn_in(image: Image, text: str) -> Image:
    """``image`` with ``text`` in a black band across its top (the image is changed in place
    and returned: the caller hands a frame of its own)."""
    width = image.shape[1]
    band = band_height(width)
    image[:band] = 0
    scale = band / 30
    thickness = max(1, round(scale * 1.5))
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    origin = (max(2, band // 4), round(band * 0.75))
    cv2.putText(image, ascii_text, origin, _FONT, scale, (255, 255, 255), thickness, cv2.LINE_AA)
    return image
