"""Barcode decoders for camera images: one small interface, zxing-cpp and zbar behind it.

zxing-cpp is the default engine: it reads every format the station uses (Code 128 and
GS1-128, EAN/UPC, Data Matrix, QR), reports the AIM symbology identifier (``]C1`` tells
GS1-128 from plain Code 128) and needs no system library. zbar (through pyzbar) is kept as a
second opinion: 1D and QR only, no Data Matrix, no AIM identifier, and it needs libzbar0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
import zxingcpp

Gray = npt.NDArray[np.uint8]
Point = tuple[int, int]

# The formats a pack bench meets. Everything else is switched off: fewer readers run (the
# default full set costs twice the time per frame) and fewer symbologies can be conjured
# out of clutter (Codabar, ITF and DataBar have weak checks).
_F = zxingcpp.BarcodeFormat
LINEAR_FORMATS = zxingcpp.BarcodeFormats([_F.Code128, _F.EAN13, _F.UPCA, _F.EAN8, _F.UPCE])
MATRIX_FORMATS = zxingcpp.BarcodeFormats([_F.DataMatrix, _F.QRCode])
STATION_FORMATS = zxingcpp.BarcodeFormats(
    [_F.Code128, _F.EAN13, _F.UPCA, _F.EAN8, _F.UPCE, _F.DataMatrix, _F.QRCode]
)


@dataclass(frozen=True)
class Decoded:
    """One code read from an image."""

    format: str
    """zxing-cpp's name for the format: ``"Code 128"``, ``"EAN-13"``, ``"Data Matrix"``..."""
    text: str
    """The content as transmitted: GS1 field separators kept as GS (``"\\x1d"``), no AIM prefix."""
    symbology: str | None
    """AIM symbology identifier (``"]C1"``, ``"]d2"``, ``"]Q1"``); None if the engine gives none."""
    position: tuple[Point, Point, Point, Point]
    """Corners in image pixels: top-left, top-right, bottom-right, bottom-left of the symbol."""

    @property
    def scanned(self) -> str:
        """What a scanner set to send AIM identifiers would have sent: prefix + text."""
        return (self.symbology or "") + self.text


class Decoder(Protocol):
    """Reads the barcodes in one grey image."""

    def decode(self, gray: Gray) -> list[Decoded]:
        """Every code found in ``gray`` (a 2-D uint8 array); an empty list if none."""
        ...


def _corners(position: zxingcpp.Position) -> tuple[Point, Point, Point, Point]:
    return (
        (position.top_left.x, position.top_left.y),
        (position.top_right.x, position.top_right.y),
        (position.bottom_right.x, position.bottom_right.y),
        (position.bottom_left.x, position.bottom_left.y),
    )


def from_zxing(barcode: zxingcpp.Barcode, offset: Point = (0, 0)) -> Decoded:
    """A :class:`Decoded` from a zxing-cpp result, its corners moved by ``offset``."""
    dx, dy = offset
    corners = tuple((x + dx, y + dy) for x, y in _corners(barcode.position))
    return Decoded(
        format=str(barcode.format),
        text=barcode.text,
        symbology=barcode.symbology_identifier or None,
        position=corners,  # type: ignore[arg-type]  # four points by construction
    )


class ZxingDecoder:
    """zxing-cpp's ``read_barcodes`` with the station's formats and plain text.

    ``TextMode.Plain`` keeps GS1 field separators as GS characters; the default (HRI) would
    turn a GS1 string into ``(01)...(10)...``. The ``try_*`` options are zxing-cpp's own, with
    its defaults: thorough, and about 35 ms for a 1280x720 frame with the station's formats
    (twice that with all formats). The live path (:mod:`drivers.camera.live`) sets them per crop.
    """

    def __init__(
        self,
        formats: Sequence[zxingcpp.BarcodeFormat] | None = tuple(STATION_FORMATS),
        *,
        try_rotate: bool = True,
        try_downscale: bool = True,
        try_invert: bool = True,
        binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
        is_pure: bool = False,
    ) -> None:
        # An empty set means every format zxing-cpp reads (its own default).
        self.formats = zxingcpp.BarcodeFormats(list(formats or ()))
        self.try_rotate = try_rotate
        self.try_downscale = try_downscale
        self.try_invert = try_invert
        self.binarizer = binarizer
        self.is_pure = is_pure

    def decode(self, gray: Gray) -> list[Decoded]:
        """Every code zxing-cpp finds in ``gray``."""
        barcodes = zxingcpp.read_barcodes(
            gray,
            formats=self.formats,
            try_rotate=self.try_rotate,
            try_downscale=self.try_downscale,
            try_invert=self.try_invert,
            text_mode=zxingcpp.TextMode.Plain,
            binarizer=self.binarizer,
            is_pure=self.is_pure,
        )
        return [from_zxing(b) for b in barcodes]


# pyzbar's type names -> zxing-cpp's format names, so both engines report alike.
_ZBAR_FORMATS = {
    "CODE128": "Code 128",
    "EAN13": "EAN-13",
    "UPCA": "UPC-A",
    "EAN8": "EAN-8",
    "UPCE": "UPC-E",
    "QRCODE": "QR Code",
    "CODE39": "Code 39",
    "CODE93": "Code 93",
    "I25": "ITF",
    "CODABAR": "Codabar",
    "DATABAR": "DataBar",
    "DATABAR_EXP": "DataBarExpanded",
}


class ZbarUnavailableError(RuntimeError):
    """pyzbar cannot load libzbar; ``str(err)`` says what to install."""


class ZbarDecoder:
    """zbar through pyzbar: 1D and QR, no Data Matrix, no AIM identifier.

    pyzbar is imported on first use so the station starts without libzbar; a missing library
    raises :class:`ZbarUnavailableError` with the package to install. zbar returns bytes; GS1-128
    FNC1 separators arrive as GS and are kept.
    """

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar
        except ImportError as exc:  # pyzbar raises ImportError when libzbar is not found
            raise ZbarUnavailableError(
                f"zbar is not available ({exc}): install the system package libzbar0"
            ) from exc
        self._pyzbar = pyzbar

    def decode(self, gray: Gray) -> list[Decoded]:
        """Every code zbar finds in ``gray``."""
        found: list[Decoded] = []
        for symbol in self._pyzbar.decode(gray):
            left, top, width, height = symbol.rect
            corners = ((left, top), (left + width, top), (left + width, top + height),
                       (left, top + height))  # fmt: skip
            found.append(
                Decoded(
                    format=_ZBAR_FORMATS.get(symbol.type, symbol.type),
                    text=symbol.data.decode("utf-8", errors="replace"),
                    symbology=None,
                    position=corners,
                )
            )
        return found


def make_decoder(engine: str) -> Decoder:
    """The decoder called ``engine`` (``"zxing"`` or ``"zbar"``), with its defaults."""
    if engine == "zxing":
        return ZxingDecoder()
    if engine == "zbar":
        return ZbarDecoder()
    raise ValueError(f"unknown decoder engine {engine!r} (expected zxing or zbar)")
