"""ESC/POS renderer for receipt printers (slips, notes): a Label as lines and barcodes.

A receipt printer has no absolute positions, so elements are taken top to bottom and the
texts that share a line become columns of one line, x mapped to the character columns of
font A. A field longer than its column wraps within the column onto further lines, so
nothing is cut (an SKU stays whole). Text goes out in the code pages of ``escpos_text``, or
as a raster line drawn from the shipped fonts when no page covers it. Barcodes use the
printer's own ``GS k`` Code 128 with the code sets of ``code128.plan``, the module narrowed
until the symbol and its quiet zones fit the paper (never below 2 dots: refused instead). A
GS1 DataMatrix, for which python-escpos has no command, is printed as an image of its ZPL
rendering. Frames are dropped; thin rules become a line of dashes.
"""

from __future__ import annotations

from dataclasses import dataclass

from escpos.printer import Dummy
from PIL import Image, ImageOps

from station.labels import code128, gs1
from station.labels.errors import LabelError
from station.labels.escpos_text import (
    DEFAULT_PROFILE,
    EscposProfile,
    encode_runs,
    escpos_profile,
)
from station.labels.fit import wrap
from station.labels.layout import describe
from station.labels.model import (
    Box,
    Code128,
    Element,
    Gs1Code128,
    Gs1DataMatrix,
    Label,
    Text,
    TextBlock,
)
from station.labels.png import png_image, zpl_to_png
from station.labels.textrender import line_box, render_text, text_width
from station.labels.zpl import datamatrix_field

__all__ = ["DEFAULT_PROFILE", "code128_data", "gs1_128_data", "render_escpos"]

BIG_TEXT_MM = 5.0  # text this tall or taller prints double width and height
SAME_LINE_MM = 1.0  # texts whose tops are this close share a line
RULE_MM = 1.0  # a box no taller than this is a rule
FONT_A_HEIGHT = 24  # dots; a raster line is drawn this high (twice for big text)
LINE_GAP = 6  # dots between raster lines, as between font A lines (30-dot pitch)


def _pairs(digits: str) -> str:
    # Code set C sends one byte (0..99) per two digits.
    return "".join(chr(int(digits[i : i + 2])) for i in range(0, len(digits), 2))


def code128_data(data: str) -> str:
    """``GS k`` Code 128 data: ``{B``/``{C`` code sets as ``code128.plan`` chooses them."""
    out = []
    for code_set, text in code128.plan(data):
        out.append("{C" + _pairs(text) if code_set == "C" else "{B" + text.replace("{", "{{"))
    return "".join(out)


def gs1_128_data(elements: tuple[tuple[str, str], ...]) -> str:
    """``GS k`` Code 128 data of a GS1-128: FNC1 (``{1``) first and as separator."""
    parts = gs1.segments(elements)
    if all(p.isdigit() and len(p) % 2 == 0 for p in parts):
        return "{C{1" + "{1".join(_pairs(p) for p in parts)
    return "{B{1" + "{1".join(p.replace("{", "{{") for p in parts)


@dataclass(frozen=True)
class _Field:
    """One text of a printed row: its columns [start, end), alignment and text."""

    start: int
    end: int
    align: str
    text: str


