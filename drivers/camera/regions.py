"""Where in a frame a barcode may be: dense, strong edges, found on a downscaled copy.

A barcode is a patch where almost every pixel sits on a strong edge; a textured or lit
background has weak edges and text has sparse ones. So: downscale (cheap, and it merges a
code's bars into one blob), take the gradient magnitude, keep the pixels whose local edge
density is high, and group them into connected blobs. For each blob the structure tensor of
its gradients gives the dominant gradient direction and how coherent it is: a linear code has
one direction (coherence near 1), a matrix code or text has two. The live decoder turns
linear candidates upright before decoding, because zxing-cpp scans linear codes along rows
and misses bars tilted more than their height allows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Gray = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Region:
    """A candidate patch of a full-resolution frame."""

    cx: float
    cy: float
    width: float
    """Along the dominant gradient direction (across the bars of a linear code)."""
    height: float
    angle: float
    """Degrees to rotate the patch by (counter-clockwise, OpenCV convention) to make the
    dominant gradient horizontal, i.e. a linear code's bars vertical."""
    coherence: float
    """0..1: near 1 when one gradient direction dominates (a linear code)."""
    score: float
    box: tuple[int, int, int, int] = (0, 0, 0, 0)
    """Axis-aligned bounds (left, top, right, bottom) in full-resolution pixels."""


