"""ZPL II renderer: a Label at 203 or 300 dpi to the bytes a Zebra printer takes.

Commands after the ZPL II Programming Guide and docs/protocols.md "ZPL": ``^PW``/``^LL`` size,
``^A0`` scalable font, ``^FB`` one-line blocks for alignment, ``^FH`` hex escapes for the
command prefixes ``^`` and ``~`` in text, ``^BC`` Code 128 (``>;>8`` subset C + FNC1 for an
all-numeric GS1-128, UCC/EAN mode ``D`` otherwise), ``^BX`` GS1 DataMatrix with ``_1`` FNC1.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace

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
    check_dpi,
    columns_for,
    dots,
    wrap,
)

# Letters that Unicode decomposition does not reduce to ASCII.
_FOLD = str.maketrans(
    {
        "ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D",
        "đ": "d", "Œ": "OE", "œ": "oe", "Þ": "Th", "þ": "th", "ð": "d", "€": "EUR",
        "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...",
    }
)  # fmt: skip


def ascii_text(text: str) -> str:
    """``text`` folded to printable ASCII: ``München`` -> ``Munchen``.

    The offline preview (zplkit) has glyphs of font 0 for ASCII only, and a label must print
    what the preview showed; carriers' sorting staff read plain Latin letters everywhere.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
    out = []
    for ch in folded:
        if unicodedata.combining(ch):
            continue
        if ch.isspace():
            out.append(" ")
        elif " " <= ch <= "~":
            out.append(ch)
        else:
            out.append("?")
    return "".join(out)


def field_data(text: str) -> str:
    """``^FD`` data for ``text``, behind ``^FH`` when it holds a command prefix."""
    if "^" not in text and "~" not in text:
        return f"^FD{text}^FS"
    escaped = text.replace("_", "_5F").replace("^", "_5E").replace("~", "_7E")
    return f"^FH_^FD{escaped}^FS"


def _text(x: int, y: int, width: int, text: str, h: int, bold: bool, align: str, dpi: int) -> str:
    justify = {"left": "L", "center": "C", "right": "R"}[align]
    data = field_data(text)
    # Font 0 has one weight; bold is the field struck again a dot or two to the right.
    strikes = [x, x + max(1, dots(0.15, dpi))] if bold else [x]
    return "".join(f"^FO{sx},{y}^A0N,{h},{h}^FB{width},1,0,{justify},0{data}" for sx in strikes)


# In ^BC data '>' starts an invocation code, and '^' / '~' are command prefixes: subset B
# writes these three characters as invocation codes (ZPL II guide, ^BC, table of invocation
# characters: '>0' is '>', '><' is '^', '>=' is '~').
_CODE128_B = str.maketrans({">": ">0", "^": "><", "~": ">="})


def _code128_data(data: str) -> str:
    if not data or not all(" " <= ch <= "~" for ch in data):
        raise LabelError(f"Code 128 takes printable ASCII only, not {data!r}")
    if data.isdigit() and len(data) % 2 == 0:
        return ">;" + data  # subset C: two digits a symbol
    return ">:" + data.translate(_CODE128_B)


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


def element_zpl(element: Element, label: Label, dpi: int) -> str:
    """The ZPL fields that draw one element."""
    x, y = dots(element.x, dpi), dots(element.y, dpi)
    match element:
        case Text():
            width_mm = element.width if element.width is not None else label.width - element.x
            text = ascii_text(element.text)[: columns_for(width_mm, element.size)]
            h = dots(element.size, dpi)
            return _text(x, y, dots(width_mm, dpi), text, h, element.bold, element.align, dpi)
        case TextBlock():
            folded = replace(element, lines=tuple(map(ascii_text, element.lines)))
            lines = wrap(folded, columns_for(element.width, element.size))
            h, pitch = dots(element.size, dpi), element.size * element.spacing
            w = dots(element.width, dpi)
            return "".join(
                _text(x, dots(element.y + i * pitch, dpi), w, line, h, element.bold,
                      element.align, dpi)
                for i, line in enumerate(lines)
            )  # fmt: skip
        case Code128():
            hri = "Y" if element.hri else "N"
            return (
                f"^FO{x},{y}^BY{max(dots(element.module, dpi), 1)}"
                f"^BCN,{dots(element.height, dpi)},{hri},N,N"
                f"^FD{_code128_data(element.data)}^FS"
            )
        case Gs1Code128():
            mode, data = _gs1_128_data(element)
            return (
                f"^FO{x},{y}^BY{max(dots(element.module, dpi), 1)}"
                f"^BCN,{dots(element.height, dpi)},N,N,N{mode}^FD{data}^FS"
            )
        case Gs1DataMatrix():
            return datamatrix_field(element, x, y, dots(element.module, dpi))
        case Box():
            t = max(dots(element.thickness, dpi), 1)
            w, h = max(dots(element.width, dpi), t), max(dots(element.height, dpi), t)
            return f"^FO{x},{y}^GB{w},{h},{t},B,0^FS"


def render_zpl(label: Label, dpi: int = 203) -> bytes:
    """The label as one ZPL format (``^XA`` ... ``^XZ``), UTF-8 (``^CI28``)."""
    check_dpi(dpi)
    lines = [
        "^XA",
        "^CI28",
        f"^PW{dots(label.width, dpi)}^LL{dots(label.height, dpi)}^LH0,0",
        *(element_zpl(e, label, dpi) for e in label.elements),
        "^XZ",
    ]
    return ("\n".join(lines) + "\n").encode()
