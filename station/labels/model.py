"""A label as data: its size and its elements, positioned in millimetres, for any output.

A template fills one of these; each renderer (ZPL, ESC/POS, PNG, PDF) turns it into bytes.
Millimetres keep a definition independent of the printer: the renderers convert to dots.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from station.labels.errors import LabelError

Align = Literal["left", "center", "right"]
ALIGNS: tuple[Align, ...] = ("left", "center", "right")

# Zebra heads are 8 and 12 dots/mm; docs/protocols.md sizes 4x6 in as 812x1218 at 203 dpi and
# 1218x1827 at 300 dpi, i.e. the 300 dpi head counts 1.5 times the 203 dpi dots.
DOTS_PER_INCH = {203: 203.0, 300: 304.5}
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Text:
    """One line of text from (x, y), its top left; ``width`` bounds and aligns it."""

    x: float
    y: float
    text: str
    size: float = 3.0  # character height in mm
    bold: bool = False
    align: Align = "left"
    width: float | None = None  # None: up to the label's right edge


@dataclass(frozen=True)
class TextBlock:
    """Lines of text wrapped to ``width`` (``fit.wrap_limited``); beyond ``max_lines`` the
    last line ends in an ellipsis."""

    x: float
    y: float
    width: float
    lines: tuple[str, ...]
    size: float = 3.0
    bold: bool = False
    align: Align = "left"
    max_lines: int = 10
    spacing: float = 1.25  # line pitch as a multiple of ``size``


@dataclass(frozen=True)
class Code128:
    """A Code 128 barcode of printable ASCII ``data``, with its text below if ``hri``."""

    x: float
    y: float
    data: str
    height: float = 15.0
    module: float = 0.375  # narrow bar width in mm
    hri: bool = True


@dataclass(frozen=True)
class Gs1Code128:
    """A GS1-128 barcode of GS1 element strings, ``(AI, value)`` in order."""

    x: float
    y: float
    elements: tuple[tuple[str, str], ...]
    height: float = 25.0
    module: float = 0.375


@dataclass(frozen=True)
class Gs1DataMatrix:
    """A GS1 DataMatrix of element strings, ``(AI, value)`` in order."""

    x: float
    y: float
    elements: tuple[tuple[str, str], ...]
    module: float = 0.75  # module (cell) size in mm


@dataclass(frozen=True)
class Box:
    """A rectangle outline; a rule is a box as high (or as wide) as its thickness."""

    x: float
    y: float
    width: float
    height: float
    thickness: float = 0.5


Element = Text | TextBlock | Code128 | Gs1Code128 | Gs1DataMatrix | Box


@dataclass(frozen=True)
class Label:
    """A label of ``width`` x ``height`` mm made of positioned elements."""

    name: str
    width: float
    height: float
    elements: tuple[Element, ...]


def check_dpi(dpi: int) -> None:
    """Raise LabelError unless ``dpi`` is a resolution the renderers know."""
    if dpi not in DOTS_PER_INCH:
        raise LabelError(f"unsupported resolution {dpi} dpi: use 203 or 300")


def dots(mm: float, dpi: int) -> int:
    """``mm`` in printer dots at ``dpi`` (203 or 300)."""
    return round(mm / MM_PER_INCH * DOTS_PER_INCH[dpi])
