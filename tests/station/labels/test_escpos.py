"""ESC/POS: the packing slip's exact bytes for a fixed input, and its key commands."""

from __future__ import annotations

import pytest

from station.labels.errors import LabelError
from station.labels.escpos import code128_data, gs1_128_data, render_escpos
from station.labels.model import Code128, Gs1DataMatrix, Label, Text
from station.labels.templates import load_template

CONTEXT = {
    "order": {"number": "SO-1", "date": "2026-03-14", "currency": "EUR"},
    "ship_to": {
        "name": "Ann Lee",
        "street1": "Kerkstraat 1",
        "street2": None,
        "city_line": "1017 GA Amsterdam",
        "country": "NL",
    },
    "lines": [
        {"sku": "MUG-1", "name": "Ceramic Mug 350 ml", "qty": 2, "price": "9.99",
         "total": "19.98"},
        {"sku": "TEE-M", "name": "T-Shirt Navy M", "qty": 12, "price": "19.50",
         "total": "234.00"},
    ],
    "units": 14,
    "total": "253.98",
    "show_prices": True,
}  # fmt: skip

INIT = b"\x1b@"
NORMAL = b"\x1b!\x00\x1b!\x00\x1b!\x00"  # python-escpos: normal size, then size "normal"
BIG = b"\x1b!\x00\x1b!\x00\x1b!0"  # double width and height
BOLD, PLAIN = b"\x1bE\x01", b"\x1bE\x00"
# GS k Code 128 (function B, m=73) of "SO-1" in code set B, centred, no HRI text:
# GS h height 46 dots (6.5 mm at 180 dpi), GS w module 2, GS f font A, GS H 0.
BARCODE = b"\x1ba\x01\x1dh.\x1dw\x02\x1df\x00\x1dH\x00\x1dkI\x06{BSO-1\x1ba\x00"
RULE = b"-" * 42 + b"\n"
EXPECTED = b"".join(
    [
        INIT,
        BIG + BOLD + b"\x1bt\x00" + b"PACKING SLIP\n",  # ESC t 0: code page PC437
        BARCODE,
        NORMAL + PLAIN + b"Order SO-1                      2026-03-14\n",
        b"Ann Lee\nKerkstraat 1\n1017 GA Amsterdam\nNL\n",
        RULE,
        NORMAL + BOLD + b"SKU      ITEM             QTY PRICE  TOTAL\n",
        NORMAL + PLAIN + RULE,
        b"MUG-1    Ceramic Mug 350    2  9.99  19.98\n",
        b"         ml\n",  # the name wraps within its column, never cut
        b"TEE-M    T-Shirt Navy M    12 19.50 234.00\n",
        RULE,
        NORMAL + BOLD + b"Units: 14                 Total 253.98 EUR\n",
        NORMAL + PLAIN + b"         Thank you for your order\n",
        b"\x1bd\x06\x1dV\x00",  # feed 6 lines, full cut
    ]
)


def test_packing_slip_bytes_for_a_fixed_input() -> None:
    label = load_template("packing-slip").fill(CONTEXT)
    assert render_escpos(label, profile="TM-T88III") == EXPECTED


def test_gift_packing_slip_has_no_prices() -> None:
    label = load_template("packing-slip").fill({**CONTEXT, "show_prices": False})
    data = render_escpos(label)
    assert b"PRICE" not in data and b"9.99" not in data and b"EUR" not in data
    assert b"Ceramic Mug 350 ml" in data and b"QTY\n" in data


def test_key_commands() -> None:
    data = render_escpos(load_template("packing-slip").fill(CONTEXT))
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    assert b"\x1dkI\x06{BSO-1" in data  # GS k Code 128, 6 bytes, code set B
    assert data.endswith(b"\x1dV\x00")  # GS V full cut
    assert b"\x1bE\x01" in data and b"\x1bE\x00" in data  # bold on and off


def test_barcode_data_code_sets() -> None:
    assert code128_data("12345678") == "{C" + "".join(map(chr, (12, 34, 56, 78)))
    assert code128_data("A{B") == "{BA{{B"
    sscc = "106141411234567897"
    assert gs1_128_data((("00", sscc),)) == "{C{1" + "".join(
        chr(int(("00" + sscc)[i : i + 2])) for i in range(0, 20, 2)
    )
    assert gs1_128_data((("400", "SO-1"), ("00", sscc))) == "{B{1400SO-1{100" + sscc


def test_datamatrix_is_printed_as_a_raster_image() -> None:
    label = Label("m", 101.6, 50, (Gs1DataMatrix(40, 5, (("00", "106141411234567897"),)),))
    data = render_escpos(label)
    assert b"\x1dv0\x00" in data  # GS v 0: raster bit image
    assert b"\x1ba\x00" in data  # left alignment restored after it


def test_texts_on_one_line_never_overprint() -> None:
    label = Label("t", 100, 20, (Text(0, 0, "A" * 30, width=50), Text(40, 0, "right", width=10,
                                                                      align="right")))  # fmt: skip
    data = render_escpos(label)
    lines = data.split(b"\x1bt\x00", 1)[1].split(b"\n")[:2]
    # The left field stops a space short of the next; each wraps within its own columns.
    assert lines == [b"A" * 16 + b" righ", b"A" * 14 + b"      t"]


def test_code_page_per_text_run_and_raster_where_none_covers() -> None:
    from tests.station.labels.readback import parse_escpos

    label = Label("t", 80, 30, (Text(0, 0, "Łukasz Żółć"), Text(0, 5, "Γιώργος"),
                                Text(0, 10, "Иван"), Text(0, 15, "山田 Müller")))  # fmt: skip
    job = parse_escpos(render_escpos(label, profile="TM-T88V"), "TM-T88V")
    assert job.lines == ["Łukasz Żółć", "Γιώργος", "Иван"]
    assert {18, 0, 14, 17} <= job.pages  # CP852, CP437 (Γ), CP737, CP866
    # The line with CJK is one raster image: its Latin letters are drawn, not mis-encoded.
    assert len(job.images) == 1
    old = parse_escpos(render_escpos(label, profile="TM-T88III"), "TM-T88III")
    assert "Łukasz Żółć" not in old.lines and len(old.images) >= 2  # no CP852: raster


def test_barcode_narrowed_to_the_paper_or_refused() -> None:
    from tests.station.labels.readback import parse_escpos

    wide = Label("t", 101.6, 40, (Code128(8, 0, "1Z999AA10123456784", module=0.375),))
    job = parse_escpos(render_escpos(wide, profile="TM-T88III"), "TM-T88III")
    ((data, module, _),) = job.barcodes
    # 189 modules + 20 of quiet zone at 3 dots would be 627 > 512: 2 dots, 418.
    assert data == "1Z999AA10123456784" and module == 2
    long = Label("t", 101.6, 40, (Code128(8, 0, "X" * 30),))
    with pytest.raises(LabelError, match=r"needs 770 dots with its quiet zones, the printer "
                       r"TM-T88III has 512"):  # fmt: skip
        render_escpos(long, profile="TM-T88III")
