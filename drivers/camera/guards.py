"""The guards every reported code passes, whichever path read it: one home for all of them.

zxing-cpp accepts a linear read when a few scan lines agree, and its position spans those
lines. A read from one or two rows at the bars' ragged end, or from a line that crosses the
digits under an EAN's bars, can be a wrong EAN-13 or UPC-A *with a valid check digit* (seen in
the benchmark's frames and in zxing-cpp's own sample images). A true read of a code agrees over
much of its bars' height. So a linear read must span at least a quarter of the height of the
bars it was read from.

The bars' height is measured in the image, not assumed: the read is turned upright (its scan
line horizontal), and from the line through its middle the strip is followed up and down for
as long as each row still looks like that line (normalised correlation of the grey profile).
A single-row image holds bars one row high, so a read there spans all of them.

:func:`plausible` is what ``station decode`` (any engine), the live camera path and
``station bench decode``'s live path call on what a decoder returns from one image.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import cv2
import numpy as np
import numpy.typing as npt

from drivers.camera.decode import Decoded, Gray

LINEAR = frozenset({"Code 128", "EAN-13", "UPC-A", "EAN-8", "UPC-E", "Code 39", "Code 93",
                    "ITF", "Codabar", "DataBar", "DataBarExpanded", "DataBarLimited"})  # fmt: skip
"""Formats read along scan lines (zxing-cpp's and, through the decoder, zbar's names)."""

MIN_SHARE = 0.25
"""The share of its bars' height a linear read must span."""
_SAME_ROW = 0.6
"""Correlation with the middle row above which a row still belongs to the same bars."""


def plausible(gray: Gray, codes: Iterable[Decoded]) -> list[Decoded]:
    """The codes of ``codes`` (read from ``gray``) that pass the guards, in their order."""
    return [code for code in codes if code.format not in LINEAR or spans_its_bars(gray, code)]


def spans_its_bars(gray: Gray, code: Decoded) -> bool:
    """True if the linear read ``code`` spans at least :data:`MIN_SHARE` of its bars' height."""
    span, bars = read_span(code), bars_height(gray, code)
    return span + 1 >= MIN_SHARE * bars


def read_span(code: Decoded) -> float:
    """How many rows (across the scan line) a read spans: 0 for a single scan line."""
    top_left, top_right, bottom_right, bottom_left = code.position
    return (math.dist(top_left, bottom_left) + math.dist(top_right, bottom_right)) / 2


def bars_height(gray: Gray, code: Decoded) -> int:
    """Rows across the read's scan line over which the image keeps the read line's pattern."""
    strip, middle = _upright_strip(gray, code)
    if strip.shape[1] < 2:
        return 1
    rows = strip.astype(np.float32)
    rows -= rows.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(rows, axis=1)
    reference, reference_norm = rows[middle], norms[middle]
    if reference_norm == 0:
        return 1
    with np.errstate(invalid="ignore", divide="ignore"):
        alike = (rows @ reference) / (norms * reference_norm) >= _SAME_ROW
    height = 1
    for step in (-1, 1):
        row = middle + step
        while 0 <= row < len(alike) and alike[row]:
            height += 1
            row += step
    return height


def _upright_strip(gray: Gray, code: Decoded) -> tuple[npt.NDArray[np.uint8], int]:
    """The image turned so the read's scan line is a row, cut to the read's length; the index
    of the row through the read's middle. Rows run from the image's edge to edge across."""
    top_left, top_right, bottom_right, bottom_left = (
        np.asarray(p, np.float64) for p in code.position
    )
    start = (top_left + bottom_left) / 2
    end = (top_right + bottom_right) / 2
    length = float(np.linalg.norm(end - start))
    if length < 1:
        return np.zeros((1, 0), np.uint8), 0
    along = (end - start) / length
    if abs(along[1]) < 1e-3 and along[0] > 0:
        # Already a row (the live path's upright crops): cut, no resampling.
        x0 = max(round(float(start[0])), 0)
        x1 = min(round(float(end[0])) + 1, gray.shape[1])
        middle = min(max(round(float(start[1])), 0), gray.shape[0] - 1)
        return np.ascontiguousarray(gray[:, x0:x1]), middle
    across = np.array([-along[1], along[0]])
    reach = float(np.hypot(*gray.shape[:2]))  # far enough to leave the image either way
    rows = int(2 * reach) + 1
    # Affine map from strip pixels (x along, y across) to image pixels.
    origin = start - across * reach
    matrix = np.array([[along[0], across[0], origin[0]], [along[1], across[1], origin[1]]])
    strip = cv2.warpAffine(
        gray, matrix, (max(int(length), 2), rows),
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )  # fmt: skip
    return np.asarray(strip, np.uint8), round(reach)
