"""A small order book for the label tests: domestic, gift, cross-border; some packed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import biip
import pytest
import zxingcpp
from PIL import Image

from station.config import Settings
from station.db import Database, open_database
from station.db.models import (
    CustomsLine,
    Order,
    OrderLine,
    Package,
    PackSession,
    Product,
    ShipTo,
)

CREATED = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TRACKING = "1Z999AA10123456784"


def _order(number: str, country: str, lines: list[tuple[Product, int]], **kw: object) -> Order:
    ship_to = ShipTo(
        customer_name="Jörg Müller",
        street1="Hauptstraße 5",
        city="München" if country == "DE" else "Austin",
        postcode="80331" if country == "DE" else "78701",
        country=country,
        phone="+49 151 0000000",
    )
    order = Order(number=number, ship_to=ship_to, created_at=CREATED, **kw)
    for i, (product, qty) in enumerate(lines, start=1):
        order.lines.append(OrderLine(line_no=i, product=product, quantity=qty))
    return order


def build_label_db(path: Path) -> Database:
    """Orders (sender is NL, the default [labels]):

    - ``SO-NL1`` domestic (NL), two lines, packed in 2 packages (1500 g, 800 g)
    - ``SO-GIFT`` domestic with a gift note and a carrier tracking number, 1 package
    - ``SO-US1`` to the US with customs lines, 1 package of 1900 g (CN22)
    - ``SO-US2`` to the US with customs lines worth 450.00 (CN23), not packed
    - ``SO-DE1`` to Germany, no customs lines, not packed
    """
    db = open_database(path)
    with db.session() as s:
        mug = Product(sku="MUG-1", name="Ceramic Mug 350 ml", unit_weight_g=350.0, unit_value=9.99)
        tee = Product(sku="TEE-M", name="T-Shirt Navy M", unit_weight_g=180.0, unit_value=19.5)
        orders = [
            _order("SO-NL1", "NL", [(mug, 2), (tee, 1)]),
            _order(
                "SO-GIFT",
                "NL",
                [(tee, 1)],
                gift_note="Happy birthday!\nLove, Mum",
                tracking_number=TRACKING,
                carrier="PostNL",
            ),
            _order("SO-US1", "US", [(mug, 1), (tee, 2)], carrier="UPS", ship_method="express"),
            _order("SO-US2", "US", [(tee, 10)]),
            _order("SO-DE1", "DE", [(mug, 1)]),
        ]
        orders[2].customs_lines += [
            CustomsLine(
                description="Ceramic mug", hs_code="691200", origin_country="PT",
                quantity=1, value=9.99, currency="EUR", weight_g=350.0,
            ),
            CustomsLine(
                description="Cotton T-shirt", hs_code="610910", origin_country="BD",
                quantity=2, value=39.0, currency="EUR", weight_g=360.0,
            ),
        ]  # fmt: skip
        orders[3].customs_lines.append(
            CustomsLine(
                description="Cotton T-shirt", hs_code="610910", origin_country="BD",
                quantity=10, value=450.0, currency="EUR", weight_g=1800.0,
            )
        )  # fmt: skip
        s.add_all(orders)
        s.flush()
        for order, weights in ((orders[0], [1500.0, 800.0]), (orders[1], [400.0]),
                               (orders[2], [1900.0])):  # fmt: skip
            session = PackSession(order_id=order.id, station="bench-1")
            s.add(session)
            s.flush()
            for seq, weight in enumerate(weights, start=1):
                s.add(Package(session_id=session.id, order_id=order.id, seq_no=seq,
                              weight_g=weight))  # fmt: skip
        s.commit()
    return db


@pytest.fixture
def label_db(tmp_path: Path) -> Iterator[Database]:
    db = build_label_db(tmp_path / "labels.sqlite")
    yield db
    db.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "labels.sqlite")


def decode(png: bytes) -> list[zxingcpp.Barcode]:
    """Every barcode zxing-cpp finds in a PNG."""
    return list(zxingcpp.read_barcodes(Image.open(io.BytesIO(png))))


def parse(code: zxingcpp.Barcode) -> biip.ParseResult:
    """biip's reading of a decoded code, as a scanner would send it (AIM prefix + data)."""
    return biip.parse(code.symbology_identifier + code.bytes.decode("ascii"))
