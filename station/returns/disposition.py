"""Disposition rules and the refund policy: facts about an item in, a recommendation out.

Pure and tested by value. The rules are data (``[returns] rules``, first match wins); the
policy around them is fixed on purpose, because it protects the business rather than grades
stock: a possible fraud, an item that is not from the order, or an unknown item goes to
quarantine with no refund until a person looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.config.returns import ReturnSettings
from station.config.returns_defaults import DISPOSITIONS, REFUNDS

HOLD_VERDICTS = {"not_from_order": "not from this order", "unknown": "unknown item"}


@dataclass(frozen=True)
class ItemFacts:
    """What the rules look at for one returned unit."""

    grade: str
    category: str | None
    value: float | None
    days_since_sale: int | None
    verdict: str = "expected"
    fraud: bool = False
    observed_reason: str | None = None


@dataclass(frozen=True)
class Recommendation:
    """Where the unit goes and what the customer gets back, and why."""

    disposition: str
    refund: str  # full | partial | none
    refund_pct: int
    rule: str
    why: str

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (stored as ``recommended`` when overridden, sent in events)."""
        return {
            "disposition": self.disposition,
            "refund": self.refund,
            "refund_pct": self.refund_pct,
            "rule": self.rule,
            "why": self.why,
        }


def recommend(facts: ItemFacts, settings: ReturnSettings) -> Recommendation:
    """The disposition and refund the configured rules and the refund policy give."""
    if facts.fraud:
        return Recommendation("quarantine", "none", 0, "fraud-hold", "possible fraud: review")
    if facts.verdict in HOLD_VERDICTS:
        why = f"{HOLD_VERDICTS[facts.verdict]}: review"
        return Recommendation("quarantine", "none", 0, "hold", why)
    for rule in settings.rules:
        if rule.matches(facts.grade, facts.category, facts.value, facts.days_since_sale):
            base = Recommendation(
                rule.disposition, rule.refund, rule.percent, rule.name, f"rule {rule.name}"
            )
            return _refund_policy(base, facts, settings)
    return Recommendation(
        settings.default_disposition, "none", 0, "default", "no rule matched: review"
    )


def _refund_policy(
    rec: Recommendation, facts: ItemFacts, settings: ReturnSettings
) -> Recommendation:
    policy = settings.refund
    if facts.observed_reason in policy.fault_reasons:
        why = f"{rec.why}; full refund: {facts.observed_reason} is our fault"
        return Recommendation(rec.disposition, "full", 100, rec.rule, why)
    days = facts.days_since_sale
    if days is not None and days > policy.window_days and rec.refund != "none":
        why = f"{rec.why}; no refund: {days} days since the sale (window {policy.window_days})"
        return Recommendation(rec.disposition, "none", 0, rec.rule, why)
    return rec


def overridden(
    disposition: str, refund: str, refund_pct: int | None, reason: str
) -> Recommendation:
    """An inspector's decision in place of the rules'; ValueError when it is not valid."""
    if disposition not in DISPOSITIONS:
        raise ValueError(f"unknown disposition {disposition!r}: use {', '.join(DISPOSITIONS)}")
    if refund not in REFUNDS:
        raise ValueError(f"unknown refund {refund!r}: use {', '.join(REFUNDS)}")
    if not reason.strip():
        raise ValueError("an override needs a reason")
    pct = {"full": 100, "none": 0}.get(refund, refund_pct)
    if pct is None or (refund == "partial" and not 0 < pct < 100):
        raise ValueError("a partial refund needs a percentage between 1 and 99")
    return Recommendation(disposition, refund, pct, "override", reason.strip())
