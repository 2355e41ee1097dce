"""Shipping rules as data: which service serves a ship method, carrier limits, DIM weight.

Everything here is configuration (the ``[rules]`` table of the carriers file, or the
defaults below), read once; nothing calls a carrier.

DIM weight: imperial carriers (UPS, FedEx: 139 in³/lb; USPS: 166 in³/lb and only above one
cubic foot) round each dimension up to the whole inch and the billed weight up to the whole
pound; metric carriers (DHL: 5000 cm³/kg) round dimensions up to the whole centimetre and the
billed weight up to the next half kilogram. The billed weight is the larger of actual and DIM.
The table is here; the computation is ``station.ship.dim.DimRule``, which stations share (a
station gets its site's part of the table from ``GET /v1/ship/rules``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from station.ship.dim import GRAMS_PER_LB, MM_PER_IN, DimRule

__all__ = ["GRAMS_PER_LB", "MM_PER_IN", "DimRule", "RuleError", "ShippingRules", "parse_rules"]


class RuleError(ValueError):
    """A rule that cannot be applied (no rate meets it, a package beyond a carrier's limits)."""


DEFAULT_DIM = {
    "ups": DimRule(139, imperial=True),
    "fedex": DimRule(139, imperial=True),
    "usps": DimRule(166, imperial=True, min_volume=1728),
    "dhl_express": DimRule(5000, imperial=False),
    "dhl_parcel_de": DimRule(5000, imperial=False),
    "generic": DimRule(5000, imperial=False),
}


@dataclass(frozen=True)
class Limits:
    """What a carrier takes: weight, longest side, and whether hazmat at all."""

    max_weight_g: float
    max_length_mm: float
    hazmat: bool = False


DEFAULT_LIMITS = {
    "usps": Limits(31_751, 1_080),  # 70 lb, 108 in length + girth taken as length here
    "ups": Limits(68_038, 2_740),  # 150 lb, 108 in
    "fedex": Limits(68_038, 2_740),
    "dhl_express": Limits(70_000, 1_200),
    "dhl_parcel_de": Limits(31_500, 1_200),
    "generic": Limits(30_000, 1_200),
}


# Hazardous goods (a package with a hazmat SKU, e.g. UN3481 lithium ion in equipment) go by
# ground only: per carrier, the services that may carry them; a carrier not listed here is
# left to its ``Limits.hazmat``. ``[rules.hazmat_services]`` in the carriers file overrides.
DEFAULT_HAZMAT_SERVICES: dict[str, tuple[str, ...]] = {
    "usps": ("usps_ground_advantage",),
    "ups": ("ups_ground",),
    "fedex": ("fedex_ground", "fedex_home_delivery"),
    "dhl_parcel_de": ("dhl_parcel_de_paket",),
    "dhl_express": (),  # air only
}


@dataclass(frozen=True)
class MethodRule:
    """How a ship method picks among rates: cheapest, within ``max_transit_days`` if set."""

    max_transit_days: int | None = None
    carriers: tuple[str, ...] = ()  # empty: any


DEFAULT_METHODS = {
    "standard": MethodRule(),
    "economy": MethodRule(),
    "express": MethodRule(max_transit_days=2),
    "next_day": MethodRule(max_transit_days=1),
}


@dataclass(frozen=True)
class RateOption:
    """A rate as the rules see it."""

    account: str
    carrier: str
    service: str
    price: float
    transit_days: int | None


@dataclass(frozen=True)
class ShippingRules:
    """The rules of one hub."""

    dim: Mapping[str, DimRule] = field(default_factory=lambda: dict(DEFAULT_DIM))
    limits: Mapping[str, Limits] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    methods: Mapping[str, MethodRule] = field(default_factory=lambda: dict(DEFAULT_METHODS))
    hazmat_services: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_HAZMAT_SERVICES)
    )

    def carries_hazmat(self, carrier: str, service: str) -> bool:
        """True if ``service`` of ``carrier`` may carry hazardous goods (ground only): the
        service code is, or starts with, one listed for the carrier."""
        allowed = self.hazmat_services.get(carrier)
        if allowed is None:
            return True
        return any(service == s or service.startswith(f"{s}_") for s in allowed)

    def limit_problem(
        self, carrier: str, weight_g: float, dims_mm: Sequence[float] | None, hazmat: bool
    ) -> str | None:
        """Why ``carrier`` cannot take this package, or None."""
        limit = self.limits.get(carrier)
        if limit is None:
            return None
        if weight_g > limit.max_weight_g:
            return f"{weight_g:.0f} g is over {carrier}'s {limit.max_weight_g:.0f} g"
        if dims_mm and max(dims_mm) > limit.max_length_mm:
            return f"a {max(dims_mm):.0f} mm side is over {carrier}'s {limit.max_length_mm:.0f} mm"
        if hazmat and not limit.hazmat:
            return f"{carrier} takes no hazardous goods on this account"
        return None

    def choose(
        self, ship_method: str, rates: Sequence[RateOption], *, hazmat: bool = False
    ) -> RateOption:
        """The rate the ship method's rule picks: the cheapest that meets its promise (and,
        for ``hazmat``, a service that may carry it)."""
        rule = self.methods.get(ship_method) or self.methods.get("standard") or MethodRule()
        if hazmat:
            rates = [r for r in rates if self.carries_hazmat(r.carrier, r.service)]
            if not rates:
                raise RuleError("no ground service offered for hazardous goods")
        fitting = [
            r
            for r in rates
            if (not rule.carriers or r.carrier in rule.carriers)
            and (
                rule.max_transit_days is None
                or (r.transit_days is not None and r.transit_days <= rule.max_transit_days)
            )
        ]
        if not fitting:
            raise RuleError(
                f"no rate meets ship method {ship_method!r}"
                + (f" (within {rule.max_transit_days} day(s))" if rule.max_transit_days else "")
            )
        return min(fitting, key=lambda r: (r.price, r.transit_days or 99))


def parse_rules(data: Mapping[str, Any]) -> ShippingRules:
    """Rules from the ``[rules]`` table (anything left out keeps its default)."""
    table = data.get("rules", {})
    if not isinstance(table, dict):
        raise RuleError("rules: expected a table")
    dim = dict(DEFAULT_DIM)
    limits = dict(DEFAULT_LIMITS)
    methods = dict(DEFAULT_METHODS)
    hazmat_services = dict(DEFAULT_HAZMAT_SERVICES)
    try:
        for carrier, services in table.get("hazmat_services", {}).items():
            if not isinstance(services, list):
                raise TypeError(f"hazmat_services.{carrier}: expected a list of services")
            hazmat_services[carrier] = tuple(str(s) for s in services)
        for carrier, t in table.get("dim", {}).items():
            dim[carrier] = DimRule(
                float(t["divisor"]), bool(t.get("imperial", False)), float(t.get("min_volume", 0))
            )
        for carrier, t in table.get("limits", {}).items():
            limits[carrier] = Limits(
                float(t["max_weight_g"]), float(t["max_length_mm"]), bool(t.get("hazmat", False))
            )
        for method, t in table.get("ship_methods", {}).items():
            days = t.get("max_transit_days")
            methods[method] = MethodRule(
                int(days) if days is not None else None, tuple(t.get("carriers", ()))
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RuleError(f"rules: {exc!r} in the rules table") from None
    return ShippingRules(dim, limits, methods, hazmat_services)
