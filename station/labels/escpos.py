"""ESC/POS renderer for receipt printers (slips, notes): a Label as lines and barcodes.

A receipt printer has no absolute positions, so elements are taken top to bottom and the
texts that share a line become columns of one text line, x mapped to the character columns
of font A. Barcodes use the printer's own ``GS k`` Code 128 (``{B``/``{C`` code sets, ``{1``
= FNC1 for GS1-128). A GS1 DataMatrix, for which python-escpos has no command, is printed
as an image of its ZPL rendering. Frames are dropped; thin rules become a line of dashes.
"""

from __future__ import annotations

from escpos.printer import Dummy
from PIL import ImageOps

from station.labels import gs1
from station.labels.errors import LabelError
from station.labels.model import (
    Box,
    Code128,
    Element,
    Gs1Code128,
    Gs1DataMatrix,
    Label,
    Text,
    TextBlock,
    wrap,
)
from station.labels.png import png_image, zpl_to_png
from station.labels.zpl import datamatrix_field

DEFAULT_PROFILE = "TM-T88III"
BIG_TEXT_MM = 5.0  # text this tall or taller prints double width and height
SAME_LINE_MM = 1.0  # texts whose tops are this close share a line
RULE_MM = 1.0  # a box no taller than this is a rule


def _pairs(digits: str) -> str:
    # Code set C sends one byte (0..99) per two digits.
    return "".join(chr(int(digits[i : i + 2])) for i in range(0, len(digits), 2))


def code128_data(data: str) -> str:
    """``GS k`` Code 128 data: ``{C`` for an even run of digits, else ``{B``."""
    if not data or not all(" " <= ch <= "~" for ch in data):
        raise LabelError(f"Code 128 takes printable ASCII only, not {data!r}")
    if data.isdigit() and len(data) % 2 == 0:
        return "{C" + _pairs(data)
    return "{B" + data.replace("{", "{{")


def gs1_128_data(elements: tuple[tuple[str, str], ...]) -> str:
    """``GS k`` Code 128 data of a GS1-128: FNC1 (``{1``) first and as separator."""
    parts = gs1.segments(elements)
    if all(p.isdigit() and len(p) % 2 == 0 for p in parts):
        return "{C{1" + "{1".join(_pairs(p) for p in parts)
    return "{B{1" + "{1".join(p.replace("{", "{{") for p in parts)


