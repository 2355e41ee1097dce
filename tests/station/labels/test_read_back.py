"""Every label read back by value: a cross-border order to Japan (CJK name, Polish sender) in
every document and format, and every script in every template, in ZPL at 203 and 300 dpi,
ESC/POS, PNG and PDF.

Barcodes are decoded with zxing-cpp and parsed with biip; text is found in the ZPL or
ESC/POS bytes where it is text, and where it is a graphic its bitmap is compared with the
same string drawn straight from the same font file (``readback.reference_text``); every
field lies inside the label; PDF pages are exactly 4 x 6 in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import biip
import pytest
from PIL import Image, ImageChops
from sqlalchemy.orm import Session

from station.config import LabelSettings, Settings
from station.db import Database
from station.labels.context import order_context
from station.labels.model import dots
from station.labels.render import render
from station.labels.service import render_order_label
from station.labels.templates import load_template
from station.labels.textrender import line_box
from tests.station.labels.conftest import JP_NAME, JP_STREET, POSTED, build_label_db, decode
from tests.station.labels.readback import (
    ZplField,
    parse_escpos,
    reference_text,
    same_bitmap,
    zpl_fields,
)

SCRIPTS = {
    "latin": "Zoë Ångström-Müller",
    "polish": "Łukasz Żółć",
    "greek": "Γιώργος Παπαδόπουλος",
    "cyrillic": "Иван Петров",
    "arabic": "محمد الأحمد",
    "hebrew": "דוד כהן",
    "chinese": "王小明",
    "japanese": JP_NAME,
    "korean": "김민준",
    "thai": "สมชาย ใจดี",
}
# Scripts an 8-bit code page carries as text on the TM-T20II; the others go as raster.
CODE_PAGE_SCRIPTS = {"latin", "polish", "greek", "cyrillic"}
TEMPLATES = ["shipping", "packing-slip", "customs-cn22", "customs-cn23", "commercial-invoice",
             "gift-note", "return-tag"]  # fmt: skip
NAME_ON_ITS_OWN_LINE = TEMPLATES[:5]
DOCUMENTS = ["shipping", "customs", "commercial-invoice", "packing-slip"]
SENDER = "Łukasz Żółć Sklep"
SIZE = {203: (812, 1218), 300: (1218, 1827)}


def polish_labels(labels: LabelSettings) -> LabelSettings:
    return replace(labels, sender_name=SENDER, sender_street="ul. Długa 5/7",
                   sender_city="Gdańsk", sender_postcode="80-831", sender_country="PL",
                   sender_phone="+48 58 000 00 00", sender_customs_reference="PL5840000000",
                   office_of_posting="Gdańsk 1")  # fmt: skip


@pytest.fixture(scope="module")
def jp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings]]:
    path: Path = tmp_path_factory.mktemp("jp") / "labels.sqlite"
    db = build_label_db(path)
    settings = Settings(db_path=path)
    yield db, replace(settings, labels=polish_labels(settings.labels))
    db.close()


@pytest.fixture(scope="module")
def jp_context(jp: tuple[Database, Settings]) -> dict[str, object]:
    db, settings = jp
    with Session(db.engine) as session:
        return order_context(session, settings.labels, "SO-JP1", 1, with_sscc=True,
                             posting_date=POSTED)  # fmt: skip


def graphics_of(zpl: bytes) -> list[ZplField]:
    return [f for f in zpl_fields(zpl) if f.graphic is not None]


def found_as_graphic(fields: list[ZplField], text: str, bold: bool | None = None) -> ZplField:
    """The ^GF field whose bitmap is ``text`` drawn from its font, at the field's height."""
    for f in fields:
        assert f.graphic is not None
        heights = [h for h in range(6, 120) if line_box(h) == f.graphic.height]
        for h in heights:
            for b in (False, True) if bold is None else (bold,):
                if same_bitmap(f.graphic, reference_text_bold(text, h, b)):
                    return f
    raise AssertionError(f"{text!r} is not drawn in any ^GF field")


def reference_text_bold(text: str, h: int, bold: bool) -> Image.Image:
    image = reference_text(text, h)
    if not bold:
        return image
    out = Image.new("1", (image.width + 1, image.height), 1)
    out.paste(image, (0, 0))
    struck = Image.new("1", out.size, 1)
    struck.paste(image, (1, 0))
    return ImageChops.logical_and(out, struck)  # white where both are: either strike prints


def in_raster(images: list[Image.Image], text: str) -> bool:
    """True when a raster line is ``text`` as font A's 24 dots (or 48, double size) draw it."""
    inked = [i for i in images if Image.eval(i.convert("L"), lambda v: 255 - v).getbbox()]
    return any(same_bitmap(i, reference_text_bold(text, h, bold)) for i in inked
               for h in (24, 48) for bold in (False, True))  # fmt: skip


