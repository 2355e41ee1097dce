"""Shared ground of the inspection rules: what one action decides, and what every rule uses.

The rules are objects by subject, composed by ``InspectionService``: ``dispatch`` (which rule
a scan goes to; badges, undo), ``receiving`` (open an RMA, receive units, capture serial /
lot / expiry), ``deciding`` (grade, override, dispose, complete) and ``unitphotos``. They
share one :class:`InspectionContext` (the state read back at the start of the transaction,
the user, the settings) and work on the ``ReturnJournal`` of that transaction; the scan
rules reach the receiving rules only through the object they are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from station.barcodes import Interpretation
from station.config.returns import ReturnSettings
from station.outbox import append_event
from station.returns.journal import ReturnJournal
from station.returns.reads import ProductInfo
from station.returns.state import Classified, InspectionState, ItemView
from station.returns.tags import TagRequest, tag_id
from station.returns.verdicts import ReturnVerdict
from station.user_ref import Approver, UserRef


@dataclass
class Step:
    """What an action decided, written in its transaction and answered after COMMIT."""

    verdict: ReturnVerdict
    message: str = ""
    inspection_id: int | None = None  # the inspection it concerns (if not the open one)
    item_id: int | None = None
    scan_id: int | None = None
    awaiting: str | None = None
    next_question: str | None = None
    tag: TagRequest | None = None  # queued on the print queue after COMMIT
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Draft:
    """A scan being decided: what is written to ``return_scans`` (and the unit it receives)."""

    interp: Interpretation
    verdict: ReturnVerdict = ReturnVerdict.UNKNOWN
    message: str = ""
    product: ProductInfo | None = None
    serial: str | None = None
    lot: str | None = None
    expiry: date | None = None
    awaiting: str | None = None
    receive: Classified | None = None  # set: the scan receives a unit with this verdict
    fraud_reason: str | None = None
    inspection_id: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


class RefusedError(Exception):
    """An action that cannot apply now; its message is the answer (nothing is written)."""

    def __init__(self, verdict: ReturnVerdict, message: str, **extra: object) -> None:
        super().__init__(message)
        self.verdict = verdict
        self.extra = extra


@dataclass
class InspectionContext:
    """What every inspection rule reads and changes: the open parcel and who is inspecting.

    ``state`` is read back from the database inside every transaction (None: no parcel
    open). Used from the engine's one thread only.
    """

    settings: ReturnSettings
    station: str
    rma_pattern: re.Pattern[str] | None = None
    approver: Approver | None = None  # resolves a PIN to a supervisor (badges: directly)
    state: InspectionState | None = None
    user: UserRef | None = None

    @property
    def user_id(self) -> int | None:
        """The inspector's id (None when nobody signed in)."""
        return self.user.id if self.user else None

    def unit(self, item_id: int, *allowed: str) -> tuple[InspectionState, ItemView]:
        """The open parcel and its unit ``item_id``, which must be in one of ``allowed``."""
        state = self.state
        if state is None:
            raise RefusedError(ReturnVerdict.NO_INSPECTION, "no parcel open: scan its RMA or label")
        try:
            item = state.item(item_id)
        except KeyError:
            message = f"{tag_id(item_id)} is not in this parcel"
            raise RefusedError(ReturnVerdict.NOT_ALLOWED, message) from None
        if item.status not in allowed:
            raise RefusedError(ReturnVerdict.NOT_ALLOWED, f"{tag_id(item_id)} is {item.status}")
        return state, item

    def event(self, j: ReturnJournal, kind: str, item: ItemView, **more: object) -> None:
        """An outbox event about a unit of the open parcel."""
        state = self.state
        assert state is not None
        payload: dict[str, object] = {
            "item": item.id,
            "rma": state.rma_number,
            "order": state.order_number,
            "sku": item.sku,
            "serial": item.serial,
            "station": self.station,
            "user": self.user.name if self.user else None,
            "at": j.now.isoformat(),
            **more,
        }
        append_event(j.cur, kind, payload, j.now)


def say(d: Draft, verdict: ReturnVerdict, message: str) -> Draft:
    """Set the draft's verdict and message; the draft."""
    d.verdict = verdict
    d.message = message
    return d
