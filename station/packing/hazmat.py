"""Hazmat at the bench (issue 18, point 4): the UN number a product carries (catalog column
``hazmat``), shown when it is scanned and for the open order, in words a packer knows.

The shipping label's mark comes from the same column (``station.labels.context``), the hub's
service rules keep such packages off services that may not carry them
(``station.hub.shipping.rules``), and the evidence record notes it (``station.evidence``).
"""

from __future__ import annotations

from dataclasses import dataclass

from station.dangerous_goods import LITHIUM, hazmat_name
from station.packing.journal import Journal


@dataclass(frozen=True)
class HazmatMark:
    """A product's hazmat class as the bench shows it."""

    sku: str
    un: str

    @property
    def name(self) -> str:
        """The proper shipping name (abridged)."""
        return hazmat_name(self.un)

    @property
    def lithium(self) -> bool:
        """True for lithium batteries: the label carries the battery mark."""
        return self.un in LITHIUM

    def text(self) -> str:
        """One line for the screen: ``UN3481 Lithium ion batteries in or with equipment``."""
        return f"{self.un} {self.name}"


class HazmatRules:
    """Reads which products of a scan or of the open order are hazmat."""

    def of_product(self, j: Journal, product_id: int) -> HazmatMark | None:
        """The mark of one product, or None."""
        row = j.cur.execute(
            "SELECT sku, hazmat FROM products WHERE id = ? AND hazmat IS NOT NULL", (product_id,)
        ).fetchone()
        return None if row is None else HazmatMark(str(row[0]), str(row[1]))

    def of_order(self, j: Journal, order_id: int) -> list[HazmatMark]:
        """The marks of the order's products (a kit's components included), by SKU."""
        rows = j.cur.execute(
            "SELECT DISTINCT p.sku, p.hazmat FROM order_lines l"
            " LEFT JOIN kit_components k ON k.kit_id = l.product_id"
            " JOIN products p ON p.id IN (l.product_id, k.component_id)"
            " WHERE l.order_id = ? AND p.hazmat IS NOT NULL ORDER BY p.sku",
            (order_id,),
        ).fetchall()
        return [HazmatMark(str(sku), str(un)) for sku, un in rows]