class _Writer:
    """Tracks the text style sent so far, so each change is sent once."""

    def __init__(self, printer: Dummy, label: Label) -> None:
        self.p = printer
        self.label = label
        profile = printer.profile.profile_data
        self.columns = int(profile.get("fonts", {}).get("0", {}).get("columns", 42))
        self.dpi = int(profile.get("media", {}).get("dpi", 203))
        self.style: tuple[bool, bool] | None = None
        # The paper's columns span the label's content, not its margins (assumed symmetric).
        self.left = min((e.x for e in label.elements), default=0.0)
        self.span = max(label.width - 2 * self.left, 1.0)

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def set_style(self, bold: bool, big: bool) -> None:
        if self.style != (bold, big):
            self.p.set(bold=bold, double_width=big, double_height=big, normal_textsize=not big)
            self.style = (bold, big)

    def field(self, x: float, width: float | None, cols: int) -> tuple[int, int]:
        """Character columns [start, end) of a field from ``x`` over ``width`` mm."""
        right = self.label.width - self.left if width is None else x + width
        start = min(max(round((x - self.left) / self.span * cols), 0), cols - 1)
        return start, min(max(round((right - self.left) / self.span * cols), start + 1), cols)

    def text_line(self, items: list[tuple[float, float | None, str, str]], big: bool) -> None:
        """One line of (x, width, align, text) fields, at least a space apart."""
        cols = self.columns // 2 if big else self.columns
        line = [" "] * cols
        ordered = sorted(items, key=lambda i: i[0])
        starts = [self.field(x, w, cols)[0] for x, w, _, _ in ordered] + [cols + 1]
        cursor = 0
        for i, (x, width, align, text) in enumerate(ordered):
            start, end = self.field(x, width, cols)
            if align == "left":  # runs right: stop a space short of the next field
                end = max(min(end, starts[i + 1] - 1), start + 1)
            fitted = text[: end - start]
            pad = end - start - len(fitted)
            offset = {"left": 0, "center": pad // 2, "right": pad}[align]
            # Narrow paper squeezes columns together: push a field right, never overprint.
            pos = max(start + offset, cursor)
            fitted = fitted[: max(cols - pos, 0)]
            line[pos : pos + len(fitted)] = fitted
            cursor = pos + len(fitted) + 1
        self.p.textln("".join(line).rstrip())

    def texts(self, row: list[Text]) -> None:
        big = any(t.size >= BIG_TEXT_MM for t in row)
        self.set_style(any(t.bold for t in row), big)
        self.text_line([(t.x, t.width, t.align, t.text) for t in row], big)

    def block(self, b: TextBlock) -> None:
        big = b.size >= BIG_TEXT_MM
        self.set_style(b.bold, big)
        start, end = self.field(b.x, b.width, self.columns // 2 if big else self.columns)
        for line in wrap(b, end - start):
            self.text_line([(b.x, b.width, b.align, line)], big)

    def barcode(self, data: str, height_mm: float, module_mm: float, hri: bool) -> None:
        height = min(max(self.dots(height_mm), 1), 255)
        width = min(max(self.dots(module_mm), 2), 6)
        # The hardware path of ``barcode()`` without its "Using hardware..." line on stdout.
        pos = "BELOW" if hri else "OFF"
        self.p._hw_barcode(data, "CODE128", height, width, pos, "A", True, "B", False)
        self.p.set(align="left")

    def datamatrix(self, element: Gs1DataMatrix) -> None:
        size = int(self.p.profile.profile_data.get("media", {}).get("width", {}).get("pixels", 384))
        zpl = f"^XA^PW{size}^LL{size}" + datamatrix_field(element, 0, 0, self.dots(element.module))
        image = png_image(zpl_to_png((zpl + "^XZ").encode(), 203, size, size)).convert("L")
        box = ImageOps.invert(image).getbbox()
        if box is None:
            raise LabelError("the DataMatrix rendered empty")
        self.p.image(image.crop(box).convert("1"), center=True)
        self.p.set(align="left")

    def rule(self, box: Box) -> None:
        self.set_style(False, False)
        start, end = self.field(box.x, box.width, self.columns)
        self.p.textln(" " * start + "-" * (end - start))


def _rows(label: Label) -> list[list[Element]]:
    rows: list[list[Element]] = []
    for e in sorted(label.elements, key=lambda e: (e.y, e.x)):
        last = rows[-1] if rows else None
        if (
            isinstance(e, Text)
            and last is not None
            and isinstance(last[0], Text)
            and abs(e.y - last[0].y) < SAME_LINE_MM
        ):
            last.append(e)
        else:
            rows.append([e])
    return rows


def render_escpos(label: Label, *, profile: str = DEFAULT_PROFILE) -> bytes:
    """ESC/POS bytes of ``label`` for a printer of the python-escpos ``profile``."""
    printer = Dummy(profile=profile)
    w = _Writer(printer, label)
    printer.hw("INIT")
    for row in _rows(label):
        first = row[0]
        match first:
            case Text():
                w.texts([e for e in row if isinstance(e, Text)])
            case TextBlock():
                w.block(first)
            case Code128():
                w.barcode(code128_data(first.data), first.height, first.module, first.hri)
            case Gs1Code128():
                w.barcode(gs1_128_data(first.elements), first.height, first.module, False)
            case Gs1DataMatrix():
                w.datamatrix(first)
            case Box() if min(first.height, first.width) <= RULE_MM:
                w.rule(first)
            case Box():
                pass  # a frame has no meaning on a roll of receipt paper
    printer.cut()
    data: bytes = printer.output
    printer.close()
    return data
