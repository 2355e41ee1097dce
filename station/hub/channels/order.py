"""A shop's order as the hub takes it in, whatever the shop: the common shape of the mappers."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ChannelLine:
    """One ordered line: by SKU, or by barcode when the shop has no SKU for it."""

    sku: str | None
    barcode: str | None
    quantity: int
    unit_value: float | None = None


@dataclass(slots=True)
class ChannelOrder:
    """An order read from a shop, before the catalog has been consulted.

    ``header`` holds the importer's order columns (``station hub import orders``' JSON format,
    without ``order_number`` and ``lines``); ``remote_refs`` what is needed to send tracking
    back (Shopify: fulfilment order ids; WooCommerce: the order id).
    """

    remote_id: str
    number: str
    status: str  # open | on_hold | cancelled
    header: dict[str, Any]
    lines: list[ChannelLine]
    remote_refs: list[str] = field(default_factory=list)

    def content_sha256(self) -> str:
        """A digest of what the shop says, to tell an edit from the same order sent again."""
        raw = json.dumps(
            {
                "status": self.status,
                "header": self.header,
                # A barcode only where there is no SKU: a webhook's line has none, a poll's
                # may have one, and the same order must digest the same either way.
                "lines": [
                    [ln.sku or f"barcode:{ln.barcode}", ln.quantity, ln.unit_value]
                    for ln in self.lines
                ],
            },
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(raw.encode()).hexdigest()


class MappingError(ValueError):
    """A shop's order that cannot be read as an order; the message names the order id."""
