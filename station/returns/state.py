"""In-memory state of an open inspection, and the verdict of a returned product. Pure.

The service reads this back from the database after every transaction (``journal.load``),
so what the screen shows is exactly what is stored, even after a restart.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


class ItemVerdict(enum.StrEnum):
    """What a returned unit is, measured against the RMA and the order."""

    EXPECTED = "expected"
    NOT_IN_RETURN = "not_in_return"  # in the order, but the RMA did not announce it
    NOT_FROM_ORDER = "not_from_order"  # a product of ours the order never had (or had fewer)
    UNKNOWN = "unknown"  # no product of the catalog


@dataclass(frozen=True)
class ExpectedLine:
    """A line of the RMA: what the customer said they send back, and why."""

    rma_item_id: int
    product_id: int | None
    sku: str
    quantity: int
    reason: str


@dataclass(frozen=True)
class ItemView:
    """One returned unit as the screen lists it."""

    id: int
    sku: str | None
    name: str | None
    verdict: str
    status: str
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    fraud: bool = False
    fraud_reason: str | None = None
    customer_reason: str | None = None
    observed_reason: str | None = None
    grade: str | None = None
    disposition: str | None = None
    refund: str | None = None
    refund_pct: int | None = None
    rule: str | None = None
    photos: int = 0
    product_id: int | None = None
    rma_item_id: int | None = None
    # The stored checklist answers (None until graded): a screen shows them, not its own copy.
    checklist: dict[str, bool | None] | None = None
    hold_reason: str | None = None  # set aside (status held): why

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (CLI, events)."""
        hidden = ("product_id", "rma_item_id", "checklist")
        out = {k: v for k, v in vars(self).items() if k not in hidden}
        out["expiry"] = self.expiry.isoformat() if self.expiry else None
        return out


@dataclass(frozen=True)
class Classified:
    """The verdict of a product scan, and the lines it counts against."""

    verdict: ItemVerdict
    rma_item_id: int | None = None
    order_line_id: int | None = None
    reason: str | None = None  # the customer's stated reason (from the RMA line)
    detail: str = ""


@dataclass
class InspectionState:
    """An open inspection: its RMA, the order's lines and the units received so far."""

    inspection_id: int
    rma_id: int
    rma_number: str
    order_id: int | None
    order_number: str | None
    sale_date: date | None
    expected: list[ExpectedLine]
    # product id -> (order line id, units shipped); kit components count per kit.
    shipped: dict[int, tuple[int, int]]
    # product id -> units of it already returned by earlier inspections of the order.
    returned_before: dict[int, int]
    items: list[ItemView] = field(default_factory=list)
    pending: dict[str, object] | None = None

    def live_items(self) -> list[ItemView]:
        """Items not taken back."""
        return [i for i in self.items if i.status != "undone"]

    def classify(self, product_id: int) -> Classified:
        """The verdict of one more unit of ``product_id`` arriving in this parcel."""
        live = self.live_items()
        for line in self.expected:
            if line.product_id != product_id:
                continue
            got = sum(1 for i in live if i.rma_item_id == line.rma_item_id)
            if got < line.quantity:
                return Classified(ItemVerdict.EXPECTED, line.rma_item_id, None, line.reason)
        shipped = self.shipped.get(product_id)
        if shipped is None:
            return Classified(ItemVerdict.NOT_FROM_ORDER, detail="not in the order")
        line_id, quantity = shipped
        back = self.returned_before.get(product_id, 0) + sum(
            1
            for i in live
            if i.product_id == product_id
            and i.verdict in (ItemVerdict.EXPECTED, ItemVerdict.NOT_IN_RETURN)
        )
        if back >= quantity:
            detail = f"the order had {quantity}, {back} already came back"
            return Classified(ItemVerdict.NOT_FROM_ORDER, detail=detail)
        return Classified(ItemVerdict.NOT_IN_RETURN, None, line_id, detail="not in this RMA")

    def outstanding(self) -> list[tuple[ExpectedLine, int]]:
        """RMA lines not fully received, with how many units are still missing."""
        live = self.live_items()
        out = []
        for line in self.expected:
            got = sum(1 for i in live if i.rma_item_id == line.rma_item_id)
            if got < line.quantity:
                out.append((line, line.quantity - got))
        return out

    def item(self, item_id: int) -> ItemView:
        """The unit with this id (KeyError if it is not in this inspection)."""
        for found in self.items:
            if found.id == item_id:
                return found
        raise KeyError(item_id)
