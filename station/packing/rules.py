"""Shared ground of the pack rules: the scan being decided, what every rule reads, and the
interfaces by which the rules reach each other.

The rules are objects composed by ``PackService`` (``station.packing.service``), each on its
own subject: items (``items``), orders and commands (``commands``), authority (``supervision``),
the proof of the package (``proof``: weight, photos, boxes), label scan-back
(``completion``), and what the packer reads and adds (``instructions``, ``inserts``,
``hazmat``). Each works on the shared :class:`PackContext` and the ``Journal`` of the
current transaction, and reaches another rule only through the interface it is given in its
constructor (:class:`PackageProof`, :data:`ApproverCheck`, :data:`Transaction`): reading one
rule tells what it depends on.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from station.barcodes import Interpretation
from station.config import PackingSettings
from station.packing.journal import Journal, ProductRef
from station.packing.state import PackState
from station.packing.verdicts import Verdict
from station.permissions import Action
from station.user_ref import Approver, UserRef

# Someone allowed to ``action`` other than the packer, by badge or PIN (or None).
ApproverCheck = Callable[[Journal, str | None, Action], UserRef | None]
# One transaction of the engine: decide and record, or nothing at all.
Transaction = Callable[[], AbstractContextManager[Journal]]


@dataclass
class PackContext:
    """What every pack rule reads and changes: the open session and who is packing.

    ``state`` is None when no order is open; rules replace it when they open, resume or
    reload a session. Used from the engine's one thread only.
    """

    settings: PackingSettings
    station: str
    approver: Approver | None = None  # resolves a badge code or PIN (PIN hashing in users)
    state: PackState | None = None
    user: UserRef | None = None


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
    # What the screen shows beside the verdict (instructions, hazmat, inserts): Outcome.extra.
    extra: dict[str, object] = field(default_factory=dict)


class PackageProof(Protocol):
    """How the package is proven, as the item and command rules see it (weight, photos).

    ``station.packing.proof.ProofRules`` is the bench's; a rule given none proves nothing.
    """

    def refuse_unit(self, j: Journal, d: Draft, qty: int) -> Draft | None:
        """A refusal before a unit is counted (the scale contradicts it), or None."""

    def unit_counted(self, j: Journal, d: Draft, qty: int) -> None:
        """A unit was counted into the open package."""

    def package_changed(self, j: Journal) -> None:
        """The content or the box of the open package changed otherwise (undo, box)."""

    def before_close(self, j: Journal, d: Draft) -> Draft | None:
        """A refusal if the open package may not be closed yet (weight, photo); else None."""


def verdict(d: Draft, v: Verdict, message: str) -> Draft:
    """Set the draft's verdict and message; the draft."""
    d.verdict = v
    d.message = message
    return d


def find_product(j: Journal, i: Interpretation) -> ProductRef | None:
    """The product a scan names, by its lookup keys (None: not in the catalog)."""
    return j.product_by_keys(i.lookup_keys)


def product_by_id(j: Journal, product_id: int) -> ProductRef:
    """The product with this id (it exists: it was scanned before)."""
    row = j.cur.execute(
        "SELECT id, sku, name, tracking FROM products WHERE id = ?", (product_id,)
    ).fetchone()
    return ProductRef(int(row[0]), row[1], row[2], row[3])
