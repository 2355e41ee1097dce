"""Finding the order whose evidence is wanted, on the database worker. No Qt widgets.

An order number (typed or scanned from a packing slip) opens its record; otherwise the
returns bench's lookup is asked (tracking number, customer name), since a dispute usually
starts with one of those. Several orders: the person chooses. A badge signs its owner in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.barcodes import Interpreter, ScanKind
from station.db import Database
from station.returns.lookup import OrderMatch, lookup
from ui.evidence.document import EvidenceView, load_evidence


@dataclass(frozen=True)
class Found:
    """What a search found: a record, orders to choose from, a badge, or nothing."""

    text: str
    view: EvidenceView | None = None
    orders: tuple[OrderMatch, ...] = ()
    badge: bool = False


def find_evidence(db: Database, interpreter: Interpreter, photo_dir: Path, text: str) -> Found:
    """The evidence ``text`` leads to (worker thread)."""
    interp = interpreter.interpret(text)
    if interp.kind is ScanKind.BADGE:
        return Found(text, badge=True)
    key = (interp.value or interp.data).strip()
    view = load_evidence(db, key, photo_dir)
    if view is not None:
        return Found(key, view)
    orders = lookup(db, key).orders
    if len(orders) == 1:
        return Found(key, load_evidence(db, orders[0].number, photo_dir))
    return Found(key, orders=orders)
