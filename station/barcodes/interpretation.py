"""What a scan means: its kind, the bench commands, and the stored :class:`Interpretation`."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field

GS = "\x1d"
"""ASCII group separator: the FNC1 field separator of GS1 barcodes as scanners transmit it."""


class ScanKind(enum.StrEnum):
    """What kind of thing a scan identifies."""

    PRODUCT = "product"
    SSCC = "sscc"
    ORDER = "order"
    TOTE = "tote"
    BOX_TYPE = "box_type"
    BADGE = "badge"
    COMMAND = "command"
    QUANTITY = "quantity"
    # A code with no GS1 meaning; it may still be a product's own (non-GTIN) barcode.
    OTHER = "other"
    EMPTY = "empty"


class Command(enum.StrEnum):
    """Commands printed as barcodes on the bench, so a packer need not touch the keyboard."""

    COMPLETE = "complete"
    UNDO = "undo"
    NEW_BOX = "new_box"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    SHORT_SHIP = "short_ship"
    DAMAGED = "damaged"
    CONFIRM_INSTRUCTION = "confirm_instruction"  # the packer followed the SKU's instructions
    INSERTS_ADDED = "inserts_added"  # every insert the package calls for is in it


@dataclass(frozen=True)
class Interpretation:
    """The meaning of one scan. Stored (as :meth:`to_json`) with every scan in the database."""

    raw: str
    """Exactly as received."""
    data: str
    """``raw`` less the AIM prefix, the GS placeholder replaced by GS, surrounding white space
    (the CR/LF/Tab suffix, a stray leading or trailing GS) stripped."""
    kind: ScanKind
    symbology: str | None = None
    """AIM symbology identifier such as ``]C1``, ``]d2``, ``]E0``; None if the scanner sent none."""
    gtin: str | None = None
    """GTIN-14 form of the item's GTIN."""
    lookup_keys: tuple[str, ...] = ()
    """Keys to look a product barcode up with, best first: GTIN-14 forms, then ``data``."""
    sscc: str | None = None
    serial: str | None = None
    """GS1 AI (21)."""
    lot: str | None = None
    """GS1 AI (10)."""
    expiry: datetime.date | None = None
    """GS1 AI (17); day 00 already resolved to the month's last day."""
    net_weight_g: float | None = None
    """GS1 AI (310n) in kg or (320n) in lb, converted to grams."""
    # A dict is not hashable: leave it out of the hash so an Interpretation still is.
    ai: dict[str, str] = field(default_factory=dict, hash=False)
    """Every GS1 element string, AI -> value."""
    value: str | None = None
    """ORDER/TOTE/BOX_TYPE/BADGE: the matched text; COMMAND: the command's name."""
    command: Command | None = None
    quantity: int | None = None
    error: str | None = None
    """Why a scan is OTHER/EMPTY, or what is wrong with a broken GS1 string."""

    def to_json(self) -> dict[str, object]:
        """A JSON-serialisable dict: dates as ISO strings, enums as their values."""
        return {
            "raw": self.raw,
            "data": self.data,
            "kind": self.kind.value,
            "symbology": self.symbology,
            "gtin": self.gtin,
            "lookup_keys": list(self.lookup_keys),
            "sscc": self.sscc,
            "serial": self.serial,
            "lot": self.lot,
            "expiry": self.expiry.isoformat() if self.expiry is not None else None,
            "net_weight_g": self.net_weight_g,
            "ai": dict(self.ai),
            "value": self.value,
            "command": self.command.value if self.command is not None else None,
            "quantity": self.quantity,
            "error": self.error,
        }