class _Writer:
    """Writes rows to a capturing printer, sending each style and code page change once."""

    def __init__(self, printer: Dummy, label: Label, profile: EscposProfile) -> None:
        self.p = printer
        self.label = label
        self.profile = profile
        self.style: tuple[bool, bool] | None = None
        self.page: int | None = None
        # The paper's columns span the label's content, not its margins (assumed symmetric).
        self.left = min((e.x for e in label.elements), default=0.0)
        self.span = max(label.width - 2 * self.left, 1.0)

    def dots(self, mm: float) -> int:
        return round(mm * self.profile.dpi / 25.4)

    def set_style(self, bold: bool, big: bool) -> None:
        if self.style != (bold, big):
            self.p.set(bold=bold, double_width=big, double_height=big, normal_textsize=not big)
            self.style = (bold, big)

    def columns_of(self, x: float, width: float | None, cols: int) -> tuple[int, int]:
        """Character columns [start, end) of a field from ``x`` over ``width`` mm."""
        right = self.label.width - self.left if width is None else x + width
        start = min(max(round((x - self.left) / self.span * cols), 0), cols - 1)
        return start, min(max(round((right - self.left) / self.span * cols), start + 1), cols)

    def fields(self, items: list[tuple[float, float | None, str, str]], cols: int) -> list[_Field]:
        """Fields of one row, each stopping a space short of the next (never overprinting)."""
        ordered = sorted(items, key=lambda i: i[0])
        spans = [self.columns_of(x, w, cols) for x, w, _, _ in ordered]
        out = []
        for i, ((_, _, align, text), (start, right)) in enumerate(zip(ordered, spans, strict=True)):
            end = right
            if align == "left" and i + 1 < len(spans):  # runs right: stop short of the next
                end = max(min(right, spans[i + 1][0] - 1), start + 1)
            out.append(_Field(start, end, align, text))
        return out

    def row(self, fields: list[_Field], big: bool) -> None:
        """A row of fields, each wrapped within its columns, as text or as raster lines."""
        encodable = all(encode_runs(f.text, self.profile) is not None for f in fields)
        scale = 2 if big else 1
        if encodable:
            wrapped = [wrap([f.text], f.end - f.start, len) for f in fields]
        else:
            h = FONT_A_HEIGHT * scale
            cell = self.profile.cell * scale
            wrapped = [wrap([f.text], (f.end - f.start) * cell, lambda t: text_width(t, h))
                       for f in fields]  # fmt: skip
        for i in range(max(len(w) for w in wrapped)):
            parts = [(f, w[i] if i < len(w) else "") for f, w in zip(fields, wrapped, strict=True)]
            if encodable:
                self.text_line(parts, self.profile.columns // scale)
            else:
                self.raster_line(parts, scale)

    def text_line(self, parts: list[tuple[_Field, str]], cols: int) -> None:
        line = [" "] * cols
        cursor = 0
        for f, text in parts:
            pad = f.end - f.start - len(text)
            offset = {"left": 0, "center": pad // 2, "right": pad}[f.align]
            # Narrow paper squeezes columns together: push a field right, never overprint.
            pos = max(f.start + max(offset, 0), cursor)
            fitted = text[: max(cols - pos, 0)]
            line[pos : pos + len(fitted)] = fitted
            cursor = pos + len(fitted) + 1 if text else cursor
        for number, data in encode_runs("".join(line).rstrip(), self.profile) or []:
            if number != self.page:
                self.p._raw(bytes((0x1B, 0x74, number)))  # ESC t n: select the code page
                self.page = number
            self.p._raw(data)
        self.p._raw(b"\n")

    def raster_line(self, parts: list[tuple[_Field, str]], scale: int) -> None:
        h = FONT_A_HEIGHT * scale
        cell = self.profile.cell * scale
        image = Image.new("1", (self.profile.dots_per_line, line_box(h) + LINE_GAP), 1)
        for f, text in parts:
            if not text:
                continue
            drawn = render_text(text, h, bold=bool(self.style and self.style[0]))
            room = (f.end - f.start) * cell
            offset = {"left": 0, "center": (room - drawn.width) // 2, "right": room - drawn.width}
            image.paste(drawn, (f.start * cell + max(offset[f.align], 0), 0))
        self.p.image(image)

    def texts(self, row: list[Text]) -> None:
        big = any(t.size >= BIG_TEXT_MM for t in row)
        self.set_style(any(t.bold for t in row), big)
        cols = self.profile.columns // 2 if big else self.profile.columns
        self.row(self.fields([(t.x, t.width, t.align, t.text) for t in row], cols), big)

    def block(self, b: TextBlock) -> None:
        big = b.size >= BIG_TEXT_MM
        self.set_style(b.bold, big)
        cols = self.profile.columns // 2 if big else self.profile.columns
        start, end = self.columns_of(b.x, b.width, cols)
        # A roll of paper has room for every wrapped line: ``max_lines`` counts the
        # block's own lines here, the last one kept ending in "..." when some are left off.
        lines = list(b.lines[: b.max_lines])
        if len(b.lines) > b.max_lines:
            lines[-1] = lines[-1].rstrip() + "..."
        for line in lines:
            self.row([_Field(start, end, b.align, line)], big)

    def barcode(self, element: Element, data: str, modules: int, height_mm: float,
                module_mm: float, hri: bool) -> None:  # fmt: skip
        height = min(max(self.dots(height_mm), 1), 255)
        room = self.profile.dots_per_line
        width = min(max(self.dots(module_mm), 2), 6)
        while width > 2 and (modules + 2 * code128.QUIET_ZONE_X) * width > room:
            width -= 1  # a narrower module, never a symbol wider than the paper
        if (modules + 2 * code128.QUIET_ZONE_X) * width > room:
            raise LabelError(
                f"label {self.label.name}: {describe(element)} needs "
                f"{(modules + 20) * width} dots with its quiet zones, the printer "
                f"{self.profile.name} has {room}"
            )
        # The hardware path of ``barcode()`` without its "Using hardware..." line on stdout.
        pos = "BELOW" if hri else "OFF"
        self.p._hw_barcode(data, "CODE128", height, width, pos, "A", True, "B", False)
        self.p.set(align="left")

    def datamatrix(self, element: Gs1DataMatrix) -> None:
        size = self.profile.dots_per_line
        module = max(self.dots(element.module), 1)
        zpl = f"^XA^PW{size}^LL{size}" + datamatrix_field(element, module, module, module)
        image = png_image(zpl_to_png((zpl + "^XZ").encode(), 203, size, size)).convert("L")
        box = ImageOps.invert(image).getbbox()
        if box is None:
            raise LabelError("the DataMatrix rendered empty")
        self.p.image(image.crop(box).convert("1"), center=True)
        self.p.set(align="left")

    def rule(self, box: Box) -> None:
        self.set_style(False, False)
        start, end = self.columns_of(box.x, box.width, self.profile.columns)
        self.text_line([(_Field(start, end, "left", "-" * (end - start)), "-" * (end - start))],
                       self.profile.columns)  # fmt: skip


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


def render_escpos(label: Label, *, profile: str = DEFAULT_PROFILE, dots_per_line: int = 0) -> bytes:
    """ESC/POS bytes of ``label`` for a printer of the python-escpos ``profile``."""
    printer = Dummy(profile=profile)
    w = _Writer(printer, label, escpos_profile(profile, dots_per_line))
    printer.hw("INIT")
    for row in _rows(label):
        first = row[0]
        match first:
            case Text():
                w.texts([e for e in row if isinstance(e, Text)])
            case TextBlock():
                w.block(first)
            case Code128():
                modules = code128.width_modules(first.data)
                w.barcode(first, code128_data(first.data), modules, first.height, first.module,
                          first.hri)  # fmt: skip
            case Gs1Code128():
                modules = code128.gs1_width_modules(first.elements)
                w.barcode(first, gs1_128_data(first.elements), modules, first.height,
                          first.module, False)  # fmt: skip
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
