"""Rates offered to the packer: the rates of an order's packages as one numbered list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from station.ship.protocol import Rate, RatesResponse


@dataclass(frozen=True)
class RateOffer:
    """The rates offered for one order (summed over its packages), numbered from 1."""

    order_number: str
    packages: int
    rates: tuple[Rate, ...]
    rule: int | None  # the number of the rate the rule would buy, if the hub named one
    deadline: float  # wall-clock seconds (time.time) when the rule's choice is bought
    problems: tuple[str, ...] = ()  # accounts that gave no rate, and why

    def rate(self, number: int) -> Rate | None:
        """Rate ``number`` (1-based) as shown, or None."""
        return self.rates[number - 1] if 1 <= number <= len(self.rates) else None


def combine(order_number: str, answers: Sequence[RatesResponse], deadline: float) -> RateOffer:
    """One offer from the rates of each package: a service every package can go with, its
    price, actual and billed weight summed, its days the slowest; cheapest first."""
    keyed: list[dict[tuple[str, str], Rate]] = [
        {(r.account, r.service): r for r in answer.rates} for answer in answers
    ]
    common = set(keyed[0]) if keyed else set()
    for rates in keyed[1:]:
        common &= set(rates)
    combined: list[Rate] = []
    for key in common:
        parts = [rates[key] for rates in keyed]
        days = [r.transit_days for r in parts]
        combined.append(
            parts[0].model_copy(
                update={
                    "price": round(sum(r.price for r in parts), 2),
                    "actual_weight_g": sum(r.actual_weight_g for r in parts),
                    "dim_weight_g": sum(r.dim_weight_g for r in parts),
                    "billed_weight_g": sum(r.billed_weight_g for r in parts),
                    "transit_days": None if None in days else max(d or 0 for d in days),
                }
            )
        )
    combined.sort(key=lambda r: (r.price, r.transit_days or 99, r.account, r.service))
    rule = None
    chosen = answers[0].chosen if answers else None
    if chosen is not None:
        for number, rate in enumerate(combined, 1):
            if (rate.account, rate.service) == (chosen.account, chosen.service):
                rule = number
    problems = tuple(
        dict.fromkeys(f"{p.account}: {p.message}" for answer in answers for p in answer.problems)
    )
    return RateOffer(order_number, len(answers), tuple(combined), rule, deadline, problems)
