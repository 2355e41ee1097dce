"""Every template over the demo order book: each label renders or is refused with a reason."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from station.config import Settings
from station.db import open_database
from station.db.models import Order, Package, PackSession
from station.labels.errors import LabelError
from station.labels.rules import TEMPLATES
from station.labels.service import render_order_label
from station.labels.sscc import is_valid_sscc
from station.tools.demo import seed_demo
from tests.station.labels.conftest import decode, parse

REASONS = ("has not been packed", "it is domestic", "has no customs lines", "no gift note")


def test_demo_orders(tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "demo.sqlite")
    db = open_database(settings.db_path)
    try:
        seed_demo(db, orders=20, products=40, seed=1)
        with db.session() as s:
            orders = list(s.scalars(select(Order).order_by(Order.number)))
            for order in orders[::2]:  # every other order packed, in one box
                pack = PackSession(order_id=order.id, station="demo")
                s.add(pack)
                s.flush()
                s.add(Package(session_id=pack.id, order_id=order.id, seq_no=1, weight_g=900.0))
            s.commit()
        rendered: dict[str, int] = dict.fromkeys(TEMPLATES, 0)
        fields = {"tag_id": "RT-1", "disposition": "RESTOCK"}
        for order in orders:
            for template in TEMPLATES:
                try:
                    zpl = render_order_label(db, settings, order.number, template, "zpl",
                                             fields=fields)  # fmt: skip
                except LabelError as exc:
                    assert any(reason in str(exc) for reason in REASONS), str(exc)
                    continue
                assert zpl.startswith(b"^XA") and zpl.isascii()
                rendered[template] += 1
            if order in orders[::2]:
                png = render_order_label(db, settings, order.number, "shipping", "png")
                ssccs = [parse(c).sscc for c in decode(png) if c.symbology_identifier == "]C1"]
                assert len(ssccs) == 1 and ssccs[0] is not None
                assert is_valid_sscc(ssccs[0].value)
        # The demo has cross-border and gift orders: every template was made at least once.
        assert all(rendered.values()), rendered
        assert rendered["shipping"] == 10 and rendered["packing-slip"] == 20
    finally:
        db.close()
