"""A small order book for the label tests: domestic, gift, cross-border; some packed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
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
POSTED = date(2026, 3, 16)
JP_NAME = "山田 太郎"
JP_STREET = "丸の内1-1-1 千代田区"
# The Japanese order's customs lines: 8 lines, more than a CN 22 holds, so a CN 23.
JP_LINES = [
    ("Ceramic mug, stoneware, 350 ml", "691200", "PL", 2, 39.0, 700.0),
    ("Cotton T-shirt, men's, navy", "610910", "PL", 1, 79.0, 180.0),
    ("Amber pendant on silver chain", "711311", "PL", 1, 249.0, 20.0),
    ("Linen tea towel", "630260", "LT", 3, 57.0, 150.0),
    ("Wooden spoon, beech", "441900", "PL", 2, 18.0, 60.0),
    ("Honey, buckwheat, 400 g jar", "040900", "PL", 1, 35.0, 520.0),
    ("Wool socks, grey", "611595", "PL", 2, 44.0, 120.0),
    ("Postcards of Gdańsk, set of 5", "491191", "PL", 1, 12.0, 40.0),
]


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
    - ``SO-JP1`` to Japan (CJK name and street), 8 customs lines in PLN, packed, 1 package
      of 2100 g, a tracking number: a CN 23 (see ``polish_settings`` for its sender)
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
        japan = _order("SO-JP1", "JP", [(mug, 2), (tee, 1)], carrier="Poczta Polska",
                       tracking_number="RR123456785PL", currency="PLN")  # fmt: skip
        assert japan.ship_to is not None
        japan.ship_to.customer_name, japan.ship_to.street1 = JP_NAME, JP_STREET
        japan.ship_to.city, japan.ship_to.postcode, japan.ship_to.region = (
            "東京都",
            "100-0005",
            None,
        )
        japan.ship_to.phone, japan.ship_to.email = "+81 3 0000 0000", "taro@example.jp"
        japan.customs_lines += [
            CustomsLine(description=d, hs_code=hs, origin_country=o, quantity=q, value=v,
                        currency="PLN", weight_g=w)
            for d, hs, o, q, v, w in JP_LINES
        ]  # fmt: skip
        orders.append(japan)
        s.add_all(orders)
        s.flush()
        for order, weights in ((orders[0], [1500.0, 800.0]), (orders[1], [400.0]),
                               (orders[2], [1900.0]), (japan, [2100.0])):  # fmt: skip
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


@pytest.fixture
def polish_settings(settings: Settings) -> Settings:
    """A sender in Gdańsk, Polish letters in every line of its address."""
    labels = replace(
        settings.labels,
        sender_name="Łukasz Żółć Sklep",
        sender_street="ul. Długa 5/7",
        sender_city="Gdańsk",
        sender_postcode="80-831",
        sender_country="PL",
        sender_phone="+48 58 000 00 00",
        sender_customs_reference="PL5840000000",
        office_of_posting="Gdańsk 1",
    )
    return replace(settings, labels=labels)


def decode(png: bytes) -> list[zxingcpp.Barcode]:
    """Every barcode zxing-cpp finds in a PNG."""
    return list(zxingcpp.read_barcodes(Image.open(io.BytesIO(png))))


def parse(code: zxingcpp.Barcode) -> biip.ParseResult:
    """biip's reading of a decoded code, as a scanner would send it (AIM prefix + data)."""
    return biip.parse(code.symbology_identifier + code.bytes.decode("ascii"))
