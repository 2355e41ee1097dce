"""Hazmat at the bench (issue 18, point 4): the UN number a product carries (catalog column
``hazmat``), shown when it is scanned and for the open order, in words a packer knows.

The shipping label's mark comes from the same column (``station.labels.context``), the hub's
service rules keep such packages off services that may not carry them
(``station.hub.shipping.rules``), and the evidence record notes it (``station.evidence``).
"""

from __future__ import annotations

from dataclasses import dataclass

from station.packing.journal import Journal

# The UN numbers e-commerce meets most, with their proper shipping names (abridged); any
# other is shown as its number with "dangerous goods".
UN_NAMES = {
    "UN3480": "Lithium ion batteries",
    "UN3481": "Lithium ion batteries in or with equipment",
    "UN3090": "Lithium metal batteries",
    "UN3091": "Lithium metal batteries in or with equipment",
    "UN1266": "Perfumery products",
    "UN1845": "Dry ice",
    "UN1950": "Aerosols",
}
# The lithium battery mark (the battery handling mark of ADR 5.2.1.9 / IATA 7.1.5.5).
LITHIUM = frozenset({"UN3480", "UN3481", "UN3090", "UN3091"})


def hazmat_name(un: str) -> str:
    """The proper shipping name of a UN number, or "dangerous goods"."""
    return UN_NAMES.get(un, "dangerous goods")


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
