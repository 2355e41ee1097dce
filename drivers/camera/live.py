"""The live decoding path: a 1280x720 camera frame in well under 33 ms on one core.

zxing-cpp with its defaults spends 60-80 ms on such a frame (about 35 ms with only the
station's formats) and still misses a linear code tilted by 25 degrees: it scans linear codes
along rows (and columns, with ``try_rotate``), and a long, low code at that angle crosses no
row from end to end. The live path does less, in a better order (``station bench decode``
measured p50 about 9 ms, p99 about 14 ms, every 2 px+ code read, no false positive):

1. **Last hit first.** A code held under the camera is where it was a frame ago: the region
   of the last read (kept for ``hint_frames`` frames) is decoded first, alone; if it gives
   the same code again the frame is done (about 1 ms). Anything else read there is ignored:
   part of a new code in the old place can decode as something short (half an EAN-13 reads
   as a UPC-E).
2. **Find candidates cheaply** (:func:`drivers.camera.regions.find_regions`, about 4 ms):
   at half resolution, the patches of dense alternating edges, best first, with their
   dominant gradient direction.
3. **Decode crops at full resolution**, so 2 px modules stay 2 px, at most ``max_regions``:
   - a patch with one dominant direction is turned upright (bars vertical), enlarged 2x when
     narrow, and read with the linear formats only, ``try_rotate=False`` (already turned) and
     ``try_downscale=False`` (the crop is at the scale the code needs). A read must pass the
     guards of :mod:`drivers.camera.guards` (span a quarter of its bars' height): reads from
     a few rows at the bars' ends were the source of wrong EAN-13s with valid check digits;
   - a patch without one is read as a matrix code (Data Matrix, QR) in an axis-aligned crop,
     then enlarged 2x if small and unread; ``try_rotate=True`` because zxing-cpp's Data
     Matrix detector misses symbols turned by 90 degrees without it.
   ``try_invert=False`` everywhere: station labels are dark on light, and the inverted pass
   would double the cost. The binarizer stays ``LocalAverage``, which copes with the uneven
   light of a bench; ``is_pure`` stays off (a camera image is never a pure symbol).
4. **A fuller pass only when needed**: if no candidate read, the whole frame at half
   resolution with every station format and ``try_rotate`` (about 1 ms). It catches a large
   code the candidate search split in two.

No new candidate starts once ``budget_ms`` is spent. Frames are skipped when decoding falls
behind the camera by :class:`drivers.camera.scanner.CameraScanner`, which always decodes the
newest frame. What this module returns are raw reads; :class:`drivers.camera.confirm.Confirmer`
decides which are reported.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import cv2
import numpy as np
import zxingcpp

from drivers.camera.decode import (
    LINEAR_FORMATS,
    MATRIX_FORMATS,
    STATION_FORMATS,
    Decoded,
    Gray,
    from_zxing,
)
from drivers.camera.guards import plausible
from drivers.camera.regions import Crop, Region, box_crop, find_regions, upright_crop

_PLAIN = zxingcpp.TextMode.Plain
_HALF = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]])  # half-resolution pixels -> frame pixels
_SAME = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


@dataclass(frozen=True)
class LiveOptions:
    """Knobs of the live path; the defaults are the ones the benchmark measures."""

    max_regions: int = 4
    """Candidates decoded per frame at most; bounds the time spent on a cluttered frame."""
    search_scale: int = 2
    hint_frames: int = 5
    """Frames for which the region of the last read is tried first."""
    rescan_every: int = 4
    """Even when the last hit reads again, every this many frames the whole search runs, so
    a second code in view (a shipping label's GS1-128 beside its Data Matrix) is found."""
    zoom_below_px: int = 240
    """Matrix candidates smaller than this (longer side, pixels) get a second try enlarged 2x
    (cubic): with blur, 2 px modules often read only when enlarged, while a sharp symbol
    reads at 1x and should not pay for the enlargement."""
    linear_zoom_below_px: int = 500
    """Linear candidates narrower than this are turned upright *and* enlarged 2x: small
    codes have small modules, which resampling at 1x distorts (see ``upright_crop``)."""
    full_pass: bool = True
    budget_ms: float | None = 25.0
    """No new candidate (nor the full pass) is started once this much of the frame's time is
    spent, so a cluttered frame costs at most about this plus one decode; None: no limit
    (tests, where the result must not depend on the machine's speed)."""


@dataclass(frozen=True)
class _Hint:
    region: Region
    linear: bool
    frame: int
    texts: frozenset[str]


class LiveDecoder:
    """Decodes a stream of grey frames, one call per frame (see the module docstring)."""

    def __init__(self, options: LiveOptions | None = None) -> None:
        self.options = options or LiveOptions()
        self._frame = 0
        self._hint: _Hint | None = None

    def read(self, gray: Gray) -> list[Decoded]:
        """The codes read in this frame, positions in frame pixels; no agreement applied."""
        started = time.perf_counter()
        self._frame += 1
        if gray.size == 0:
            return []  # zxing-cpp refuses an image without pixels; it holds no code either
        hint = self._hint
        found: list[Decoded] = []
        if hint is not None and self._frame - hint.frame <= self.options.hint_frames:
            found = self._attempt(gray, hint.region, hint.linear)
            # Only the code that was there counts: something else read in the old place may
            # be a fragment of a new code (half an EAN-13 decodes as a UPC-E).
            if found and {code.text for code in found} <= hint.texts:
                self._hint = _Hint(hint.region, hint.linear, self._frame, hint.texts)
                # Now and then search anyway, so a second code in view is found too.
                if self._frame % self.options.rescan_every:
                    return found
            else:
                found = []
        regions = find_regions(
            gray, scale=self.options.search_scale, max_regions=self.options.max_regions
        )
        for region in regions:
            if self._over_budget(started):
                break
            if any(_inside(region, code) for code in found):
                continue  # a second crop of a code already read
            for linear in _kinds(region):
                codes = self._attempt(gray, region, linear)
                if codes:
                    found += codes
                    texts = frozenset(code.text for code in codes)
                    self._hint = _Hint(region, linear, self._frame, texts)
                    break
        if not found and self.options.full_pass and not self._over_budget(started):
            found = self._full_pass(gray)
        return _unique(found)

    def _over_budget(self, started: float) -> bool:
        budget = self.options.budget_ms
        return budget is not None and (time.perf_counter() - started) * 1000 > budget

    def _attempt(self, gray: Gray, region: Region, linear: bool) -> list[Decoded]:
        """Decode one candidate, as a linear code turned upright or as a matrix code."""
        if linear:
            return self._linear(gray, region)
        found = self._matrix(box_crop(gray, region))
        left, top, right, bottom = region.box
        if not found and max(right - left, bottom - top) < self.options.zoom_below_px:
            found = self._matrix(box_crop(gray, region, zoom=2.0))
        return found

    def _linear(self, gray: Gray, region: Region) -> list[Decoded]:
        zoom = 2.0 if region.width < self.options.linear_zoom_below_px else 1.0
        crop = upright_crop(gray, region, zoom=zoom)
        barcodes = zxingcpp.read_barcodes(
            crop.image, formats=LINEAR_FORMATS, try_rotate=False, try_downscale=False,
            try_invert=False, text_mode=_PLAIN,
        )  # fmt: skip
        # A read from a few rows at the bars' ragged ends can be a wrong EAN-13 with a valid
        # check digit (seen in the benchmark): the guards every path shares drop it.
        found = plausible(crop.image, [from_zxing(b) for b in barcodes])
        return [_moved(code, crop) for code in found]

    def _matrix(self, crop: Crop) -> list[Decoded]:
        barcodes = zxingcpp.read_barcodes(
            crop.image, formats=MATRIX_FORMATS, try_rotate=True, try_downscale=False,
            try_invert=False, text_mode=_PLAIN,
        )  # fmt: skip
        return [_in_frame(b, crop) for b in barcodes]

    def _full_pass(self, gray: Gray) -> list[Decoded]:
        size = (gray.shape[1] // 2, gray.shape[0] // 2)
        if min(size) < 1:
            # A 1 px high (or wide) image has no half: read it as it is. zxing-cpp reads a
            # linear code from a single row.
            return self._read_whole(Crop(gray, _SAME))
        half = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), np.uint8)
        return self._read_whole(Crop(half, _HALF))

    @staticmethod
    def _read_whole(crop: Crop) -> list[Decoded]:
        barcodes = zxingcpp.read_barcodes(
            crop.image, formats=STATION_FORMATS, try_rotate=True, try_downscale=False,
            try_invert=False, text_mode=_PLAIN,
        )  # fmt: skip
        found = plausible(crop.image, [from_zxing(b) for b in barcodes])
        return [_moved(code, crop) for code in found]


def _kinds(region: Region) -> tuple[bool, ...]:
    """Which readings to try for a candidate: linear (True), matrix (False), best first."""
    if region.coherence >= 0.7:
        return (True,)
    if region.coherence >= 0.3:
        return (True, False)
    return (False,)


def _in_frame(barcode: zxingcpp.Barcode, crop: Crop) -> Decoded:
    return _moved(from_zxing(barcode), crop)


def _moved(code: Decoded, crop: Crop) -> Decoded:
    corners = tuple(crop.frame_point(x, y) for x, y in code.position)
    return Decoded(code.format, code.text, code.symbology, corners)  # type: ignore[arg-type]


def _inside(region: Region, code: Decoded) -> bool:
    xs = [p[0] for p in code.position]
    ys = [p[1] for p in code.position]
    margin = 0.25 * math.dist(code.position[0], code.position[2])
    return (min(xs) - margin <= region.cx <= max(xs) + margin) and (
        min(ys) - margin <= region.cy <= max(ys) + margin
    )


def _unique(codes: list[Decoded]) -> list[Decoded]:
    seen: dict[tuple[str | None, str], Decoded] = {}
    for code in codes:
        seen.setdefault((code.symbology, code.text), code)
    return list(seen.values())
