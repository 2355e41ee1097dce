"""PNG preview: the label's real ZPL rendered offline by zplkit, not a separate drawing.

What the operator sees is what the printer is sent; tests decode the barcodes back out of
this image.
"""

from __future__ import annotations

import io

import zplkit
from PIL import Image

from station.labels.errors import LabelError
from station.labels.model import Label, check_dpi, dots
from station.labels.zpl import render_zpl


def zpl_to_png(zpl: bytes, dpi: int, width: int, height: int) -> bytes:
    """PNG of the first label in ``zpl``, ``width`` x ``height`` dots at ``dpi``."""
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
