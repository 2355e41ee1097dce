"""Find the RMA of a parcel: by RMA barcode, return label, tracking or order number, or name.

The first kind of key that matches wins, most specific first, so a scanned return label
never turns into a fuzzy name search. Orders are returned beside RMAs so that a parcel that
came without an RMA can get one at the bench.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from station.db import Database
from station.db.engine import reader

_RMA = (
    "SELECT r.id, r.number, r.status, r.source, r.order_number,"
    " (SELECT coalesce(sum(quantity), 0) FROM rma_items i WHERE i.rma_id = r.id) FROM rmas r"
)
_ORDER = (
    "SELECT o.id, o.number, o.status, s.customer_name, o.tracking_number FROM orders o"
    " LEFT JOIN ship_to s ON s.id = o.ship_to_id"
)


@dataclass(frozen=True)
class RmaMatch:
    """An RMA that answers the search."""

    id: int
    number: str
    status: str
    source: str
    order_number: str | None
    units: int


@dataclass(frozen=True)
class OrderMatch:
    """An order that answers the search (with or without an RMA)."""

    id: int
    number: str
    status: str
    customer_name: str | None
    tracking_number: str | None


@dataclass(frozen=True)
class Lookup:
    """What a search found, and by which key."""

    by: str  # rma, label, order, tracking, customer or "" when nothing matched
    rmas: tuple[RmaMatch, ...] = ()
    orders: tuple[OrderMatch, ...] = ()


def _rmas(cur: sqlite3.Cursor, where: str, args: tuple[object, ...]) -> tuple[RmaMatch, ...]:
    rows = cur.execute(f"{_RMA} WHERE {where} ORDER BY r.id DESC LIMIT 50", args).fetchall()
    return tuple(RmaMatch(*row) for row in rows)


def _orders(cur: sqlite3.Cursor, where: str, args: tuple[object, ...]) -> tuple[OrderMatch, ...]:
    rows = cur.execute(f"{_ORDER} WHERE {where} ORDER BY o.id DESC LIMIT 20", args).fetchall()
    return tuple(OrderMatch(*row) for row in rows)


def _of_orders(cur: sqlite3.Cursor, orders: tuple[OrderMatch, ...]) -> tuple[RmaMatch, ...]:
    if not orders:
        return ()
    ids = tuple(o.id for o in orders)
    numbers = tuple(o.number for o in orders)
    marks_i, marks_n = ",".join("?" * len(ids)), ",".join("?" * len(numbers))
    return _rmas(cur, f"r.order_id IN ({marks_i}) OR r.order_number IN ({marks_n})", ids + numbers)


def find(cur: sqlite3.Cursor, text: str) -> Lookup:
    """The RMAs (and orders) that ``text`` names; ``by`` says which key matched."""
    key = text.strip()
    if not key:
        return Lookup("")
    rmas = _rmas(cur, "r.number = ?", (key,))
    if rmas:
        return Lookup("rma", rmas, _orders(cur, "o.number = ?", (rmas[0].order_number,)))
    rmas = _rmas(cur, "r.return_label = ? OR r.tracking_number = ?", (key, key))
    if rmas:
        return Lookup("label", rmas, _orders(cur, "o.number = ?", (rmas[0].order_number,)))
    for by, column in (("order", "o.number"), ("tracking", "o.tracking_number")):
        orders = _orders(cur, f"{column} = ?", (key,))
        if orders:
            return Lookup(by, _of_orders(cur, orders), orders)
    if len(key) >= 3:
        # A person's name: a substring, any case. A scan of ship_to, but only when every
        # indexed key missed, and a bench types a name a few times a day.
        pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        orders = _orders(cur, "s.customer_name LIKE ? ESCAPE '\\'", (pattern,))
        if orders:
            return Lookup("customer", _of_orders(cur, orders), orders)
    return Lookup("")


def lookup(db: Database, text: str) -> Lookup:
    """:func:`find` on a read-only transaction of its own (for the screen's search box)."""
    with reader(db.engine).connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        cur = raw.cursor()
        try:
            return find(cur, text)
        finally:
            cur.close()
            conn.rollback()
