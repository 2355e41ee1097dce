"""The evidence record as a PDF, to attach to a carrier claim or a chargeback.

fpdf2 writes the PDF (pure Python, maintained, embeds TrueType fonts and JPEG/PNG photos as
they are); the text is set in the Noto fonts the labels already ship, with the other scripts
as fallbacks, so a customer's name in any script prints as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from station.hub.console.evidence import OrderEvidence
from station.labels.fonts import FONT_DIR

_MAIN = "NotoSans-Regular.ttf"
_FALLBACKS = (
    "NotoSansArabic-Regular.ttf",
    "NotoSansHebrew-Regular.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansCJKjp-Regular-subset.otf",
)
PHOTO_WIDTH_MM = 80


def _new_pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("noto", fname=str(FONT_DIR / _MAIN))
    fallbacks = []
    for i, name in enumerate(_FALLBACKS):
        path = FONT_DIR / name
        if path.exists():
            pdf.add_font(f"noto{i}", fname=str(path))
            fallbacks.append(f"noto{i}")
    pdf.set_fallback_fonts(fallbacks)
    pdf.add_page()
    return pdf


def evidence_pdf(
    record: OrderEvidence, blob_path: Callable[[str], Path | None], made_by: str, made_at: str
) -> bytes:
    """The record as PDF bytes; ``blob_path`` finds a photo's file in the blob store."""
    pdf = _new_pdf()

    def heading(text: str) -> None:
        pdf.ln(2)
        pdf.set_font("noto", size=13)
        pdf.cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("noto", size=9)

    def line(text: str) -> None:
        pdf.multi_cell(0, 5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    pdf.set_font("noto", size=16)
    pdf.cell(0, 10, f"Evidence of order {record.order}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("noto", size=9)
    line(f"Produced by the hub for {made_by} at {made_at} (UTC).")
    line(
        f"Status: {record.status}. "
        f"Packed by {record.packed_by or '-'} at {record.packed_at or '-'}."
    )
    if record.carrier or record.tracking_number:
        line(f"Carrier: {record.carrier or '-'}, tracking number {record.tracking_number or '-'}.")
    if record.customer:
        c = record.customer
        place = ", ".join(str(c.get(k)) for k in ("city", "postcode", "country") if c.get(k))
        line(f"Ship to: {c.get('customer_name', '')}, {place}")
    if record.lines:
        heading("Ordered")
        for ln in record.lines:
            line(f"line {ln.get('line_no')}: {ln.get('quantity')} x {ln.get('sku')}")
    for package in record.packages:
        heading(f"Package {package.no}")
        for s in package.scans:
            line(_scan(s))
        for w in package.weights:
            line(_weight(w))
        for label in package.labels:
            line(f"{label['at']}  label {label.get('sscc') or ''} confirmed by {label.get('user')}")
        for photo in package.photos:
            line(f"{photo['at']}  photo ({photo.get('kind')}) by {photo.get('user')}")
            path = blob_path(str(photo.get("sha256")))
            if path is not None:
                pdf.image(str(path), w=PHOTO_WIDTH_MM)
            else:
                line("(the photo is not in the hub's blob store)")
    if record.videos:
        # A video cannot sit in a PDF: its SHA-256 names the file downloaded from the console.
        heading("Pack video")
        for v in record.videos:
            line(
                f"{v.get('started_at') or v['at']}  pack video by {v.get('user') or '-'}"
                f" at {v['station']}: {v.get('duration_s')} s, {v.get('codec')},"
                f" {v.get('size_bytes')} bytes, SHA-256 {v.get('sha256')}"
            )
            if blob_path(str(v.get("sha256"))) is None:
                line("(the video is not in the hub's blob store yet)")
    if record.exceptions:
        heading("Exceptions")
        for e in record.exceptions:
            line(
                f"{e['at']}  {e.get('kind')} {e.get('quantity')} x {e.get('sku')}: "
                f"{e.get('reason')} (approved by {e.get('approved_by')})"
            )
    for rma in record.returns:
        heading(f"Return {rma.number} ({rma.status})")
        for inspection in rma.inspections:
            line(
                f"{inspection['at']}  inspected at {inspection['station']}: "
                f"{inspection.get('units')} units, grades {inspection.get('grades')}"
            )
    heading("Who")
    line(", ".join(record.people) or "-")
    return bytes(pdf.output())


def _scan(s: dict[str, Any]) -> str:
    return (
        f"{s['at']}  scan {s.get('raw')} -> {s.get('verdict')}"
        f" {s.get('sku') or ''} x{s.get('quantity') or ''} by {s.get('user')} at {s['station']}"
    )


def _weight(w: dict[str, Any]) -> str:
    return (
        f"{w['at']}  weighed {w.get('weight_g')} g, expected {w.get('expected_g')} g"
        f" ± {w.get('tolerance_g')} g -> {w.get('decision')}"
    )
