"""Pulled orders into the station's order book, in the caller's transaction.

The hub decides an order's fate; the bench decides what it has done. So a record replaces an
order the bench has not started; once the bench has started or finished it, only a central
block (cancel, hold, packed elsewhere) still applies, and the station's own result stands.
The pack engine refuses to open an order that is on hold, cancelled or packed, so applying
the status is what blocks it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.orm import Session

from station.db.models import (
    CustomsLine,
    Order,
    OrderLine,
    OrderStatus,
    PackSession,
    ShipTo,
    utcnow,
)
from station.sync.apply_catalog import ensure_product
from station.sync.records import OrderRecord

_FINAL = (OrderStatus.PACKED, OrderStatus.SHIPPED)
_BLOCKING = (OrderStatus.ON_HOLD, OrderStatus.CANCELLED, OrderStatus.PACKED, OrderStatus.SHIPPED)


@dataclass(frozen=True)
class BlockedOrder:
    """An order the bench may have been about to pack that the hub has just blocked."""

    number: str
    status: str
    message: str


def merged_status(local: OrderStatus | None, hub: OrderStatus) -> OrderStatus:
    """The station's status after the hub says ``hub`` (pure; see the module docstring)."""
    if local is None:
        return hub
    if local in _FINAL:
        return local  # what the bench did stands; the hub records any conflict
    if hub is OrderStatus.OPEN:
        # Released from hold (or un-cancelled) centrally; the bench's progress is kept.
        return OrderStatus.OPEN if local in (OrderStatus.ON_HOLD, OrderStatus.CANCELLED) else local
    return hub


def block_message(number: str, status: OrderStatus, packed_by: str | None) -> str:
    """What the packer is told when an order is blocked by the hub."""
    if status is OrderStatus.CANCELLED:
        return f"order {number} was cancelled centrally: do not pack it"
    if status is OrderStatus.ON_HOLD:
        return f"order {number} was put on hold centrally: do not pack it"
    if status is OrderStatus.PACKED:
        return f"order {number} was packed at {packed_by or 'another station'}: do not pack it"
    return f"order {number} has shipped already: do not pack it"


def _hub_status(record: OrderRecord) -> OrderStatus:
    try:
        return OrderStatus(record.status)
    except ValueError:
        return OrderStatus.ON_HOLD  # a status this station does not know: safest not to pack


def apply_order(session: Session, record: OrderRecord) -> BlockedOrder | None:
    """Insert, replace or re-status one order; returns a block the packer must hear of."""
    local = session.execute(
        select(Order.id, Order.status, Order.ship_to_id).where(Order.number == record.number)
    ).first()
    hub = _hub_status(record)
    if local is None:
        _insert(session, record, hub)
        return None
    order_id, local_status, ship_to_id = int(local[0]), OrderStatus(local[1]), local[2]
    status = merged_status(local_status, hub)
    started = _started(session, order_id)
    if not started and local_status not in (OrderStatus.IN_PROGRESS, *_FINAL):
        _replace(session, order_id, ship_to_id, record, status)
    elif status is not local_status:
        session.execute(
            update(Order).where(Order.id == order_id).values(status=status, updated_at=utcnow())
        )
    if local_status in (OrderStatus.OPEN, OrderStatus.IN_PROGRESS) and status in _BLOCKING:
        return BlockedOrder(
            record.number, status.value, block_message(record.number, status, record.packed_by)
        )
    return None


def remove_order(session: Session, number: str) -> None:
    """An order deleted at the hub: gone here too, unless the bench has touched it."""
    local = session.execute(
        select(Order.id, Order.status, Order.ship_to_id).where(Order.number == number)
    ).first()
    if local is None or OrderStatus(local[1]) in (OrderStatus.IN_PROGRESS, *_FINAL):
        return
    if _started(session, int(local[0])):
        return
    session.execute(delete(Order).where(Order.id == local[0]))
    if local[2] is not None:
        session.execute(delete(ShipTo).where(ShipTo.id == local[2]))


def _started(session: Session, order_id: int) -> bool:
    return bool(session.scalar(select(exists().where(PackSession.order_id == order_id))))


def _header(record: OrderRecord, status: OrderStatus) -> dict[str, object]:
    return {
        "tote": record.tote,
        "channel": record.channel,
        "priority": record.priority,
        "status": status,
        "ship_method": record.ship_method,
        "gift_note": record.gift_note,
        "currency": record.currency,
        "carrier": record.carrier,
        "tracking_number": record.tracking_number,
        "site": record.site,
        "updated_at": utcnow(),
    }


def _ship_to(session: Session, record: OrderRecord) -> int | None:
    if record.ship_to is None:
        return None
    return int(
        session.execute(
            insert(ShipTo).values(**record.ship_to.model_dump()).returning(ShipTo.id)
        ).scalar_one()
    )


def _insert(session: Session, record: OrderRecord, status: OrderStatus) -> None:
    order_id = session.execute(
        insert(Order)
        .values(
            number=record.number,
            ship_to_id=_ship_to(session, record),
            created_at=utcnow(),
            **_header(record, status),
        )
        .returning(Order.id)
    ).scalar_one()
    _lines(session, int(order_id), record)


def _replace(
    session: Session,
    order_id: int,
    old_ship_to: int | None,
    record: OrderRecord,
    status: OrderStatus,
) -> None:
    session.execute(delete(OrderLine).where(OrderLine.order_id == order_id))
    session.execute(delete(CustomsLine).where(CustomsLine.order_id == order_id))
    session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(ship_to_id=_ship_to(session, record), **_header(record, status))
    )
    if old_ship_to is not None:
        # The replaced address is personal data nobody points at any more.
        session.execute(delete(ShipTo).where(ShipTo.id == old_ship_to))
    _lines(session, order_id, record)


def _lines(session: Session, order_id: int, record: OrderRecord) -> None:
    for line in record.lines:
        session.execute(
            insert(OrderLine).values(
                order_id=order_id,
                line_no=line.line_no,
                product_id=ensure_product(session, line.sku),
                quantity=line.quantity,
            )
        )
    for customs in record.customs_lines:
        session.execute(insert(CustomsLine).values(order_id=order_id, **customs.model_dump()))
