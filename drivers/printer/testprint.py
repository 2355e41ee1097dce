"""Test prints for ``station devices printer test``: pure builders that return bytes.

The label exercises what pack labels need: text, a GS1-128 SSCC and a GS1 DataMatrix
(codes from docs/protocols.md, after ZPL II Programming Guide ``^BC`` / ``^BX``). The receipt
exercises text styles, a hardware Code 128 and the cutter. Neither depends on a clock, so
the same arguments give the same bytes.
"""

from __future__ import annotations

from escpos.printer import Dummy

_LABEL_SIZE = {203: (812, 1218), 300: (1218, 1827)}  # 4 x 6 in, in dots
SAMPLE_SSCC = "106141411234567897"  # (00) GS1's own example, valid check digit
SAMPLE_GS1 = "0105012345678900" + "10TEST01"  # (01) GTIN-14, valid check digit; (10) batch


def test_label(*, dpi: int = 203, title: str = "PACK STATION TEST") -> bytes:
    """A 4x6 in ZPL test label at 203 or 300 dpi."""
    if dpi not in _LABEL_SIZE:
        raise ValueError(f"dpi must be 203 or 300, not {dpi}")
    width, length = _LABEL_SIZE[dpi]
    scale = dpi / 203

    def dots(value: int) -> int:
        return round(value * scale)

    safe_title = title.replace("^", " ").replace("~", " ")  # ZPL command prefixes
    lines = [
        "^XA",
        "^CI28",  # UTF-8 field data
        f"^PW{width}^LL{length}",
        f"^FO{dots(40)},{dots(40)}^A0N,{dots(60)},{dots(60)}^FD{safe_title}^FS",
        f"^FO{dots(40)},{dots(120)}^A0N,{dots(30)},{dots(30)}^FD{dpi} dpi, 4x6 in^FS",
        f"^FO{dots(40)},{dots(170)}^GB{width - dots(80)},{dots(4)},{dots(4)}^FS",
        f"^FO{dots(60)},{dots(220)}^BY{dots(3)}^BCN,{dots(200)},N,N,N^FD>;>800{SAMPLE_SSCC}^FS",
        f"^FO{dots(60)},{dots(440)}^A0N,{dots(30)},{dots(30)}^FD(00) {SAMPLE_SSCC}^FS",
        f"^FO{dots(60)},{dots(520)}^BXN,{dots(8)},200,0,0,1,_^FD_1{SAMPLE_GS1}^FS",
        f"^FO{dots(40)},{length - dots(80)}^A0N,{dots(30)},{dots(30)}^FDEnd of test label^FS",
        "^XZ",
    ]
    return ("\n".join(lines) + "\n").encode()


test_label.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def test_receipt(*, profile: str | None = "TM-T88III", title: str = "PACK STATION") -> bytes:
    """An ESC/POS test receipt rendered through python-escpos into bytes."""
    out = Dummy(profile=profile)
    out.hw("INIT")
    out.set(align="center", bold=True, double_height=True, double_width=True)
    out.textln(title)
    out.set(align="left", bold=False, normal_textsize=True)
    out.textln("Printer test receipt")
    out.textln("0123456789" * 4 + "01")  # 42 columns: font A on 80 mm paper
    out.ln()
    # ``barcode()`` prints "Using hardware barcode renderer" to stdout, which would spoil
    # ``--json`` output; its hardware path is this method, the same bytes without the noise.
    out._hw_barcode("{BPACK-TEST-01", "CODE128", 64, 2, "BELOW", "A", True, "B", True)
    out.set(align="left")
    out.textln("End of test receipt")
    out.cut()
    data: bytes = out.output
    out.close()
    return data


test_receipt.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
