"""DIM weight: how a carrier bills a package's size, shared by the hub and the stations.

The hub holds the table (``station.hub.shipping.rules``: each carrier's divisor and rounding,
from its carriers file) and hands a station its site's part (``GET /v1/ship/rules``); both
compute with :class:`DimRule`, so the hub's rates and the station's box suggestion agree.

Imperial carriers (UPS, FedEx: 139 in³/lb; USPS: 166 in³/lb and only above one cubic foot)
round each dimension up to the whole inch and the billed weight up to the whole pound; metric
carriers (DHL: 5000 cm³/kg) round dimensions up to the whole centimetre and the billed weight
up to the next half kilogram. The billed weight is the larger of actual and DIM.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

GRAMS_PER_LB = 453.59237
MM_PER_IN = 25.4
# The station keeps its site's rules, as the hub last sent them, in its settings table.
SETTING = "ship.dim_rules"


@dataclass(frozen=True)
class DimRule:
    """How one carrier computes the billed weight."""

    divisor: float  # in³/lb (imperial) or cm³/kg (metric)
    imperial: bool
    min_volume: float = 0.0  # in³ or cm³ below which DIM weight does not apply

    def dim_weight_g(self, dims_mm: Sequence[float]) -> float:
        """DIM weight in grams of a box, its sides rounded up the carrier's way."""
        if self.imperial:
            sides = [math.ceil(d / MM_PER_IN - 1e-9) for d in dims_mm]
            volume = float(math.prod(sides))
            if volume <= self.min_volume:
                return 0.0
            return volume / self.divisor * GRAMS_PER_LB
        sides = [math.ceil(d / 10 - 1e-9) for d in dims_mm]
        volume = float(math.prod(sides))
        if volume <= self.min_volume:
            return 0.0
        return volume / self.divisor * 1000

    def billed_weight_g(self, actual_g: float, dims_mm: Sequence[float] | None) -> float:
        """max(actual, DIM), rounded up to the whole pound or the next half kilogram."""
        weight = max(actual_g, self.dim_weight_g(dims_mm) if dims_mm else 0.0)
        if self.imperial:
            return math.ceil(weight / GRAMS_PER_LB - 1e-9) * GRAMS_PER_LB
        return math.ceil(weight / 500 - 1e-9) * 500.0


def rules_json(rules: Mapping[str, DimRule]) -> str:
    """The rules as kept in the station's settings table."""
    return json.dumps({carrier: asdict(rule) for carrier, rule in sorted(rules.items())})


def parse_rules_json(text: str) -> dict[str, DimRule]:
    """Rules kept by :func:`rules_json`; anything unreadable is left out (ValueError never
    reaches the packer: the box suggestion then goes by volume)."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    rules: dict[str, DimRule] = {}
    if not isinstance(data, dict):
        return rules
    for carrier, item in data.items():
        try:
            rule = DimRule(
                float(item["divisor"]), bool(item["imperial"]), float(item.get("min_volume", 0))
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        if rule.divisor > 0 and math.isfinite(rule.divisor):
            rules[str(carrier)] = rule
    return rules
