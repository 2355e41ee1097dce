"""A scratch station database in which the hub validates imports with the station's importers.

The hub imports the same files as a station, so it uses the same importers rather than a
second copy of their rules: it seeds a throw-away station database with what the import is
checked against (the catalog; the orders' numbers, statuses and totes), runs the importer
there, and reads back the records the file created or changed. Seeded rows carry an old
``updated_at``, so the importer's own rows are told apart by time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from station.db import Database, open_database
from station.db.models import (
    CustomsLine,
    KitComponent,
    Order,
    OrderLine,
    OrderStatus,
    Product,
    ProductBarcode,
    ProductImage,
    ShipTo,
    Tracking,
)
from station.importers.common import insert_rows
from station.sync.records import OrderRecord, ProductRecord

SEEDED_AT = datetime(2000, 1, 1, tzinfo=UTC)
_PRODUCT_COLUMNS = (
    "id", "sku", "name", "unit_weight_g", "length_mm", "width_mm", "height_mm", "tracking",
    "is_kit", "category", "unit_value", "hs_code", "origin_country", "instructions",
    "image_sha256", "confirm_instruction", "hazmat", "updated_at",
)  # fmt: skip
_SHIP_TO_COLUMNS = (
    "customer_name", "email", "phone", "company", "street1", "street2", "city", "postcode",
    "region", "country",
)  # fmt: skip
_CUSTOMS_COLUMNS = (
    "description", "hs_code", "origin_country", "quantity", "value", "currency", "weight_g",
)  # fmt: skip


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


@contextmanager
def scratch_database() -> Iterator[Database]:
    """A fresh, migrated station database in a temporary folder, removed afterwards."""
    with TemporaryDirectory(prefix="hub-import-") as folder:
        db = open_database(Path(folder) / "scratch.sqlite")
        try:
            yield db
        finally:
            db.close()


def seed_catalog(db: Database, products: Iterable[ProductRecord], *, barcodes: bool) -> None:
    """Write the hub's catalog (with barcodes and kits when ``barcodes``) into ``db``."""
    records = list(products)
    ids = {r.sku: i for i, r in enumerate(records, start=1)}
    rows = [
        (
            ids[r.sku],
            r.sku,
            r.name,
            r.unit_weight_g,
            r.length_mm,
            r.width_mm,
            r.height_mm,
            Tracking(r.tracking),
            r.is_kit,
            r.category,
            r.unit_value,
            r.hs_code,
            r.origin_country,
            r.instructions,
            r.image_sha256,
            r.confirm_instruction,
            r.hazmat,
            SEEDED_AT,
        )
        for r in records
    ]
    with db.session() as session:
        insert_rows(session, _table(Product), _PRODUCT_COLUMNS, rows)
        if barcodes:
            insert_rows(
                session,
                _table(ProductBarcode),
                ("product_id", "code", "raw"),
                [(ids[r.sku], b.code, b.raw) for r in records for b in r.barcodes],
            )
            insert_rows(
                session,
                _table(KitComponent),
                ("kit_id", "component_id", "quantity"),
                [
                    (ids[r.sku], ids[c.sku], c.quantity)
                    for r in records
                    for c in r.components
                    if c.sku in ids
                ],
            )
        session.commit()


def seed_orders(db: Database, orders: Iterable[tuple[str, str, str | None]]) -> None:
    """Write (number, status, tote) of the hub's orders: what an orders import is checked by."""
    rows = [
        (number, OrderStatus(status), tote, "web", 0, "standard", "EUR", SEEDED_AT, SEEDED_AT)
        for number, status, tote in orders
    ]
    columns = (
        "number", "status", "tote", "channel", "priority", "ship_method", "currency",
        "created_at", "updated_at",
    )  # fmt: skip
    with db.session() as session:
        insert_rows(session, _table(Order), columns, rows)
        session.commit()


def imported_images(db: Database) -> dict[str, tuple[str, bytes]]:
    """The pictures the import stored, by SHA-256: (media type, bytes)."""
    with db.session() as session:
        return {
            sha: (media, bytes(data))
            for sha, media, data in session.execute(
                select(ProductImage.sha256, ProductImage.media_type, ProductImage.data)
            )
        }


def imported_products(db: Database) -> list[ProductRecord]:
    """The products the importer wrote (created or updated), as feed records."""
    with db.session() as session:
        sku_of: dict[int, str] = {
            pid: sku for pid, sku in session.execute(select(Product.id, Product.sku))
        }
        products = list(
            session.scalars(
                select(Product).where(Product.updated_at > SEEDED_AT).order_by(Product.id)
            )
        )
        records = []
        for p in products:
            data = {c: getattr(p, c) for c in _PRODUCT_COLUMNS if c not in ("id", "updated_at")}
            data["tracking"] = p.tracking.value
            data["barcodes"] = [{"code": b.code, "raw": b.raw} for b in p.barcodes]
            data["components"] = [
                {"sku": sku_of[c.component_id], "quantity": c.quantity} for c in p.components
            ]
            records.append(ProductRecord.model_validate(data))
        session.rollback()
    # Components first: a station applying the feed in order then meets each kit's parts
    # before the kit (it copes either way, see station.sync.apply_catalog).
    return sorted(records, key=lambda r: r.is_kit)


def imported_orders(db: Database) -> list[OrderRecord]:
    """The orders the importer wrote (created or replaced), as feed records."""
    with db.session() as session:
        records = [_order_record(session, o) for o in session.scalars(
            select(Order).where(Order.updated_at > SEEDED_AT).order_by(Order.id)
        )]  # fmt: skip
        session.rollback()
    return records


def _order_record(session: Session, order: Order) -> OrderRecord:
    ship_to: ShipTo | None = order.ship_to
    lines = session.execute(
        select(OrderLine.line_no, Product.sku, OrderLine.quantity)
        .join(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.line_no)
    ).all()
    customs = session.scalars(select(CustomsLine).where(CustomsLine.order_id == order.id)).all()
    return OrderRecord.model_validate(
        {
            "number": order.number,
            "status": order.status.value,
            "tote": order.tote,
            "channel": order.channel,
            "priority": order.priority,
            "ship_method": order.ship_method,
            "gift_note": order.gift_note,
            "currency": order.currency,
            "carrier": order.carrier,
            "tracking_number": order.tracking_number,
            "site": order.site,
            "ship_to": None
            if ship_to is None
            else {c: getattr(ship_to, c) for c in _SHIP_TO_COLUMNS},
            "lines": [{"line_no": n, "sku": sku, "quantity": q} for n, sku, q in lines],
            "customs_lines": [{c: getattr(x, c) for c in _CUSTOMS_COLUMNS} for x in customs],
        }
    )