def assert_inside(zpl: bytes, dpi: int) -> None:
    """Every field starts inside the label and its box ends inside it."""
    width, height = (int(v) for v in re.search(rb"\^PW(\d+)\^LL(\d+)", zpl).groups())  # type: ignore[union-attr]
    for f in zpl_fields(zpl):
        assert 0 <= f.x < width and 0 <= f.y < height, f
        block = re.search(r"\^FB(\d+),", f.commands)
        if block:
            assert f.x + int(block[1]) <= width, f
        if f.graphic is not None:
            assert f.x + f.graphic.width <= width and f.y + f.graphic.height <= height, f
        box = re.search(r"\^GB(\d+),(\d+),", f.commands)
        if box:
            assert f.x + int(box[1]) <= width and f.y + int(box[2]) <= height, f


def expected_codes(document: str) -> dict[str, str]:
    return {
        "shipping": {"]C0": "RR123456785PL", "]C1": "SSCC", "]d2": "SSCC"},
        "customs": {"]C0": "RR123456785PL"},
        "packing-slip": {"]C0": "SO-JP1"},
        "commercial-invoice": {},
    }[document]


@pytest.mark.parametrize("document", DOCUMENTS)
def test_japan_order_every_document_in_every_format(
    jp: tuple[Database, Settings], document: str
) -> None:
    db, settings = jp

    def out(fmt: str, dpi: int | None = None, profile: str | None = None) -> bytes:
        return render_order_label(db, settings, "SO-JP1", document, fmt, dpi=dpi,
                                  profile=profile, posting_date=POSTED)  # fmt: skip

    for dpi in (203, 300):
        zpl = out("zpl", dpi)
        assert f"^PW{SIZE[dpi][0]}^LL{SIZE[dpi][1]}".encode() in zpl
        assert_inside(zpl, dpi)
        fields = graphics_of(zpl)
        name = found_as_graphic(fields, JP_NAME)
        if document != "packing-slip":  # the slip goes to the buyer: no sender block
            found_as_graphic(fields, SENDER)
        found_as_graphic(fields, JP_STREET)
        assert "SO-JP1" in " ".join(f.text or "" for f in zpl_fields(zpl))
        # The preview is the ZPL drawn: the name's bitmap is where the ^GF put it.
        png = out("png", dpi)
        image = Image.open(io.BytesIO(png))
        assert image.size == SIZE[dpi]
        assert name.graphic is not None
        crop = image.crop((name.x, name.y, name.x + name.graphic.width,
                           name.y + name.graphic.height))  # fmt: skip
        assert same_bitmap(crop, name.graphic)
        codes = {c.symbology_identifier: c for c in decode(png)}
        want = expected_codes(document)
        assert set(codes) == set(want)
        for symbology, value in want.items():
            parsed = biip.parse(symbology + codes[symbology].bytes.decode("ascii"))
            if value == "SSCC":
                assert parsed.sscc is not None and parsed.sscc.check_digit is not None
                # The human-readable line under the symbol is its data.
                assert f"(00) {parsed.sscc.value}" in [f.text for f in zpl_fields(zpl)]
            else:
                assert codes[symbology].text == value
        if "]d2" in codes:  # (3303) 2.100 kg; no (400): the order has no customer PO
            message = biip.parse("]d2" + codes["]d2"].bytes.decode("ascii")).gs1_message
            assert message is not None
            assert {e.ai.ai: e.value for e in message.element_strings}.keys() == {"00", "3303"}
        pdf = out("pdf", dpi)
        (box,) = re.findall(rb"/MediaBox \[ ([\d. ]+) \]", pdf)
        assert [float(v) for v in box.split()] == [0.0, 0.0, 288.0, 432.0]  # 4 x 6 in
    for profile in ("TM-T88V", "TM-T88III"):
        job = parse_escpos(out("escpos", profile=profile), profile)
        assert job.cut
        if document == "customs":  # nothing dropped on a narrow roll: fields wrap
            text = " ".join(line.strip() for line in job.lines)
            for kept in ("Total gross weight", "2.10 kg", "LT", "Postal", "6.95",
                         "stoneware, 350 ml", "regulations."):  # fmt: skip
                assert kept in text, kept
        if document != "packing-slip":
            # TM-T88V has CP852 for Polish; TM-T88III has none, so the sender is raster.
            as_text = SENDER in (line.strip() for line in job.lines)
            assert as_text == (profile == "TM-T88V")
        assert in_raster(job.images, JP_NAME)
        for data, module, _height in job.barcodes:
            if data.startswith("00"):
                assert biip.parse("]C1" + data).sscc is not None
            else:
                assert data in ("RR123456785PL", "SO-JP1")
            assert module >= 2


