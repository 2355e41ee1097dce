"""Text in ZPL: the printer's font 0, its Unicode font (``^A@``), or a ``^GF`` graphic.

Which one draws a field:

- font 0 (``^A0``) for printable ASCII: every Zebra has it, and the preview (zplkit) draws
  it like the printer;
- the printer's own Unicode font (``^CI28`` UTF-8 with ``^A@`` and the font's name, e.g. a
  TrueType font downloaded as ``E:NOTOSANS.TTF``) when the printer profile names one;
- otherwise the text drawn from the shipped Noto fonts (``textrender``) and sent as a
  ``^GF`` graphic in ZPL's compressed ASCII hex, which every ZPL printer prints.

A backslash goes the Unicode or graphic way: inside ``^FB`` ``\\&`` is a line break and font 0
of the preview has no backslash glyph. Field data is escaped through ``^FH`` for ``^``,
``~``, ``_`` and control characters, so no byte of an address can end a field.
"""

from __future__ import annotations

import io
import re
from functools import cache, lru_cache

import zplkit
from PIL import Image, ImageOps

from station.labels.textrender import render_text, text_width

_FONT0_REF = 100  # dots: the height at which font 0's advances are measured once
_SPECIAL = frozenset("^~_")


def font0_safe(text: str) -> bool:
    """True when font 0 draws ``text``: ASCII without a backslash (controls go as ``_XX``)."""
    return all(ord(ch) < 0x80 and ch != "\\" for ch in text)


@cache
def _font0_advances() -> dict[str, float]:
    """Advance of each printable ASCII character of font 0, in heights (measured by zplkit).

    One label holds a row per character, ``H`` + the character ten times + ``H``; the ink
    width less that of ``HH``, over ten, is the character's advance.
    """
    chars = [chr(c) for c in range(0x20, 0x7F) if chr(c) not in "\\"]
    rows = ["HH", *(f"H{ch * 10}H" for ch in chars)]
    pitch, width = _FONT0_REF + 10, 14 * _FONT0_REF
    fields = "".join(
        f"^FO0,{i * pitch}^A0N,{_FONT0_REF},{_FONT0_REF}^FH_{field_data(row)}"
        for i, row in enumerate(rows)
    )
    zpl = f"^XA^CI28^PW{width}^LL{len(rows) * pitch}{fields}^XZ".encode()
    document = zplkit.render(zpl, zplkit.Options(dpi=203, width=width, height=len(rows) * pitch))
    image = ImageOps.invert(Image.open(io.BytesIO(document.labels[0].png())).convert("L"))
    spans = []
    for i in range(len(rows)):
        box = image.crop((0, i * pitch, width, i * pitch + pitch)).getbbox()
        spans.append(0 if box is None else box[2] - box[0])
    base = spans[0]
    return {ch: (span - base) / 10 / _FONT0_REF for ch, span in zip(chars, spans[1:], strict=True)}


def font0_width(text: str, height: int) -> float:
    """Width in dots of ``text`` in font 0 at ``height`` (square cells, ``^A0N,h,h``)."""
    advances = _font0_advances()
    return sum(advances.get(ch, 1.0) for ch in text) * height


def field_data(text: str) -> str:
    """``^FD`` data of ``text`` (the field's ``^FH_`` goes before it): ``^``, ``~``, ``_``
    and control characters as ``_XX`` hex, a backslash doubled for ``^FB``."""
    out = []
    for ch in text:
        if ch in _SPECIAL or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"_{ord(ch):02X}")
        elif ch == "\\":
            out.append("\\\\")  # ^FB reads \& as a line break and \\ as one backslash
        else:
            out.append(ch)
    return "^FD" + "".join(out) + "^FS"


def _run(count: int, char: str) -> str:
    """ZPL's repeat count of ``count`` copies of a hex digit: g-z for 20s, G-Y for 1-19."""
    prefix = ""
    while count >= 20:
        step = min(count // 20, 20)
        prefix += chr(ord("g") + step - 1)
        count -= 20 * step
    if count > 1:
        prefix += chr(ord("G") + count - 1)
    elif count == 1:
        prefix += "" if not prefix else "G"
    return prefix + char


_REPEATS = re.compile(r"(.)\1{2,}")


def _compress_row(row: str) -> str:
    stripped = row.rstrip("0")
    if not stripped:
        return ","
    packed = _REPEATS.sub(lambda m: _run(len(m[0]), m[1]), stripped)
    return packed + ("," if len(stripped) < len(row) else "")


def graphic_field(image: Image.Image) -> tuple[str, int]:
    """``^GFA`` of a 1-bit image (black = printed), compressed; and the width in dots it
    takes on the label: whole bytes, as ^GF sends each row (the padding prints blank)."""
    bitmap = image.convert("1")
    width, height = bitmap.size
    row_bytes = (width + 7) // 8
    inverted = ImageOps.invert(bitmap.convert("L")).convert("1")  # ZPL: 1 bits print
    raw = inverted.tobytes()
    rows = []
    previous = None
    for r in range(height):
        hexrow = raw[r * row_bytes : (r + 1) * row_bytes].hex().upper()
        rows.append(":" if hexrow == previous else _compress_row(hexrow))
        previous = hexrow
    total = row_bytes * height
    return f"^GFA,{total},{total},{row_bytes},{''.join(rows)}^FS", row_bytes * 8


@lru_cache(maxsize=1024)
def _text_graphic(text: str, h: int, bold: bool) -> tuple[str, int]:
    # The sender's name and the column heads come back on every label: drawn once.
    return graphic_field(render_text(text, h, bold))


def text_fields(
    x: int, y: int, width: int, text: str, h: int, bold: bool, align: str, unicode_font: str
) -> str:
    """The ZPL of one line of already fitted ``text`` in the box ``width`` dots from ``x``."""
    justify = {"left": "L", "center": "C", "right": "R"}[align]
    if font0_safe(text) or unicode_font:
        font = "^A0N" if font0_safe(text) else "^A@N"
        name = "" if font0_safe(text) else f",{unicode_font}"
        # Bold is the field struck again a dot to the right, in a box a dot narrower.
        box = width - 1 if bold else width
        strikes = (x, x + 1) if bold else (x,)
        data = field_data(text)
        return "".join(
            f"^FO{sx},{y}{font},{h},{h}{name}^FB{box},1,0,{justify},0^FH_{data}" for sx in strikes
        )
    if not text:
        return ""
    graphic, drawn = _text_graphic(text, h, bold)
    offset = {"left": 0, "center": (width - drawn) // 2, "right": width - drawn}[align]
    return f"^FO{x + max(offset, 0)},{y}{graphic}"


def measure(text: str, h: int, bold: bool, unicode_font: str) -> float:
    """Width in dots ``text`` takes as ``text_fields`` draws it (Noto for a Unicode font)."""
    if font0_safe(text):
        return font0_width(text, h) + (1 if bold else 0)
    # Drawn as a ^GF graphic, whose rows are whole bytes: a field fitted to the unpadded width
    # ran up to 7 dots past the label's edge (a fuzz draw found it at x = 759 of 812).
    return -(-text_width(text, h, bold) // 8) * 8
