"""ZPL by value: sizes, escapes, the GS1 fields as docs/protocols.md writes them."""

from __future__ import annotations

import pytest

from station.labels.errors import LabelError
from station.labels.model import Box, Code128, Gs1Code128, Gs1DataMatrix, Label, Text, TextBlock
from station.labels.png import png_image, render_png, zpl_to_png
from station.labels.zpl import render_zpl
from tests.station.labels.conftest import decode, parse

SSCC = "106141411234567897"  # GS1's example, valid check digit


def _label(*elements: object) -> Label:
    return Label("t", 101.6, 152.4, tuple(elements))  # type: ignore[arg-type]


def test_four_by_six_inches_at_both_resolutions() -> None:
    assert b"^PW812^LL1218" in render_zpl(_label(), 203)
    assert b"^PW1218^LL1827" in render_zpl(_label(), 300)
    assert render_zpl(_label(), 203) == b"^XA\n^CI28\n^PW812^LL1218^LH0,0\n^XZ\n"


def test_text_fields_escape_command_prefixes_with_fh() -> None:
    zpl = render_zpl(_label(Text(5, 5, "a^b~c_d\x07", size=5)), 203)
    assert b"^FO40,40^A0N,40,40^FB772,1,0,L,0^FH_^FDa_5Eb_7Ec_5Fd_07^FS" in zpl
    plain = render_zpl(_label(Text(5, 5, "a_b", align="right", width=50)), 203)
    assert b"^FB400,1,0,R,0^FH_^FDa_5Fb^FS" in plain
    bold = render_zpl(_label(Text(5, 5, "B", bold=True)), 203)
    assert bold.count(b"^FDB^FS") == 2  # struck twice, a dot apart, in a box a dot narrower
    assert b"^FO40,40^A0N,24,24^FB771" in bold and b"^FO41,40^A0N,24,24^FB771" in bold


def test_text_font_0_has_not_is_a_graphic_or_the_printers_unicode_font() -> None:
    # A backslash in ^FB is a line break command (\&): never sent to font 0.
    for text in ("Jörg Müller", "山田 太郎", "Hof 3\\&4"):
        zpl = render_zpl(_label(Text(5, 5, text, size=5)), 203)
        assert b"^GFA," in zpl and b"^A0" not in zpl
    unicode = render_zpl(_label(Text(5, 5, "Hof 3\\&4 山田", size=5)), 203,
                         unicode_font="E:NOTOSANS.TTF")  # fmt: skip
    assert "^A@N,40,40,E:NOTOSANS.TTF^FB772,1,0,L,0^FH_^FDHof 3\\\\&4 山田^FS".encode() in unicode


def test_text_that_does_not_fit_ends_in_an_ellipsis() -> None:
    zpl = render_zpl(_label(Text(5, 5, "A very long product name " * 4, size=5, width=40)), 203)
    (data,) = [part.split(b"^FS")[0] for part in zpl.split(b"^FD")[1:]]
    assert data.startswith(b"A very") and data.endswith(b"...")
    cjk = render_zpl(_label(Text(90, 5, "山田太郎" * 10, size=5)), 203)
    assert b"^GFA," in cjk  # drawn, and cut to the 11.6 mm left on the label


@pytest.mark.parametrize(
    ("element", "where"),
    [
        (Code128(40, 5, "1Z999AA10123456784", module=0.375), "past the edge"),
        (Code128(1, 5, "1Z9", module=0.375), "quiet zone"),
        (Gs1DataMatrix(99, 5, (("00", SSCC),)), "leaves the label"),
        (Box(2, 2, 100, 10), "outside the label"),
        (Text(4, 150, "x", size=5), "past the bottom edge"),
        (Text(60, 5, "x", width=50), "past the right edge"),
        (Text(60, 5, "Müller", size=8, width=1), "no room for even an ellipsis"),
    ],
)
def test_layout_check_refuses_what_leaves_the_label(element: object, where: str) -> None:
    with pytest.raises(LabelError, match=where):
        render_zpl(_label(element), 203)


