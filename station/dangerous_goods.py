"""UN numbers of dangerous goods as the bench, the label and the hub's service rules read
them (issue 18, point 4): proper shipping names and which are lithium batteries.

The lowest layer of ``station``: the pack rules (``station.packing.hazmat``), the labels,
the evidence record and the hub's shipping rules all read it.
"""

from __future__ import annotations

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
# Lithium batteries: the package carries the lithium battery mark (ADR 5.2.1.9, IATA 7.1.5.5).
LITHIUM = frozenset({"UN3480", "UN3481", "UN3090", "UN3091"})
LITHIUM_ION = frozenset({"UN3480", "UN3481"})


def hazmat_name(un: str) -> str:
    """The proper shipping name of a UN number, or "dangerous goods"."""
    return UN_NAMES.get(un, "dangerous goods")


def label_mark(numbers: list[str]) -> str:
    """The label's text block for these UN numbers: ``LITHIUM ION UN3481``, ``UN1845``."""
    lithium = [un for un in numbers if un in LITHIUM]
    words = ""
    if lithium:
        words = "LITHIUM ION" if set(lithium) <= LITHIUM_ION else "LITHIUM"
    return " ".join(part for part in (words, ", ".join(numbers)) if part)
