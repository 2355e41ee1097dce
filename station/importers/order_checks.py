"""Validated orders checked against the database: SKUs, stored orders, totes, customs lines."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db.models import Order, OrderStatus, PackSession, Product
from station.importers.common import Problems, chunks
from station.importers.order_validation import _Draft

# A tote holding an order in one of these may not be given to another order.
ACTIVE_STATUS = (OrderStatus.OPEN, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)

_CUSTOMS_COLUMNS = (
    "description",
    "hs_code",
    "origin_country",
    "quantity",
    "value",
    "currency",
    "weight_g",
)


@dataclass(frozen=True)
class _ProductInfo:
    id: int
    name: str
    weight_g: float | None
    unit_value: float | None
    origin_country: str | None


def _products(
    session: Session, drafts: Sequence[_Draft], problems: Problems
) -> dict[str, _ProductInfo]:
    """Product of every SKU the file names (one query per chunk); unknown SKUs are problems."""
    skus = sorted({ln[2] for d in drafts for ln in d.lines})
    found: dict[str, _ProductInfo] = {}
    for part in chunks(skus):
        for sku, pid, name, weight, value, origin in session.execute(
            select(
                Product.sku,
                Product.id,
                Product.name,
                Product.unit_weight_g,
                Product.unit_value,
                Product.origin_country,
            ).where(Product.sku.in_(part))
        ):
            found[sku] = _ProductInfo(pid, name, weight, value, origin)
    if len(found) < len(skus):
        for d in drafts:
            for ln in d.lines:
                if ln[2] not in found:
                    problems.add(ln[0], ln[1] + "sku", f"unknown SKU {ln[2]!r}")
    return found


@dataclass(frozen=True)
class _Existing:
    id: int
    status: OrderStatus
    ship_to_id: int | None


def _existing_orders(
    session: Session, drafts: Sequence[_Draft], problems: Problems
) -> dict[str, _Existing]:
    """Orders of the file already stored; those the bench has touched cannot be replaced."""
    found: dict[str, _Existing] = {}
    for part in chunks([d.number for d in drafts]):
        for number, oid, status, ship_to_id in session.execute(
            select(Order.number, Order.id, Order.status, Order.ship_to_id).where(
                Order.number.in_(part)
            )
        ):
            found[number] = _Existing(oid, OrderStatus(status), ship_to_id)
    if not found:
        return found
    # Scans and exceptions point at order lines; an order with a pack session (even a parked
    # one, whose status may still say open) keeps its lines.
    started: set[int] = set()
    for id_part in chunks([e.id for e in found.values()]):
        started.update(
            session.scalars(
                select(PackSession.order_id).where(PackSession.order_id.in_(id_part)).distinct()
            )
        )
    for d in drafts:
        e = found.get(d.number)
        if e is None:
            continue
        if e.status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
            problems.add(d.row, "order_number", f"order {d.number} is already {e.status.value}")
        elif e.status is OrderStatus.IN_PROGRESS or e.id in started:
            problems.add(d.row, "order_number", f"order {d.number} is being packed at the bench")
    return found


def _check_totes(session: Session, drafts: Sequence[_Draft], problems: Problems) -> None:
    """A tote scan must find one order: two active orders may not share a tote."""
    holder: dict[str, _Draft] = {}
    for d in drafts:
        tote = d.values["tote"]
        if not tote or d.status is OrderStatus.CANCELLED:
            continue
        other = holder.get(tote)
        if other is not None:
            problems.add(d.row, "tote", f"{tote} is also given to order {other.number}")
        else:
            holder[tote] = d
    numbers = {d.number for d in drafts}
    for part in chunks(sorted(holder)):
        for number, tote in session.execute(
            select(Order.number, Order.tote).where(
                Order.tote.in_(part), Order.status.in_(ACTIVE_STATUS)
            )
        ):
            # An order re-imported by this file gives up its old tote.
            if number not in numbers and tote is not None:
                d = holder[tote]
                problems.add(d.row, "tote", f"{tote} holds order {number}, still to be packed")


def _customs_rows(
    drafts: Sequence[_Draft], products: Mapping[str, _ProductInfo], problems: Problems
) -> dict[str, list[dict[str, Any]]]:
    """Customs lines per order number; what a line leaves out comes from its product."""
    result: dict[str, list[dict[str, Any]]] = {}
    for d in drafts:
        for n, prefix, sku, qty, hs, given_origin, given_value, desc in d.lines:
            if hs is None:
                continue
            product = products.get(sku)
            if product is None:
                continue  # already reported as an unknown SKU
            origin = given_origin or product.origin_country
            value = given_value if given_value is not None else product.unit_value
            if origin is None:
                problems.add(n, prefix + "origin_country", f"required: SKU {sku!r} has none")
            if value is None:
                problems.add(n, prefix + "customs_value", f"required: SKU {sku!r} has no value")
            if origin is None or value is None:
                continue
            row = {
                "description": desc or product.name[:200],
                "hs_code": hs,
                "origin_country": origin,
                "quantity": qty,
                # customs_value is per unit; a CN22/CN23 line declares the line's total.
                "value": round(value * qty, 2),
                "currency": d.values["currency"],
                "weight_g": None if product.weight_g is None else product.weight_g * qty,
            }
            assert tuple(row) == _CUSTOMS_COLUMNS
            result.setdefault(d.number, []).append(row)
    return result
