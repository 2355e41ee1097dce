"""One entry point for every output format of a Label."""

from __future__ import annotations

from station.labels.errors import LabelError
from station.labels.escpos import DEFAULT_PROFILE, render_escpos
from station.labels.model import Label
from station.labels.pdf import render_pdf
from station.labels.png import render_png
from station.labels.zpl import render_zpl

FORMATS = ("zpl", "escpos", "png", "pdf")


def render(
    label: Label,
    fmt: str,
    *,
    dpi: int = 203,
    profile: str = DEFAULT_PROFILE,
    unicode_font: str = "",
    dots_per_line: int = 0,
) -> bytes:
    """``label`` as ``fmt`` bytes: ZPL, PNG and PDF at ``dpi``, ESC/POS for ``profile``.

    ``unicode_font``: the ZPL printer's font for any script (``^A@``); ``dots_per_line``:
    the ESC/POS paper's width when it differs from the profile's. The previews (PNG, PDF)
    draw such text from the shipped fonts, as a printer without that font would.
    """
    match fmt:
        case "zpl":
            return render_zpl(label, dpi, unicode_font=unicode_font)
        case "png":
            return render_png(label, dpi)
        case "pdf":
            return render_pdf(label, dpi)
        case "escpos":
            return render_escpos(label, profile=profile, dots_per_line=dots_per_line)
    raise LabelError(f"unknown label format {fmt!r}: use {', '.join(FORMATS)}")
