"""One entry point for every output format of a Label."""

from __future__ import annotations

from station.labels.errors import LabelError
from station.labels.escpos import DEFAULT_PROFILE, render_escpos
from station.labels.model import Label
from station.labels.pdf import render_pdf
from station.labels.png import render_png
from station.labels.zpl import render_zpl

FORMATS = ("zpl", "escpos", "png", "pdf")


def render(label: Label, fmt: str, *, dpi: int = 203, profile: str = DEFAULT_PROFILE) -> bytes:
    """``label`` as ``fmt`` bytes: ZPL, PNG and PDF at ``dpi``, ESC/POS for ``profile``."""
    match fmt:
        case "zpl":
            return render_zpl(label, dpi)
        case "png":
            return render_png(label, dpi)
        case "pdf":
            return render_pdf(label, dpi)
        case "escpos":
            return render_escpos(label, profile=profile)
    raise LabelError(f"unknown label format {fmt!r}: use {', '.join(FORMATS)}")
