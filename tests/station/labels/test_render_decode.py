"""Every template to ZPL (203 and 300 dpi), PNG and PDF; barcodes decoded back and parsed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from station.config import Settings
from station.db import Database
from station.db.models import Package
from station.gtin import check_digit
from station.labels.png import png_image
from station.labels.service import render_order_label
from tests.station.labels.conftest import TRACKING, decode, parse

RETURN_FIELDS = {"tag_id": "RT-000042", "disposition": "RESTOCK", "grade": "B", "sku": "MUG-1"}
# (template, order, barcodes expected) for one label of each template.
CASES = [
    ("shipping", "SO-NL1", 3),
    ("packing-slip", "SO-NL1", 1),
    ("gift-note", "SO-GIFT", 0),
    ("customs", "SO-US1", 1),
    ("return-tag", "SO-NL1", 1),
]
SIZES = {203: (812, 1218), 300: (1218, 1827)}


def _render(db: Database, settings: Settings, template: str, order: str, fmt: str, dpi: int,
            package: int | None = None) -> bytes:  # fmt: skip
    fields = RETURN_FIELDS if template == "return-tag" else None
    return render_order_label(
        db, settings, order, template, fmt, dpi=None if fmt == "escpos" else dpi,
        package_no=package, fields=fields,
    )  # fmt: skip


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize(("template", "order", "count"), CASES)
def test_every_template_renders_and_its_barcodes_read_back(
    label_db: Database, settings: Settings, template: str, order: str, count: int, dpi: int
) -> None:
    zpl = _render(label_db, settings, template, order, "zpl", dpi)
    assert zpl.startswith(b"^XA\n^CI28\n") and zpl.rstrip().endswith(b"^XZ")
    if template != "return-tag":  # 4 x 3 in
        width, length = SIZES[dpi]
        assert f"^PW{width}^LL{length}".encode() in zpl
    png = _render(label_db, settings, template, order, "png", dpi)
    image = png_image(png)
    assert image.size == (
        int(re.search(rb"\^PW(\d+)", zpl)[1]),  # type: ignore[index]
        int(re.search(rb"\^LL(\d+)", zpl)[1]),  # type: ignore[index]
    )
    codes = decode(png)
    assert len(codes) == count
    escpos = _render(label_db, settings, template, order, "escpos", dpi)
    assert escpos.startswith(b"\x1b@") and escpos.endswith(b"\x1dV\x00")  # init ... cut
    texts = {c.text for c in codes}
    if template in ("packing-slip", "customs"):
        assert texts == {order}
    if template == "return-tag":
        assert texts == {"RT-000042"}


@pytest.mark.parametrize("dpi", [203, 300])
def test_shipping_label_sscc_order_number_and_datamatrix(
    label_db: Database, settings: Settings, dpi: int
) -> None:
    png = _render(label_db, settings, "shipping", "SO-NL1", "png", dpi, package=2)
    with label_db.session() as s:
        package = s.scalars(select(Package).where(Package.seq_no == 2)).first()
        assert package is not None and package.sscc is not None
        stored = package.sscc
    codes = decode(png)
    gs1_128 = [c for c in codes if c.symbology_identifier == "]C1"]
    plain = [c for c in codes if c.symbology_identifier == "]C0"]
    matrix = [c for c in codes if c.symbology_identifier == "]d2"]
    assert len(gs1_128) == len(plain) == len(matrix) == 1
    # GS1-128: one element string, (00) the stored SSCC with a valid check digit.
    sscc = parse(gs1_128[0]).sscc
    assert sscc is not None and sscc.value == stored
    assert sscc.check_digit == check_digit(stored[:-1])
    assert stored.startswith("0" + "0614141")  # extension 0, the default company prefix
    # No tracking number: the Code 128 holds the order number.
    assert plain[0].text == "SO-NL1"
    # GS1 DataMatrix: SSCC, gross weight 800 g as (3303) kg with 3 decimals, order number.
    message = parse(matrix[0]).gs1_message
    assert message is not None
    values = {e.ai.ai: e.value for e in message.element_strings}
    # No (400): that is the customer's purchase order, which this order does not have.
    assert values == {"00": stored, "3303": "000800"}
    weight = next(e for e in message.element_strings if e.ai.ai == "3303")
    assert weight.decimal == Decimal("0.800")


def test_shipping_label_carries_the_tracking_number_when_the_order_has_one(
    label_db: Database, settings: Settings
) -> None:
    png = _render(label_db, settings, "shipping", "SO-GIFT", "png", 203)
    plain = [c.text for c in decode(png) if c.symbology_identifier == "]C0"]
    assert plain == [TRACKING]


def test_each_package_has_its_own_sscc_kept_across_renders(
    label_db: Database, settings: Settings
) -> None:
    first = [_render(label_db, settings, "shipping", "SO-NL1", "zpl", 203, package=n)
             for n in (1, 2)]  # fmt: skip
    again = _render(label_db, settings, "shipping", "SO-NL1", "zpl", 203, package=1)
    sscc = [re.search(rb">;>800(\d{18})", z)[1] for z in first]  # type: ignore[index]
    assert sscc[0] != sscc[1]
    assert again == first[0]
    assert b"PACKAGE 1 OF 2" in first[0] and b"PACKAGE 2 OF 2" in first[1]


@pytest.mark.parametrize(("dpi", "template", "points"), [
    (203, "shipping", (288.0, 432.0)),
    (300, "shipping", (288.0, 432.0)),
    (203, "return-tag", (288.0, 216.0)),
])  # fmt: skip
def test_pdf_is_one_page_of_the_label_size(
    label_db: Database, settings: Settings, dpi: int, template: str, points: tuple[float, float]
) -> None:
    pdf = _render(label_db, settings, template, "SO-NL1", "pdf", dpi)
    assert pdf.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox \[ ([\d. ]+) \]", pdf)
    assert len(boxes) == 1
    width, height = (float(v) for v in boxes[0].split()[2:])
    assert (width, height) == pytest.approx(points, abs=0.5)


def test_gift_order_packing_slip_shows_no_prices(label_db: Database, settings: Settings) -> None:
    gift = _render(label_db, settings, "packing-slip", "SO-GIFT", "zpl", 203)
    plain = _render(label_db, settings, "packing-slip", "SO-NL1", "zpl", 203)
    assert b"PRICE" in plain and b"19.50" in plain and b"Total 39.48 EUR" in plain
    assert b"PRICE" not in gift and b"19.50" not in gift and b"EUR" not in gift
    assert b"T-Shirt Navy M" in gift


def test_gift_note_text_keeps_its_line_breaks(label_db: Database, settings: Settings) -> None:
    zpl = _render(label_db, settings, "gift-note", "SO-GIFT", "zpl", 203)
    assert b"^FDHappy birthday!^FS" in zpl and b"^FDLove, Mum^FS" in zpl
