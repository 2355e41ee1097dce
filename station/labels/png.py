"""PNG preview: the label's real ZPL rendered offline by zplkit, not a separate drawing.

What the operator sees is what the printer is sent; tests decode the barcodes back out of
this image.
"""

from __future__ import annotations

import io
import re

import zplkit
from PIL import Image

from station.labels.errors import LabelError
from station.labels.model import Label, check_dpi, dots
from station.labels.zpl import render_zpl
from station.labels.zpl_text import text_fields

# A field in the printer's own Unicode font (zpl_text.text_fields writes them this way).
_PRINTER_FONT = re.compile(
    rb"\^FO(\d+),(\d+)\^A@N,(\d+),\d+,[^^]*\^FB(\d+),1,0,([LCR]),0\^FH_\^FD(.*?)\^FS", re.S
)
_ALIGN = {b"L": "left", b"C": "center", b"R": "right"}


def _unescape(data: bytes) -> str:
    text = re.sub(rb"_([0-9A-Fa-f]{2})", lambda m: bytes((int(m[1], 16),)), data)
    return text.replace(b"\\\\", b"\\").decode("utf-8", "replace")


def _printer_font_as_graphic(match: re.Match[bytes]) -> bytes:
    x, y, h, w = (int(match[i]) for i in range(1, 5))
    text = _unescape(match[6])
    return text_fields(x, y, w, text, h, False, _ALIGN[match[5]], "").encode()


def zpl_to_png(zpl: bytes, dpi: int, width: int, height: int) -> bytes:
    """PNG of the first label in ``zpl``, ``width`` x ``height`` dots at ``dpi``.

    Text in the printer's Unicode font (``^A@``), which no preview has, is drawn from the
    shipped fonts in its place.
    """
    zpl = _PRINTER_FONT.sub(_printer_font_as_graphic, zpl)
    try:
        document = zplkit.render(zpl, zplkit.Options(dpi=dpi, width=width, height=height))
    except ValueError as exc:  # zplkit's RenderError and ParseError
        raise LabelError(f"the ZPL does not render: {exc}") from exc
    scenes = document.labels
    if not scenes:
        raise LabelError("the ZPL holds no label")
    png: bytes = scenes[0].png()
    return png


def render_png(label: Label, dpi: int = 203) -> bytes:
    """PNG of ``label`` at ``dpi``, one pixel a printer dot, 1 bit per pixel."""
    check_dpi(dpi)
    size = dots(label.width, dpi), dots(label.height, dpi)
    return zpl_to_png(render_zpl(label, dpi), dpi, *size)


def png_image(png: bytes) -> Image.Image:
    """A loaded Pillow image of PNG bytes."""
    image = Image.open(io.BytesIO(png))
    image.load()
    return image
