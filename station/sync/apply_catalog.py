"""Pulled products into the station's catalog, in the caller's transaction.

The pack engine reads products and barcodes from the database on every scan, so a new barcode
or weight is in force from the COMMIT of the page that brought it: no restart. Products are
matched by SKU and keep their local id (order lines and scans point at it).
"""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.db.models import KitComponent, Product, ProductBarcode, Tracking, utcnow
from station.sync.records import ProductRecord

_TRACKING = {t.value for t in Tracking}


def product_id(session: Session, sku: str) -> int | None:
    """The local id of a SKU, or None."""
    return session.execute(select(Product.id).where(Product.sku == sku)).scalar_one_or_none()


def ensure_product(session: Session, sku: str) -> int:
    """The id of ``sku``, creating a placeholder if the station has not seen it yet.

    The feed is compacted, so an order can arrive before a product that changed after it was
    imported; that product's record is then still ahead in the feed and will fill the
    placeholder in. A placeholder has no barcode, so it can never be scanned meanwhile.
    """
    found = product_id(session, sku)
    if found is not None:
        return found
    return int(
        session.execute(
            insert(Product)
            .values(sku=sku, name=sku, tracking=Tracking.NONE, is_kit=False, updated_at=utcnow())
            .returning(Product.id)
        ).scalar_one()
    )


def apply_product(session: Session, record: ProductRecord) -> None:
    """Insert or update one product with its barcodes and kit components."""
    values: dict[str, object] = {
        "name": record.name,
        "length_mm": record.length_mm,
        "width_mm": record.width_mm,
        "height_mm": record.height_mm,
        "tracking": Tracking(record.tracking) if record.tracking in _TRACKING else Tracking.NONE,
        "is_kit": record.is_kit,
        "category": record.category,
        "unit_value": record.unit_value,
        "hs_code": record.hs_code,
        "origin_country": record.origin_country,
        "instructions": record.instructions,
        "image_sha256": record.image_sha256,
        "confirm_instruction": record.confirm_instruction,
        "hazmat": record.hazmat,
        "updated_at": utcnow(),
    }
    if record.unit_weight_g is not None:
        # A catalog weight supersedes one the station learned from verified packs.
        values.update(unit_weight_g=record.unit_weight_g, weight_estimated=False)
    pid = ensure_product(session, record.sku)
    session.execute(update(Product).where(Product.id == pid).values(**values))
    session.execute(delete(ProductBarcode).where(ProductBarcode.product_id == pid))
    for barcode in record.barcodes:
        # A barcode that moved here from another product: that product's own record follows
        # (the hub changed both in one import) and will not claim it back.
        session.execute(delete(ProductBarcode).where(ProductBarcode.code == barcode.code))
        session.execute(
            insert(ProductBarcode).values(product_id=pid, code=barcode.code, raw=barcode.raw)
        )
    session.execute(delete(KitComponent).where(KitComponent.kit_id == pid))
    for component in record.components:
        session.execute(
            insert(KitComponent).values(
                kit_id=pid,
                component_id=ensure_product(session, component.sku),
                quantity=component.quantity,
            )
        )


def remove_product(session: Session, sku: str) -> None:
    """A product deleted at the hub: it stops scanning at once; its row goes if unreferenced."""
    pid = product_id(session, sku)
    if pid is None:
        return
    session.execute(delete(ProductBarcode).where(ProductBarcode.product_id == pid))
    try:
        with session.begin_nested():
            session.execute(delete(Product).where(Product.id == pid))
    except IntegrityError:
        pass  # order lines or scans still name it; without barcodes it cannot be scanned
