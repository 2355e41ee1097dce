"""Shared ground of the inspection rules: what one action decides, and what every rule uses.

The rules are split by subject into mixins of ``InspectionService``: ``receiving`` (scans:
open an RMA, receive units, capture serial / lot / expiry) and ``deciding`` (grade, photos,
override, dispose, complete). Each works on the state read back at the start of the
transaction and the ``ReturnJournal`` of that transaction.
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
from station.user_ref import UserRef


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


class RulesBase:
    """State and collaborators every rule mixin uses (set by ``InspectionService``)."""

    state: InspectionState | None
    user: UserRef | None
    _settings: ReturnSettings
    _station: str
    _rma_pattern: re.Pattern[str] | None

    @staticmethod
    def _say(d: Draft, verdict: ReturnVerdict, message: str) -> Draft:
        d.verdict = verdict
        d.message = message
        return d

    @property
    def _user_id(self) -> int | None:
        return self.user.id if self.user else None

    def _unit(self, item_id: int, *allowed: str) -> tuple[InspectionState, ItemView]:
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

    def _event(self, j: ReturnJournal, kind: str, item: ItemView, **more: object) -> None:
        """An outbox event about a unit of the open parcel."""
        state = self.state
        assert state is not None
        payload: dict[str, object] = {
            "item": item.id,
            "rma": state.rma_number,
            "order": state.order_number,
            "sku": item.sku,
            "serial": item.serial,
            "station": self._station,
            "user": self.user.name if self.user else None,
            "at": j.now.isoformat(),
            **more,
        }
        append_event(j.cur, kind, payload, j.now)
