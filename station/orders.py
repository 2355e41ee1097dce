"""Order look-ups: the list a bench shows and finding an order by its number or tote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from station.db.models import Order, OrderLine, OrderStatus

# Orders whose tote still means them: a tote is reused once its order is packed.
ACTIVE_STATUSES = (OrderStatus.IN_PROGRESS, OrderStatus.OPEN, OrderStatus.ON_HOLD)
# An IN list per query stays far below SQLite's bound-variable limit.
_CHUNK = 5000


@dataclass(slots=True)
class OrderSummary:
    """One order as a list shows it: header fields and the size of its lines."""

    id: int
    number: str
    status: str  # an OrderStatus value ("open", "on_hold", ...)
    channel: str
    priority: int
    tote: str | None
    ship_method: str
    created_at: datetime
    lines: int  # number of order lines
    units: int  # sum of the lines' quantities

    def as_dict(self) -> dict[str, object]:
        """The summary as JSON-ready values."""
        return {
            "number": self.number,
            "status": self.status,
            "lines": self.lines,
            "units": self.units,
            "channel": self.channel,
            "priority": self.priority,
            "tote": self.tote,
            "ship_method": self.ship_method,
            # Stored times are UTC; SQLite hands them back without the zone, so add it.
            "created_at": (
                self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
            ).isoformat(),
        }


def list_orders(
    session: Session, status: OrderStatus | str | None = None, limit: int = 50
) -> list[OrderSummary]:
    """Up to ``limit`` orders (of ``status`` if given), most urgent first.

    Most urgent means highest priority, then oldest (lowest id): the order the bench should
    pack next comes first. Line counts are taken only for the orders listed, so the cost does
    not grow with the size of the order book.
    """
    if limit < 0:
        raise ValueError("limit cannot be negative")
    query = select(
        Order.id,
        Order.number,
        Order.status,
        Order.channel,
        Order.priority,
        Order.tote,
        Order.ship_method,
        Order.created_at,
    )
    if status is not None:
        query = query.where(Order.status == OrderStatus(status))
    rows = session.execute(query.order_by(Order.priority.desc(), Order.id).limit(limit)).all()
    sizes: dict[int, tuple[int, int]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        for order_id, lines, units in session.execute(
            select(OrderLine.order_id, func.count(), func.coalesce(func.sum(OrderLine.quantity), 0))
            .where(OrderLine.order_id.in_(part))
            .group_by(OrderLine.order_id)
        ):
            sizes[order_id] = (int(lines), int(units))
    return [
        OrderSummary(
            id=row.id,
            number=row.number,
            status=OrderStatus(row.status).value,
            channel=row.channel,
            priority=row.priority,
            tote=row.tote,
            ship_method=row.ship_method,
            created_at=row.created_at,
            lines=sizes.get(row.id, (0, 0))[0],
            units=sizes.get(row.id, (0, 0))[1],
        )
        for row in rows
    ]


def find_order(session: Session, number_or_tote: str) -> Order | None:
    """The order with this number, else the order in this tote; None if neither.

    A tote is reused once its order is packed, so several orders may have held it: the one
    still to be packed (in progress, open or on hold) wins, and among equals the newest.
    """
    code = number_or_tote.strip()
    if not code:
        return None
    order = session.scalar(select(Order).where(Order.number == code))
    if order is not None:
        return order
    still_to_pack = case((Order.status.in_(ACTIVE_STATUSES), 0), else_=1)
    return session.scalar(
        select(Order).where(Order.tote == code).order_by(still_to_pack, Order.id.desc()).limit(1)
    )
