"""PDF for office printers and CUPS: the PNG preview on one page the size of the label."""

from __future__ import annotations

import io

from station.labels.model import DOTS_PER_INCH, Label
from station.labels.png import png_image, render_png


def png_to_pdf(png: bytes, dpi: int) -> bytes:
    """One PDF page holding ``png`` at ``dpi``: the page is the image's size in inches."""
    image = png_image(png)
    out = io.BytesIO()
    # The page size follows from the pixel count and this resolution; 300 dpi labels use
    # the same 1.5 x 203 dots per inch as the ZPL, so a 4x6 in label is a 4x6 in page.
    image.save(out, "PDF", resolution=DOTS_PER_INCH[dpi])
    return out.getvalue()


def render_pdf(label: Label, dpi: int = 203) -> bytes:
    """PDF of ``label``: its ZPL rendered at ``dpi`` on a page of the label's size."""
    return png_to_pdf(render_png(label, dpi), dpi)