def find_regions(
    gray: Gray, *, scale: int = 2, max_regions: int = 4, min_side_px: float = 24.0
) -> list[Region]:
    """Candidate code regions of ``gray``, best first, in full-resolution coordinates.

    ``scale`` is the downscale factor for the search: at 2, a 1280x720 frame is searched at
    640x360 in about 2 ms, and a code with 2 px modules still has 1 px modules there (at 4
    they blur into flat grey and vanish). Regions whose shorter side is under
    ``min_side_px`` full-resolution pixels are dropped: too small to hold a readable code.
    An image narrower or lower than that has no candidate at all (and a side under ``scale``
    pixels would downscale to nothing, which OpenCV refuses with an assertion).
    """
    if min(gray.shape[:2]) < max(min_side_px, scale):
        return []
    small = cv2.resize(
        gray, (gray.shape[1] // scale, gray.shape[0] // scale), interpolation=cv2.INTER_AREA
    )
    gx = cv2.Scharr(small, cv2.CV_32F, 1, 0)
    gy = cv2.Scharr(small, cv2.CV_32F, 0, 1)
    window = (9, 9)
    # Scharr rather than Sobel: Sobel's 3x3 kernel pulls orientations towards the axes by
    # about 10 % (3 degrees at 30), enough to leave a turned code's bars slanted; Scharr's
    # error measured under 1 degree.
    # Bars alternate: summed with their signs, a code's gradients cancel, a lone edge's
    # (a box, the label's border, a shadow) do not. What is left after cancelling is the
    # barcode-like energy; the threshold sits well above sensor noise (Scharr of noise with
    # sigma 9 is about 65 at this scale) and well below a printed code's contrast.
    magnitude = cv2.blur(np.abs(gx), window) + cv2.blur(np.abs(gy), window)
    signed = np.abs(cv2.blur(gx, window)) + np.abs(cv2.blur(gy, window))
    busy = ((magnitude - signed) > 240.0).astype(np.uint8)
    # A drawn line or a box's outline is "busy" too (its two edges cancel), in a band about
    # as wide as the window. Opening with the window's size wipes such bands out, and text
    # strokes with them, while a code (an area, at least 12x12 px here for 2 px modules)
    # survives. With a 5x5 opening, outlines merged with codes and took the first places:
    # the read rate fell by 3 points and the time per frame rose by half.
    busy = cv2.morphologyEx(busy, cv2.MORPH_OPEN, np.ones(window, np.uint8))
    busy = cv2.morphologyEx(busy, cv2.MORPH_CLOSE, np.ones((7, 7), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(busy, connectivity=8)
    jxx, jyy, jxy = gx * gx, gy * gy, gx * gy
    regions: list[Region] = []
    for label in range(1, count):
        area = int(stats[label, cv2.CC_STAT_AREA])
        if area * scale * scale < min_side_px * min_side_px:
            continue
        x, y = stats[label, cv2.CC_STAT_LEFT], stats[label, cv2.CC_STAT_TOP]
        w, h = stats[label, cv2.CC_STAT_WIDTH], stats[label, cv2.CC_STAT_HEIGHT]
        blob = labels[y : y + h, x : x + w] == label
        sxx = float(jxx[y : y + h, x : x + w][blob].sum())
        syy = float(jyy[y : y + h, x : x + w][blob].sum())
        sxy = float(jxy[y : y + h, x : x + w][blob].sum())
        total = sxx + syy
        if total <= 0:
            continue
        coherence = math.hypot(sxx - syy, 2 * sxy) / total
        # Gradient direction in image coordinates (y down), as an OpenCV rotation angle.
        theta = 0.5 * math.degrees(math.atan2(2 * sxy, sxx - syy))
        rows, cols = np.nonzero(blob)
        points = np.column_stack((cols + x, rows + y)).astype(np.float32)
        side_a, side_b = _extent(points, theta)
        width, height = side_a * scale, side_b * scale
        if min(width, height) < min_side_px:
            continue
        cx = (float(points[:, 0].mean()) + 0.5) * scale
        cy = (float(points[:, 1].mean()) + 0.5) * scale
        # Fill: a code is a compact patch; text and clutter make ragged, hollow blobs.
        fill = area / (side_a * side_b)
        score = area * fill * fill
        box = (x * scale, y * scale, (x + w) * scale, (y + h) * scale)
        regions.append(Region(cx, cy, width, height, theta, coherence, score, box))
    regions.sort(key=lambda r: r.score, reverse=True)
    return regions[:max_regions]


def _extent(points: npt.NDArray[np.float32], theta: float) -> tuple[float, float]:
    """Extent of ``points`` along the direction ``theta`` (degrees) and across it."""
    rad = math.radians(theta)
    along = points @ np.array([math.cos(rad), math.sin(rad)], np.float32)
    across = points @ np.array([-math.sin(rad), math.cos(rad)], np.float32)
    return float(np.ptp(along)) + 1.0, float(np.ptp(across)) + 1.0


@dataclass(frozen=True)
class Crop:
    """A patch cut out of a frame, and the affine map from its pixels back to the frame's."""

    image: Gray
    to_frame: npt.NDArray[np.float64]
    """2x3 matrix: frame point = ``to_frame @ (x, y, 1)`` for a crop point (x, y)."""

    def frame_point(self, x: float, y: float) -> tuple[int, int]:
        """A crop point in frame coordinates."""
        fx, fy = self.to_frame @ np.array([x, y, 1.0])
        return round(float(fx)), round(float(fy))


def upright_crop(gray: Gray, region: Region, margin: float = 0.25, zoom: float = 1.0) -> Crop:
    """The region cut out of ``gray``, turned so its gradient is horizontal, enlarged by ``zoom``.

    ``margin`` (a fraction of each side, plus 12 px) keeps the quiet zone, which decoders need
    to find a code's ends. Turning resamples the image: with 2 px modules and no enlargement
    the bar widths come out uneven enough for zxing-cpp to misread an EAN-13 now and then
    *with a valid check digit* (6 of 150 in a test); enlarged 2x, none did.
    """
    width = (region.width * (1 + 2 * margin) + 24) * zoom
    height = (region.height * (1 + 2 * margin) + 24) * zoom
    matrix = np.asarray(
        cv2.getRotationMatrix2D((region.cx, region.cy), region.angle, zoom), np.float64
    )
    matrix[:, 2] += np.array([width / 2 - region.cx, height / 2 - region.cy])
    out = cv2.warpAffine(
        gray, matrix, (int(width), int(height)), flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )  # fmt: skip
    back = np.asarray(cv2.invertAffineTransform(matrix), dtype=np.float64)
    return Crop(np.ascontiguousarray(out, dtype=np.uint8), back)


def box_crop(gray: Gray, region: Region, margin: float = 0.25, zoom: float = 1.0) -> Crop:
    """The region's axis-aligned bounds (plus ``margin``), not turned, enlarged by ``zoom``.

    Matrix codes need no turning (their finders work at any angle); small ones read better
    enlarged, since the binarizer then sees several pixels per module even after blur.
    """
    left, top, right, bottom = region.box
    pad_x = round((right - left) * margin) + 12
    pad_y = round((bottom - top) * margin) + 12
    x0, y0 = max(0, left - pad_x), max(0, top - pad_y)
    x1, y1 = min(gray.shape[1], right + pad_x), min(gray.shape[0], bottom + pad_y)
    patch = gray[y0:y1, x0:x1]
    if zoom != 1.0:
        patch = np.asarray(
            cv2.resize(patch, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_CUBIC), np.uint8
        )
    to_frame = np.array([[1 / zoom, 0.0, x0], [0.0, 1 / zoom, y0]])
    return Crop(np.ascontiguousarray(patch), to_frame)
