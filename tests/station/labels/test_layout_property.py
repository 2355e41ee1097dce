"""Hostile text anywhere on a label: it is fitted inside, escaped, or refused by name."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from station.labels.errors import LabelError
from station.labels.model import Label, Text, TextBlock
from station.labels.zpl import render_zpl
from tests.station.labels.readback import zpl_fields

# Letters of every shipped script, the ZPL command prefixes, ^FB's backslash and controls.
ALPHABET = st.sampled_from(list("aZ9 ^~_\\&\x07\tłŻΓжשش山田김ก็€…-/"))
TEXT = st.text(ALPHABET, min_size=1, max_size=60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# A fresh draw found it: a graphic's rows are whole bytes, 3 dots past the edge here.
@example(text="999山\t", x=95.0, y=0.0, size=2.0, width=None, bold=False, block=False, dpi=203)
@given(
    text=TEXT,
    x=st.floats(0, 101.6),
    y=st.floats(0, 152.4),
    size=st.floats(1.5, 8),
    width=st.one_of(st.none(), st.floats(1, 101.6)),
    bold=st.booleans(),
    block=st.booleans(),
    dpi=st.sampled_from([203, 300]),
)
def test_text_is_fitted_inside_or_refused(
    text: str, x: float, y: float, size: float, width: float | None, bold: bool, block: bool,
    dpi: int,
) -> None:  # fmt: skip
    element = (
        TextBlock(x, y, width or 30, (text, text), size, bold, max_lines=3)
        if block
        else Text(x, y, text, size, bold, width=width)
    )
    try:
        zpl = render_zpl(Label("p", 101.6, 152.4, (element,)), dpi)
    except LabelError as exc:
        assert "TextBlock" in str(exc) or "Text" in str(exc)  # the element is named
        return
    wide, high = (812, 1218) if dpi == 203 else (1218, 1827)
    for field in zpl_fields(zpl):
        assert field.x >= 0 and field.y >= 0
        if field.graphic is not None:
            assert field.x + field.graphic.width <= wide
            assert field.y + field.graphic.height <= high
        else:  # font 0: ASCII only, no raw command prefix or backslash in the data
            body = field.commands.split("^FD", 1)[1]
            assert body.isascii() and "^" not in body and "~" not in body
            assert "\\" not in body.replace("\\\\", "")
