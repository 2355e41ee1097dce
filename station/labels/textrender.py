"""Text drawn as a bitmap from the shipped Noto fonts: for printers that cannot draw it.

Used for ZPL ``^GF`` graphics (no Unicode font on the printer), ESC/POS raster lines (no code
page covers the text) and so for the PNG and PDF previews. Pillow's raqm layout shapes each
run (Arabic joining, Thai marks) and orders it right to left where its script runs so; runs
of a line whose first strong character is right-to-left are placed right to left.

A line of ``height`` dots is a box of the font's ascent plus descent, like a ZPL font's cell:
glyphs are drawn one bit per dot, no anti-aliasing, as a thermal head prints them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from station.labels.fonts import is_rtl, runs

# Noto Sans ascent and descent as shares of the em (1069 + 293 of 1000 units).
ASCENT, DESCENT = 1.069, 0.293
ELLIPSIS = "\u2026"


def em_size(height: int) -> int:
    """The font size (pixels per em) whose ascent and descent fill ``height`` dots."""
    return max(round(height / (ASCENT + DESCENT)), 1)


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _visual_runs(text: str, size: int) -> tuple[str, list[tuple[ImageFont.FreeTypeFont, str]]]:
    """The paragraph direction and the runs in visual order (left to right)."""
    parts = [(_font(r.font, size), r.text) for r in runs(text)]
    if is_rtl(text):
        return "rtl", parts[::-1]
    return "ltr", parts


def text_width(text: str, height: int, bold: bool = False) -> int:
    """Width in dots of ``text`` drawn ``height`` dots high (bold: one dot more)."""
    size = em_size(height)
    direction, parts = _visual_runs(text, size)
    width = sum(font.getlength(part, direction=direction) for font, part in parts)
    return round(width) + (1 if bold and text else 0)


def render_text(text: str, height: int, bold: bool = False) -> Image.Image:
    """``text`` as a 1-bit image ``height`` dots high, black (0) on white (255).

    Bold is the line struck again one dot to the right, as the ZPL font fields do.
    """
    size = em_size(height)
    width = max(text_width(text, height, bold), 1)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"  # no grey: a thermal dot is on or off
    baseline = round(size * ASCENT)
    direction, parts = _visual_runs(text, size)
    for dx in (0, 1) if bold else (0,):
        x = float(dx)
        for font, part in parts:
            draw.text((x, baseline), part, font=font, fill=0, anchor="ls", direction=direction)
            x += font.getlength(part, direction=direction)
    return image.point(lambda v: 255 if v >= 128 else 0).convert("1")