def _fill(context: dict[str, object], template: str, sample: str) -> object:
    ship_to = {**context["ship_to"], "name": sample}  # type: ignore[dict-item]
    order = {**context["order"], "gift_note": sample}  # type: ignore[dict-item]
    filled = {**context, "ship_to": ship_to, "order": order, "gift": True,
              "fields": {"tag_id": "RT-1", "disposition": "RESTOCK", "grade": "A", "sku": "X",
                         "destination": "", "rma": "SO-JP1"}}  # fmt: skip
    return load_template(template).fill(filled)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_script_in_every_template(jp_context: dict[str, object], script: str) -> None:
    sample = SCRIPTS[script]
    for template in TEMPLATES:
        label = _fill(jp_context, template, sample)
        for dpi in (203, 300):
            zpl = render(label, "zpl", dpi=dpi)  # type: ignore[arg-type]
            assert_inside(zpl, dpi)
            if template in NAME_ON_ITS_OWN_LINE:
                found_as_graphic(graphics_of(zpl), sample)
        # A printer with a Unicode font gets the name itself, UTF-8 under ^CI28, in ^A@.
        own_font = render(label, "zpl", dpi=203, unicode_font="E:NOTOSANS.TTF")  # type: ignore[arg-type]
        assert_inside(own_font, 203)
        if template in NAME_ON_ITS_OWN_LINE:
            (named,) = {f.commands for f in zpl_fields(own_font) if f.text == sample}
            assert "^A@N," in named and ",E:NOTOSANS.TTF^FB" in named
        job = parse_escpos(render(label, "escpos", profile="TM-T20II"), "TM-T20II")  # type: ignore[arg-type]
        assert job.cut
        if template in NAME_ON_ITS_OWN_LINE:
            as_text = any(sample in line for line in job.lines)
            assert as_text == (script in CODE_PAGE_SCRIPTS), (template, job.lines)
            if not as_text:
                assert in_raster(job.images, sample)
        for image in job.images:
            assert image.width <= 576  # the TM-T20II's dots


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_in_the_preview_is_where_the_zpl_draws_it(
    jp_context: dict[str, object], script: str
) -> None:
    label = _fill(jp_context, "shipping", SCRIPTS[script])
    zpl = render(label, "zpl", dpi=203)  # type: ignore[arg-type]
    field = found_as_graphic(graphics_of(zpl), SCRIPTS[script])
    assert field.graphic is not None
    image = Image.open(io.BytesIO(render(label, "png", dpi=203)))  # type: ignore[arg-type]
    crop = image.crop((field.x, field.y, field.x + field.graphic.width,
                       field.y + field.graphic.height))  # fmt: skip
    assert same_bitmap(crop, field.graphic)


@pytest.mark.parametrize("dpi", [203, 300])
def test_sscc_symbol_meets_the_gs1_logistic_label_guideline(
    jp: tuple[Database, Settings], dpi: int
) -> None:
    """X-dimension 0.495-0.5+ mm, bar height 32 mm, quiet zones of 10X, measured in the PNG."""
    db, settings = jp
    png = render_order_label(db, settings, "SO-JP1", "shipping", "png", dpi=dpi)
    (code,) = [c for c in decode(png) if c.symbology_identifier == "]C1"]
    image = Image.open(io.BytesIO(png)).convert("L")
    pixels, stride = image.tobytes(), image.width

    def dark(x: int, y: int) -> bool:
        return pixels[y * stride + x] < 128

    top, bottom = code.position.top_left.y, code.position.bottom_left.y
    row_y = (top + bottom) // 2
    left, right = code.position.top_left.x, code.position.top_right.x
    row = [dark(x, row_y) for x in range(image.width)]
    first = row.index(True, left - 2)  # zxing's corners are on or next to the outer bars
    last = right + 2 - row[right + 2 :: -1].index(True)
    runs, current, length = [], row[first], 0
    for black in row[first : last + 1]:
        if black == current:
            length += 1
        else:
            runs.append(length)
            current, length = black, 1
    runs.append(length)
    per_mm = dots(100, dpi) / 100
    x_dim = min(runs)
    assert 0.495 <= x_dim / per_mm <= 0.51
    assert sum(runs) == 156 * x_dim  # (00) + 18 digits in subset C: 156 modules
    # Quiet zones: no ink for 10X on either side, along the whole bar height.
    column = [dark(first + x_dim // 2, y) for y in range(image.height)]
    bar_top = row_y - column[row_y::-1].index(False) + 1  # the first bar, up and down
    bar_height = column[bar_top:].index(False)
    assert bar_height == dots(32, dpi)
    for x in (*range(first - 10 * x_dim, first), *range(last + 1, last + 1 + 10 * x_dim)):
        assert not any(dark(x, y) for y in range(bar_top, bar_top + bar_height))
