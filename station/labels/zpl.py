"""ZPL II renderer: a Label at 203 or 300 dpi to the bytes a Zebra printer takes.

Commands after the ZPL II Programming Guide and docs/protocols.md "ZPL": ``^PW``/``^LL`` size,
``^CI28`` UTF-8, text through ``zpl_text`` (font 0, the printer's Unicode font or a ``^GF``
graphic), ``^BC`` Code 128 with the code sets of ``code128.plan`` (``>;>8`` subset C + FNC1
for an all-numeric GS1-128, UCC/EAN mode ``D`` otherwise), ``^BX`` GS1 DataMatrix with ``_1``
FNC1, ``^GB`` boxes. Every element passes the layout check (``layout``) first: text is
fitted to its box (wrapped or ended with an ellipsis), and anything else that would leave
the label, a barcode's quiet zone included, is refused with the element named.
"""

from __future__ import annotations

from station.labels import code128, gs1
from station.labels.errors import LabelError
from station.labels.fit import ellipsize, wrap_limited
from station.labels.layout import Page, check_barcode, check_box, check_datamatrix
from station.labels.model import (
    Box,
    Code128,
    Element,
    Gs1Code128,
    Gs1DataMatrix,
    Label,
    Text,
    TextBlock,
    check_dpi,
    dots,
)
from station.labels.textrender import line_box
from station.labels.zpl_text import font0_safe, measure, text_fields

# In ^BC data '>' starts an invocation code, and '^' / '~' are command prefixes: subset B
# writes these three characters as invocation codes (ZPL II guide, ^BC, table of invocation
# characters: '>0' is '>', '><' is '^', '>=' is '~'; '>5' switches to C, '>6' to B).
_CODE128_B = str.maketrans({">": ">0", "^": "><", "~": ">="})


def code128_zpl(data: str) -> str:
    """``^BC`` data of ``data``: the code sets of ``code128.plan`` as invocation codes."""
    out = []
    for i, (code_set, text) in enumerate(code128.plan(data)):
        if code_set == "C":
            out.append((">;" if i == 0 else ">5") + text)
        else:
            out.append((">:" if i == 0 else ">6") + text.translate(_CODE128_B))
    return "".join(out)


def _gs1_128_data(element: Gs1Code128) -> tuple[str, str]:
    """(``,mode`` parameter, ^FD data): subset C with ``>8`` FNC1 if it all fits, else UCC/EAN
    mode D, which takes ``(AI)value`` and places the FNC1 characters itself."""
    parts = gs1.segments(element.elements)
    if all(p.isdigit() and len(p) % 2 == 0 for p in parts):
        return "", ">;>8" + ">8".join(parts)  # docs/protocols.md's form: mode N, the default
    if any("(" in v or ")" in v for _, v in element.elements):
        raise LabelError("GS1-128 values with parentheses are not supported")
    return ",D", gs1.hri(element.elements)


def datamatrix_field(element: Gs1DataMatrix, x: int, y: int, module: int) -> str:
    """``^BX`` field of a GS1 DataMatrix: ECC 200, ``_`` escapes, ``_1`` = FNC1."""
    parts = [p.replace("_", "__") for p in gs1.segments(element.elements)]
    return f"^FO{x},{y}^BXN,{max(module, 1)},200,0,0,1,_^FD_1" + "_1".join(parts) + "^FS"


def _fitted(text: str, width: int, h: int, bold: bool, font: str) -> str:
    """``text`` cut with an ellipsis to ``width`` dots, measured as it will be drawn."""
    fitted = text
    for _ in range(2):  # cutting may drop the one character that chose the drawing
        ellipsis = "..." if font0_safe(fitted) else "\u2026"
        fitted = ellipsize(text, width, lambda t: measure(t, h, bold, font), ellipsis)
        if font0_safe(fitted) == font0_safe(text):
            break
        text = fitted
    return fitted


def _block_lines(element: TextBlock, width: int, h: int, font: str) -> list[str]:
    def width_of(t: str) -> float:
        return measure(t, h, element.bold, font)

    ellipsis = "..." if all(font0_safe(line) for line in element.lines) else "\u2026"
    return wrap_limited(element.lines, width, element.max_lines, width_of, ellipsis)


def element_zpl(element: Element, page: Page, font: str = "") -> str:
    """The ZPL fields that draw one element, after its layout check."""
    dpi = page.dpi
    x, y = dots(element.x, dpi), dots(element.y, dpi)
    match element:
        case Text():
            h = dots(element.size, dpi)
            w = page.text_box(element, x, y, h)
            text = _fitted(element.text, w, h, element.bold, font)
            if element.text.strip() and not text:
                raise page.refuse(element, "has no room for even an ellipsis")
            return text_fields(x, y, w, text, h, element.bold, element.align, font)
        case TextBlock():
            h = dots(element.size, dpi)
            w = page.text_box(element, x, y, h)
            lines = _block_lines(element, w - (1 if element.bold else 0), h, font)
            pitch = element.size * element.spacing
            out = []
            for i, line in enumerate(lines):
                ly = dots(element.y + i * pitch, dpi)
                page.check_bottom(element, ly + line_box(h))
                out.append(text_fields(x, ly, w, line, h, element.bold, element.align, font))
            return "".join(out)
        case Code128():
            m = max(dots(element.module, dpi), 1)
            height = dots(element.height, dpi)
            hri = round(height * 0.25) if element.hri else 0  # the printed digits below
            check_barcode(page, element, x, y, code128.width_modules(element.data) * m, m,
                          height + hri)  # fmt: skip
            return (
                f"^FO{x},{y}^BY{m}^BCN,{height},{'Y' if element.hri else 'N'},N,N"
                f"^FD{code128_zpl(element.data)}^FS"
            )
        case Gs1Code128():
            m = max(dots(element.module, dpi), 1)
            height = dots(element.height, dpi)
            mode, data = _gs1_128_data(element)
            modules = code128.gs1_width_modules(element.elements)
            check_barcode(page, element, x, y, modules * m, m, height)
            return f"^FO{x},{y}^BY{m}^BCN,{height},N,N,N{mode}^FD{data}^FS"
        case Gs1DataMatrix():
            m = dots(element.module, dpi)
            check_datamatrix(page, element, x, y, m)
            return datamatrix_field(element, x, y, m)
        case Box():
            t = max(dots(element.thickness, dpi), 1)
            w, h = max(dots(element.width, dpi), t), max(dots(element.height, dpi), t)
            check_box(page, element, x, y, w, h)
            return f"^FO{x},{y}^GB{w},{h},{t},B,0^FS"


def render_zpl(label: Label, dpi: int = 203, *, unicode_font: str = "") -> bytes:
    """The label as one ZPL format (``^XA`` ... ``^XZ``), UTF-8 (``^CI28``).

    ``unicode_font``: the name of a font on the printer with every script (``^A@``), e.g.
    ``E:NOTOSANS.TTF``; empty draws text font 0 has not as a graphic.
    """
    check_dpi(dpi)
    page = Page(label, dpi)
    lines = [
        "^XA",
        "^CI28",
        f"^PW{page.width}^LL{page.height}^LH0,0",
        *(element_zpl(e, page, unicode_font) for e in label.elements),
        "^XZ",
    ]
    return ("\n".join(lines) + "\n").encode()
