"""The default grade scale, checklist, reasons and disposition rules of ``[returns]``.

Data, not code: a site replaces any of them in its TOML file (see ``station.config.returns``).
"""

from __future__ import annotations

from station.config.returns_model import ChecklistQuestion, DispositionRule, Grade

DISPOSITIONS = (
    "restock",
    "refurbish",
    "resell_open_box",
    "liquidate",
    "recycle",
    "return_to_vendor",
    "quarantine",
)
REFUNDS = ("full", "partial", "none")

CHECKLIST = (
    ChecklistQuestion("packaging_intact", "Original packaging intact and sealed?"),
    ChecklistQuestion("accessories", "All accessories and parts present?"),
    ChecklistQuestion("functions", "Does it work (powers on, zips, closes)?"),
    ChecklistQuestion("cosmetic_damage", "Scratches, stains, dents or other cosmetic damage?"),
    ChecklistQuestion("hygiene_seal", "Hygiene seal intact?"),
)

_SOUND = (("functions", True), ("hygiene_seal", True))
_CLEAN = (*_SOUND, ("cosmetic_damage", False))
# Best first; the first grade whose answers all hold is the grade. An answer of "not
# applicable" satisfies any requirement (a mug has no hygiene seal). The last grade is the
# fallback and requires nothing.
GRADES = (
    Grade("A", "new / sealed", (("packaging_intact", True), ("accessories", True), *_CLEAN)),
    Grade("B", "like new / opened", (("accessories", True), *_CLEAN)),
    Grade("C", "used, good", _CLEAN),
    Grade("D", "damaged", _SOUND),
    Grade("F", "unsellable", ()),
)

REASONS = (
    "changed_mind",
    "wrong_size",
    "defective",
    "damaged_in_transit",
    "not_as_described",
    "wrong_item_sent",
    "arrived_late",
    "no_fault_found",
    "other",
)
# An observed reason in this list is the seller's fault: the refund is full whatever the grade.
FAULT_REASONS = ("defective", "damaged_in_transit", "not_as_described", "wrong_item_sent")

# First match wins; an item no rule matches gets the default disposition and no refund.
RULES = (
    DispositionRule("sealed", "restock", "full", grades=("A",)),
    DispositionRule(
        "opened-electronics", "resell_open_box", "partial", 85, ("B",), ("electronics",)
    ),
    DispositionRule("opened", "restock", "full", grades=("B",)),
    DispositionRule("used-valuable", "refurbish", "partial", 70, ("C",), min_value=50.0),
    DispositionRule("used", "liquidate", "partial", 50, ("C",)),
    DispositionRule(
        "damaged-under-warranty",
        "return_to_vendor",
        "partial",
        50,
        ("D",),
        ("electronics",),
        max_days=90,
    ),
    DispositionRule("damaged-valuable", "refurbish", "partial", 30, ("D",), min_value=30.0),
    DispositionRule("damaged", "liquidate", "none", grades=("D",)),
    DispositionRule(
        "unsellable-hazardous", "recycle", "none", grades=("F",), categories=("health", "food")
    ),
    DispositionRule("unsellable", "recycle", "none", grades=("F",)),
)

DESTINATIONS = {
    "restock": "Stock",
    "refurbish": "Refurbishment",
    "resell_open_box": "Open-box shelf",
    "liquidate": "Liquidation cage",
    "recycle": "Recycling",
    "return_to_vendor": "RTV cage",
    "quarantine": "Quarantine",
}
