"""Customs declarations: when one applies, and CN22 or CN23.

UPU rules: CN22 for items up to 2 kg gross and a value limit; CN23 above either. The limits
are ``[labels] cn22_max_weight_g`` and ``cn22_max_value`` (in the order's currency), both
inclusive. A weight nobody knows gives CN23: it is accepted for any item, whereas a CN22 on
an item that needed a CN23 gets the parcel held.
"""

from __future__ import annotations

from typing import Literal

from station.config import LabelSettings

Form = Literal["CN22", "CN23"]


def customs_form(gross_weight_g: float | None, value: float, labels: LabelSettings) -> Form:
    """CN22 up to and including both limits, CN23 above either (or weight unknown)."""
    if gross_weight_g is None:
        return "CN23"
    if gross_weight_g > labels.cn22_max_weight_g or value > labels.cn22_max_value:
        return "CN23"
    return "CN22"


def is_domestic(ship_to_country: str | None, sender_country: str, customs_lines: int) -> bool:
    """Domestic: shipped within the sender's country with nothing declared for customs."""
    same = (ship_to_country or "").strip().upper() == sender_country.strip().upper()
    return same and customs_lines == 0
