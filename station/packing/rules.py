"""Shared ground of the pack rules: the scan being decided and what every rule may use.

The rules are split by subject (items, commands, supervision) into mixins of ``PackService``;
each works on the open session's ``PackState`` and the ``Journal`` of the current transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station.barcodes import Interpretation
from station.config import PackingSettings
from station.packing.journal import Journal, ProductRef
from station.packing.state import PackState
from station.packing.verdicts import Verdict
from station.user_ref import Approver, UserRef


@dataclass
class Draft:
    """The scan being decided: what the engine writes for it."""

    interp: Interpretation
    verdict: Verdict = Verdict.UNKNOWN_CODE
    message: str = ""
    product: ProductRef | None = None
    line_id: int | None = None
    quantity: int = 0
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    awaiting: str | None = None


class RulesBase:
    """State and helpers every rule mixin uses (set by ``PackService.__init__``)."""

    state: PackState | None
    user: UserRef | None
    _settings: PackingSettings
    _station: str
    _approver: Approver | None

    @staticmethod
    def _verdict(d: Draft, verdict: Verdict, message: str) -> Draft:
        d.verdict = verdict
        d.message = message
        return d

    def _product(self, j: Journal, i: Interpretation) -> ProductRef | None:
        return j.product_by_keys(i.lookup_keys)

    def _product_by_id(self, j: Journal, product_id: int) -> ProductRef:
        row = j.cur.execute(
            "SELECT id, sku, name, tracking FROM products WHERE id = ?", (product_id,)
        ).fetchone()
        return ProductRef(int(row[0]), row[1], row[2], row[3])
