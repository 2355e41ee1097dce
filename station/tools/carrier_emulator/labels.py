"""Label bytes the emulated carriers hand out: ZPL at a dpi, a one-page PDF, a GIF image."""

from __future__ import annotations

import base64

# A 1x1 white GIF: UPS answers a PDF request with a GIF image that karrio turns into a PDF.
GIF = base64.b64decode("R0lGODlhAQABAIAAAP///wAAACwAAAAAAQABAAACAkQBADs=")


def zpl(carrier: str, number: str, dpi: int = 203) -> bytes:
    """A ZPL label naming the carrier and the tracking number, with its barcode."""
    return (
        f"^XA^FX emulated {carrier} label {dpi} dpi^FS^CI28"
        f"^FO40,40^A0N,40,40^FD{carrier} TRACKING # {number}^FS"
        f"^FO40,120^BCN,120,Y,N,N^FD{number}^FS^XZ"
    ).encode("ascii")


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (latin-1)."""
    stream = f"BT /F1 18 Tf 36 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def b64(data: bytes) -> str:
    """Base64 text of ``data``."""
    return base64.b64encode(data).decode("ascii")
