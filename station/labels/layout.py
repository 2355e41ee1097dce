"""The layout check: every element inside the printable area, in printer dots.

Text is fitted to its box by the renderer (wrapped, or ended with an ellipsis); a box that
itself leaves the label, a barcode with its quiet zones, a DataMatrix or a frame that does
not fit is refused with a LabelError that names the element, since shrinking a barcode
could make it unreadable and moving it could cover something else.
"""

from __future__ import annotations

from station.labels import code128, gs1
from station.labels.errors import LabelError
from station.labels.model import Element, Gs1DataMatrix, Label, Text, TextBlock, dots
from station.labels.textrender import line_box

# ECC 200 square symbols: (modules a side, data codewords), ISO/IEC 16022 table 7.
_DATAMATRIX_SIZES = (
    (10, 3), (12, 5), (14, 8), (16, 12), (18, 18), (20, 22), (22, 30), (24, 36), (26, 44),
    (32, 62), (36, 86), (40, 114), (44, 144), (48, 174), (52, 204), (64, 280),
)  # fmt: skip


def describe(element: Element) -> str:
    """The element as the operator can find it in the template: kind, position, content."""
    kind = type(element).__name__
    match element:
        case Text():
            what = f" {element.text!r}"
        case TextBlock():
            what = f" {element.lines[0]!r}" if element.lines else ""
        case _:
            data = getattr(element, "data", None) or getattr(element, "elements", None)
            what = f" {data!r}" if data else ""
    return f"{kind}{what} at x={element.x:g} mm, y={element.y:g} mm"


class Page:
    """The printable area of a label at one resolution, in dots."""

    def __init__(self, label: Label, dpi: int) -> None:
        self.label = label
        self.dpi = dpi
        self.width = dots(label.width, dpi)
        self.height = dots(label.height, dpi)

    def refuse(self, element: Element, why: str) -> LabelError:
        """The error for ``element`` leaving the label."""
        return LabelError(
            f"label {self.label.name}: {describe(element)} {why} "
            f"({self.width} x {self.height} dots at {self.dpi} dpi)"
        )

    def text_box(self, element: Text | TextBlock, x: int, y: int, h: int) -> int:
        """The width in dots of a text's box, checked to lie inside the label (its height as
        the tallest way of drawing it, a bitmap from the shipped fonts)."""
        width = element.width if element.width is not None else self.label.width - element.x
        w = dots(width, self.dpi)
        if x < 0 or y < 0 or w < 1:
            raise self.refuse(element, "starts outside the label")
        if x + w > self.width:
            raise self.refuse(element, f"ends at dot {x + w}, past the right edge")
        self.check_bottom(element, y + line_box(h))
        return w

    def check_bottom(self, element: Element, bottom: int) -> None:
        """Refuse ``element`` if it ends below the label."""
        if bottom > self.height:
            raise self.refuse(element, f"ends at dot {bottom}, past the bottom edge")


def check_barcode(page: Page, element: Element, x: int, y: int, w: int, m: int, h: int) -> None:
    """A linear barcode ``w`` dots wide with 10X quiet zones of ``m``-dot modules, ``h`` high."""
    quiet = code128.QUIET_ZONE_X * m
    if x - quiet < 0:
        raise page.refuse(element, f"leaves {x} dots before its bars, its quiet zone is {quiet}")
    if x + w + quiet > page.width:
        raise page.refuse(
            element, f"ends at dot {x + w} and its quiet zone at {x + w + quiet}, past the edge"
        )
    page.check_bottom(element, y + h)


def datamatrix_size(element: Gs1DataMatrix) -> int:
    """Modules a side of the smallest square ECC 200 symbol for the element string."""
    codewords = 1  # FNC1 first
    for i, part in enumerate(gs1.segments(element.elements)):
        codewords += 1 if i else 0  # FNC1 as separator
        j = 0
        while j < len(part):  # ASCII encodation: two digits a codeword
            pair = part[j : j + 2]
            j += 2 if len(pair) == 2 and pair.isdigit() else 1
            codewords += 1
    for side, capacity in _DATAMATRIX_SIZES:
        if codewords <= capacity:
            return side
    raise LabelError(f"GS1 DataMatrix data too long: {codewords} codewords")


def check_datamatrix(page: Page, element: Gs1DataMatrix, x: int, y: int, m: int) -> None:
    """A DataMatrix with its one-module quiet zone inside the label."""
    if m < 1:
        raise page.refuse(element, "has a module under one dot")
    side = datamatrix_size(element) * m
    if x - m < 0 or y - m < 0 or x + side + m > page.width:
        raise page.refuse(element, f"with its {side}-dot symbol and quiet zone leaves the label")
    page.check_bottom(element, y + side + m)


def check_box(page: Page, element: Element, x: int, y: int, w: int, h: int) -> None:
    """A frame or rule inside the label."""
    if x < 0 or y < 0 or x + w > page.width:
        raise page.refuse(element, f"spans dots {x} to {x + w}, outside the label")
    page.check_bottom(element, y + h)
