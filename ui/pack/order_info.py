"""What the order header shows, read once when an order opens (on the database worker).

A read model, not a rule: channel, priority, ship method and gift note are the order's own
fields. The one judgement, "cross-border", is the same test the label rules make (shipped
out of the sender's country, or customs lines to declare); it belongs in ``station.orders``
and moves there once that module is free to change, so the header and the labels cannot
disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.orders import find_order


@dataclass(frozen=True)
class OrderInfo:
    """The header of one order."""

    number: str
    channel: str
    priority: int  # 0 standard, 1 express, 2 and up next day / urgent
    ship_method: str
    gift: bool
    gift_note: str
    cross_border: bool
    country: str  # the ship-to country code, "" when the order has no address
    tote: str | None = None


def is_cross_border(country: str, sender_country: str, customs_lines: int) -> bool:
    """True when the parcel leaves the sender's country or has anything to declare."""
    abroad = bool(country) and country.strip().upper() != sender_country.strip().upper()
    return abroad or customs_lines > 0


def load_order_info(db: Database, number: str, sender_country: str) -> OrderInfo | None:
    """The header of order ``number``; None if it is not in the database."""
    with Session(reader(db.engine)) as session:
        order = find_order(session, number)
        if order is None:
            return None
        country = order.ship_to.country if order.ship_to is not None else ""
        return OrderInfo(
            number=order.number,
            channel=order.channel,
            priority=order.priority,
            ship_method=order.ship_method,
            gift=bool(order.gift_note and order.gift_note.strip()),
            gift_note=(order.gift_note or "").strip(),
            cross_border=is_cross_border(country, sender_country, len(order.customs_lines)),
            country=country,
            tote=order.tote,
        )