def test_gs1_128_sscc_as_in_protocols() -> None:
    zpl = render_zpl(_label(Gs1Code128(5, 5, (("00", SSCC),), height=25, module=0.375)), 203)
    assert f"^FO40,40^BY3^BCN,200,N,N,N^FD>;>800{SSCC}^FS".encode() in zpl
    # Alphanumeric data: UCC/EAN mode D, which places the FNC1 characters itself.
    mixed = render_zpl(_label(Gs1Code128(5, 5, (("400", "SO-1"),), module=0.25)), 203)
    assert b"^BCN,200,N,N,N,D^FD(400)SO-1^FS" in mixed
    codes = decode(render_png(_label(Gs1Code128(5, 5, (("400", "SO-1"),), module=0.25)), 203))
    assert [parse(c).gs1_message.value for c in codes] == ["400SO-1"]  # type: ignore[union-attr]


def test_gs1_datamatrix_fnc1_and_separators() -> None:
    elements = (("400", "SO_1"), ("00", SSCC))
    zpl = render_zpl(_label(Gs1DataMatrix(5, 5, elements, module=0.75)), 203)
    # FNC1 first, again after the variable-length (400), an underscore doubled.
    assert f"^BXN,6,200,0,0,1,_^FD_1400SO__1_100{SSCC}^FS".encode() in zpl
    (code,) = decode(render_png(_label(Gs1DataMatrix(5, 5, elements)), 300))
    assert code.symbology_identifier == "]d2"
    assert code.bytes == f"400SO_1\x1d00{SSCC}".encode()


def test_code128_subsets_and_round_trip() -> None:
    zpl = render_zpl(_label(Code128(5, 5, "12345678"), Code128(5, 40, "A>B"),
                            Code128(5, 80, "1Z999AA10123456784")), 203)  # fmt: skip
    assert b"^FD>;12345678^FS" in zpl and b"^FD>:A>0B^FS" in zpl
    assert b"^FD>:1Z999AA1>50123456784^FS" in zpl  # the digits at the end in subset C
    data = "A>B^C~D{x}"
    assert [c.text for c in decode(render_png(_label(Code128(5, 40, data)), 203))] == [data]


@pytest.mark.parametrize(
    ("element", "message"),
    [
        (Code128(0, 0, "Müller"), "printable ASCII"),
        (Gs1Code128(0, 0, (("00", "106141411234567890"),)), "Invalid SSCC check digit"),
        (Gs1DataMatrix(0, 0, (("99999", "x"),)), r"\(99999\) is not a GS1"),
        (Gs1DataMatrix(0, 0, ()), "at least one element string"),
    ],
)
def test_bad_barcode_data_is_a_label_error(element: object, message: str) -> None:
    with pytest.raises(LabelError, match=message):
        render_zpl(_label(element), 203)


def test_block_wraps_and_says_when_cut() -> None:
    block = TextBlock(5, 5, 20, ("one two three four five six seven eight nine ten",), 3.0,
                      max_lines=2)  # fmt: skip
    zpl = render_zpl(_label(block), 203).decode()
    lines = [part.split("^FS")[0] for part in zpl.split("^FD")[1:]]
    assert len(lines) == 2 and lines[-1].endswith("...")


def test_box_and_rule() -> None:
    zpl = render_zpl(_label(Box(2, 2, 97.6, 148.4, 0.6), Box(2, 60, 97.6, 0.5, 0.5)), 203)
    assert b"^FO16,16^GB780,1186,5,B,0^FS" in zpl
    assert b"^FO16,480^GB780,4,4,B,0^FS" in zpl


def test_preview_draws_printer_font_text_from_the_shipped_fonts() -> None:
    from tests.station.labels.readback import same_bitmap

    label = _label(Text(5, 5, "Hof 3\\&4 山田 a_b^c", size=4, bold=True))
    own_font = render_zpl(label, 203, unicode_font="E:NOTOSANS.TTF")
    assert b"^A@N" in own_font  # zplkit has no such font: the preview draws it itself
    size = (812, 1218)
    assert same_bitmap(
        png_image(zpl_to_png(own_font, 203, *size)),
        png_image(zpl_to_png(render_zpl(label, 203), 203, *size)),
    )
