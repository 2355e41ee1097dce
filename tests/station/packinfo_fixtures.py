"""Products with instructions, a picture and a hazmat UN number, and insert rules, on top of
the pack engine's fixtures (``tests.station.packfixtures``): shared by the bench and window
tests of issue 18, points 2-4."""

from __future__ import annotations

import hashlib
import struct
import zlib

from sqlalchemy import update

from station.config import PackingSettings
from station.config.inserts import InsertRule
from station.db import Database
from station.db.models import Order, OrderLine, Product, ProductImage, ShipTo

MUG_NOTE = "Fragile: wrap in two layers of bubble wrap, handle up"


def tiny_png(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A real PNG (8-bit RGB) of one colour, made here so the test needs no image file."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


FLYER = InsertRule(code="FLYER", name="Spring flyer", barcode="INS-FLYER", channels=("web",))
SAMPLE = InsertRule(
    code="SAMPLE", name="Tea sample", barcode="INS-SAMPLE", skus=("TEE",), low_stock=5
)
VIP = InsertRule(code="VIP", name="Thank-you card", barcode="INS-VIP", min_order_value=100.0)
WELCOME = InsertRule(code="WELCOME", name="Welcome letter", barcode="INS-WELCOME", first_order=True)
INSERTS = PackingSettings(inserts=(FLYER, SAMPLE, VIP, WELCOME))


def add_pack_info(db: Database) -> bytes:
    """MUG: instructions, a picture and the confirm step; TEE: UN3481; returns the picture."""
    png = tiny_png()
    sha = hashlib.sha256(png).hexdigest()
    with db.session() as s:
        s.add(ProductImage(sha256=sha, media_type="image/png", data=png))
        s.execute(
            update(Product)
            .where(Product.sku == "MUG")
            .values(instructions=MUG_NOTE, image_sha256=sha, confirm_instruction=True)
        )
        s.execute(update(Product).where(Product.sku == "TEE").values(hazmat="UN3481"))
        s.commit()
    return png


def add_customer_orders(db: Database) -> None:
    """SO-3001 and SO-3002 for ann@example.com (her first is SO-3001's), SO-3003 for bob,
    from a marketplace; all of one TEE (value 120 for SO-3003)."""
    with db.session() as s:
        tee = s.query(Product).filter_by(sku="TEE").one()
        stray = s.query(Product).filter_by(sku="STRAY").one()
        stray.unit_value = 120.0
        for number, email, name, channel, product in (
            ("SO-3001", "Ann@Example.com", "Ann", "web", tee),
            ("SO-3002", "ann@example.com", "Ann", "web", tee),
            ("SO-3003", "bob@example.com", "Bob", "amazon", stray),
        ):
            order = Order(number=number, channel=channel)
            order.ship_to = ShipTo(customer_name=name, email=email, country="DE")
            order.lines.append(OrderLine(line_no=1, product_id=product.id, quantity=1))
            s.add(order)
        s.commit()
