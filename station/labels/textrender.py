"""Text drawn as a bitmap from the shipped Noto fonts: for printers that cannot draw it.

Used for ZPL ``^GF`` graphics (no Unicode font on the printer), ESC/POS raster lines (no code
page covers the text) and so for the PNG and PDF previews. Pillow's raqm layout shapes each
run (Arabic joining, Thai marks) and orders it right to left where its script runs so; runs
of a line whose first strong character is right-to-left are placed right to left.

A line of ``height`` dots (a ZPL font's cell height) draws Noto at 0.85 of it a em, so its
capitals stand about as tall as font 0's; the bitmap is ``line_box(height)`` high, one em of
ascent and 0.3 em of descent. Glyphs are drawn one bit per dot, no anti-aliasing, as a
thermal head prints them.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from station.labels.fonts import is_rtl, runs

# Above the baseline one em holds every accent and mark of the shipped scripts; below it
# Noto Sans's descent (293 of 1000 units).
ASCENT, DESCENT = 1.0, 0.3
EM_PER_HEIGHT = 0.85
ELLIPSIS = "\u2026"


def em_size(height: int) -> int:
    """The font size (pixels per em) of text in a ``height``-dot line."""
    return max(round(height * EM_PER_HEIGHT), 1)


def line_box(height: int) -> int:
    """Dots from the top of a ``height``-dot line's bitmap to its bottom."""
    return max(round(em_size(height) * (ASCENT + DESCENT)), height)


@cache
def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def _visual_runs(text: str, size: int) -> tuple[str, list[tuple[ImageFont.FreeTypeFont, str]]]:
    """The paragraph direction and the runs in visual order (left to right)."""
    parts = [(_font(r.font, size), r.text) for r in runs(text)]
    if is_rtl(text):
        return "rtl", parts[::-1]
    return "ltr", parts


@lru_cache(maxsize=4096)
def text_width(text: str, height: int, bold: bool = False) -> int:
    """Width in dots of ``text`` drawn ``height`` dots high (bold: one dot more)."""
    size = em_size(height)
    direction, parts = _visual_runs(text, size)
    width = sum(font.getlength(part, direction=direction) for font, part in parts)
    return round(width) + (1 if bold and text else 0)


def render_text(text: str, height: int, bold: bool = False) -> Image.Image:
    """``text`` as a 1-bit image ``line_box(height)`` dots high, black (0) on white (255).

    Bold is the line struck again one dot to the right, as the ZPL font fields do.
    """
    size = em_size(height)
    width = max(text_width(text, height, bold), 1)
    image = Image.new("L", (width, line_box(height)), 255)
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
