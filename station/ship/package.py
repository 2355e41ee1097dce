"""A weighed package of this station, as the hub's shipping API wants it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import BoxType, CustomsLine, Order, Package, Product, Scan, ShipTo
from station.ship.protocol import PackageRequest
from station.sync.records import CustomsLineRecord, ShipToRecord

_SHIP_TO = (
    "customer_name", "email", "phone", "company", "street1", "street2", "city", "postcode",
    "region", "country",
)  # fmt: skip


class PackageError(ValueError):
    """A package that cannot be shipped yet; the message says why."""


def package_request(
    session: Session, order_number: str, package_no: int
) -> tuple[PackageRequest, int]:
    """The order's package ``package_no`` with its weight, box and address; and its row id."""
    order = session.scalar(select(Order).where(Order.number == order_number))
    if order is None:
        raise PackageError(f"unknown order {order_number!r}")
    if order.ship_to_id is None:
        raise PackageError(f"order {order_number} has no delivery address")
    package = session.scalar(
        select(Package)
        .where(Package.order_id == order.id, Package.seq_no == package_no)
        .order_by(Package.id.desc())
        .limit(1)
    )
    if package is None:
        raise PackageError(f"order {order_number} has no package {package_no}")
    if package.weight_g is None or package.weight_status == "pending":
        raise PackageError(f"package {package_no} of {order_number} is not weighed yet")
    if package.weight_status == "fail":
        raise PackageError(
            f"package {package_no} of {order_number} failed its weight check: "
            "a supervisor must accept it first"
        )
    ship_to = session.get(ShipTo, order.ship_to_id)
    assert ship_to is not None
    dims = None
    if package.box_type_id is not None:
        box = session.get(BoxType, package.box_type_id)
        if box is not None:
            dims = (box.inner_length_mm, box.inner_width_mm, box.inner_height_mm)
    customs = session.scalars(select(CustomsLine).where(CustomsLine.order_id == order.id)).all()
    # Dangerous goods in this box (catalog column hazmat): the hub keeps them to the services
    # that may carry them (station.hub.shipping.rules, ground only).
    hazmat = session.scalar(
        select(Product.id)
        .join(Scan, Scan.product_id == Product.id)
        .where(Scan.package_id == package.id, Scan.verdict == "accepted", Scan.undone.is_(False))
        .where(Product.hazmat.is_not(None))
        .limit(1)
    )
    request = PackageRequest(
        order_number=order_number,
        package_no=package_no,
        weight_g=package.weight_g,
        dims_mm=dims,
        ship_to=ShipToRecord(**{c: getattr(ship_to, c) for c in _SHIP_TO}),
        ship_method=order.ship_method,
        hazmat=hazmat is not None,
        customs_lines=[
            CustomsLineRecord(
                description=c.description,
                hs_code=c.hs_code,
                origin_country=c.origin_country,
                quantity=c.quantity,
                value=c.value,
                currency=c.currency,
                weight_g=c.weight_g,
            )
            for c in customs
        ],
    )
    return request, package.id


def idempotency_key(station: str, package_id: int, request: PackageRequest) -> str:
    """The key of one package's buy: the same package retried or replayed uses the same key."""
    return f"{station}:{package_id}:{request.order_number}:{request.package_no}"
