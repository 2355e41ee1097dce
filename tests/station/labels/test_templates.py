"""Template files: placeholders, conditions, repeats and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.labels.errors import LabelError
from station.labels.model import Gs1DataMatrix, Text, TextBlock
from station.labels.rules import TEMPLATES
from station.labels.templates import TEMPLATE_DIR, fill, load_template

TEMPLATE = """
name = "t"
width = 100
height = 50

[[elements]]
type = "text"
x = 1
y = 2
text = "Order {order.number} {{literal}} {weight:.1f}"

[[elements]]
type = "text"
when = "gift"
text = "gift only"

[[elements]]
type = "text"
unless = "gift"
text = "not a gift"

[[elements]]
type = "block"
x = 5
width = 40
lines = ["{name}", "{street2}", "{note}"]

[[elements]]
type = "gs1-datamatrix"
elements = [["00", "{sscc}"], ["3303", "{no_weight}"]]

[[elements]]
type = "repeat"
over = "lines"
x = 2
y = 10
step = 5
max = 3
more = { type = "text", text = "+{more} more" }

[[elements.elements]]
type = "text"
y = 1
text = "{index}. {item.sku}"
"""
CONTEXT = {
    "order": {"number": "SO-1"},
    "weight": 1.25,
    "gift": False,
    "name": "Ann",
    "street2": None,
    "note": "first\nsecond",
    "sscc": "106141411234567897",
    "no_weight": "",
    "lines": [{"sku": f"SKU-{i}"} for i in range(1, 6)],
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "t.toml").write_text(TEMPLATE, encoding="utf-8")
    return tmp_path


def test_fill_placeholders_conditions_and_repeats(folder: Path) -> None:
    label = load_template("t", folder).fill(CONTEXT)
    assert (label.width, label.height) == (100.0, 50.0)
    texts = [e for e in label.elements if isinstance(e, Text)]
    assert texts[0] == Text(1.0, 2.0, "Order SO-1 {literal} 1.2")
    assert [t.text for t in texts[1:]] == ["not a gift", "1. SKU-1", "2. SKU-2", "+3 more"]
    assert [(t.x, t.y) for t in texts[2:]] == [(2.0, 11.0), (2.0, 16.0), (2.0, 20.0)]
    (block,) = (e for e in label.elements if isinstance(e, TextBlock))
    assert block.lines == ("Ann", "first", "second")  # None dropped, line breaks split
    (matrix,) = (e for e in label.elements if isinstance(e, Gs1DataMatrix))
    assert matrix.elements == (("00", "106141411234567897"),)  # the empty (3303) left out


def test_missing_value_and_unknown_type_are_label_errors(tmp_path: Path) -> None:
    with pytest.raises(LabelError, match=r"template needs \{order.nope\}"):
        fill("{order.nope}", CONTEXT)
    (tmp_path / "bad.toml").write_text(
        'width = 10\nheight = 10\n[[elements]]\ntype = "circle"\n', encoding="utf-8"
    )
    with pytest.raises(LabelError, match="unknown label element type 'circle'"):
        load_template("bad", tmp_path).fill(CONTEXT)
    (tmp_path / "typo.toml").write_text(
        'width = 10\nheight = 10\n[[elements]]\ntype = "text"\ntext = "x"\nsise = 3\n',
        encoding="utf-8",
    )
    with pytest.raises(LabelError, match="unknown fields: sise"):
        load_template("typo", tmp_path).fill(CONTEXT)
    with pytest.raises(LabelError, match="no label template 'nope'"):
        load_template("nope", tmp_path)


def test_every_shipped_template_loads() -> None:
    names = {p.stem for p in TEMPLATE_DIR.glob("*.toml")}
    expected = {t for t in TEMPLATES if t != "customs"} | {"customs-cn22", "customs-cn23"}
    assert names == expected
    for name in names:
        template = load_template(name)
        assert template.width > 0 and template.height > 0 and template.specs


def test_shipping_template_has_both_barcodes() -> None:
    specs = load_template("shipping").specs
    kinds = [s["type"] for s in specs]
    assert {"code128", "gs1-128", "gs1-datamatrix"} <= set(kinds)
