"""The shipping label's hazmat mark (issue 18, point 4): the order's UN numbers in a framed
block, read back from the ZPL the printer gets and from the rendered picture."""

from __future__ import annotations

from sqlalchemy import update

from station.config import Settings
from station.db import Database
from station.db.models import Product
from station.labels.service import render_order_label
from tests.station.labels.readback import zpl_fields


def mark_fields(zpl: bytes) -> list[str]:
    # A bold text field is drawn twice, a dot apart: each text once.
    return sorted({f.text for f in zpl_fields(zpl) if f.text and "UN" in f.text})


def test_a_lithium_battery_order_gets_the_mark_and_others_do_not(
    label_db: Database, settings: Settings
) -> None:
    plain = render_order_label(label_db, settings, "SO-NL1", "shipping", "zpl", dpi=203)
    with label_db.session() as s:  # SO-NL1 holds a T-shirt, now with a lithium battery
        s.execute(update(Product).where(Product.sku == "TEE-M").values(hazmat="UN3481"))
        s.commit()
    marked = render_order_label(label_db, settings, "SO-NL1", "shipping", "zpl", dpi=203)
    assert mark_fields(marked) == ["LITHIUM ION UN3481"]
    assert mark_fields(plain) == []
    # The frame is one more box than the plain label has.
    assert marked.count(b"^GB") == plain.count(b"^GB") + 1
    # Dry ice and lithium metal together: both numbers, "LITHIUM" without "ION".
    with label_db.session() as s:
        s.execute(update(Product).where(Product.sku == "MUG-1").values(hazmat="UN3091"))
        s.execute(update(Product).where(Product.sku == "TEE-M").values(hazmat="UN1845"))
        s.commit()
    both = render_order_label(label_db, settings, "SO-NL1", "shipping", "zpl", dpi=300)
    assert mark_fields(both) == ["LITHIUM UN1845, UN3091"]
    assert render_order_label(label_db, settings, "SO-NL1", "shipping", "png", dpi=203)
