"""What the inspection session answers to each scan or action."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from station.returns.state import ItemView


class ReturnVerdict(enum.StrEnum):
    """The decision on one scan or action at the returns bench; stored with the scan."""

    EXPECTED = "expected"
    NOT_IN_RETURN = "not_in_return"
    NOT_FROM_ORDER = "not_from_order"
    UNKNOWN = "unknown"
    NEEDS_SERIAL = "needs_serial"
    NEEDS_LOT = "needs_lot"
    NEEDS_EXPIRY = "needs_expiry"
    EMPTY_SCAN = "empty_scan"
    RMA_OPENED = "rma_opened"
    RMA_RESUMED = "rma_resumed"
    RMA_CREATED = "rma_created"
    UNKNOWN_RMA = "unknown_rma"
    RMA_CLOSED = "rma_closed"  # received or cancelled already
    INSPECTION_OPEN = "inspection_open"  # finish the open parcel first
    NO_INSPECTION = "no_inspection"
    USER_CHANGED = "user_changed"
    UNDONE = "undone"
    NOTHING_TO_UNDO = "nothing_to_undo"
    CAPTURE_CANCELLED = "capture_cancelled"
    ASSESSED = "assessed"
    CHECKLIST_OPEN = "checklist_open"  # more answers needed for a grade
    OVERRIDDEN = "overridden"
    PHOTO_TAKEN = "photo_taken"
    PHOTO_REQUIRED = "photo_required"
    DISPOSED = "disposed"
    HELD = "held"  # set aside with a reason: arrived, not disposed of
    NOT_ALLOWED = "not_allowed"
    NEEDS_SUPERVISOR = "needs_supervisor"  # an override waits for a supervisor's approval
    NOT_COMPLETE = "not_complete"
    COMPLETED = "completed"


ITEM_VERDICTS = frozenset(
    {
        ReturnVerdict.EXPECTED,
        ReturnVerdict.NOT_IN_RETURN,
        ReturnVerdict.NOT_FROM_ORDER,
        ReturnVerdict.UNKNOWN,
    }
)
_OK = {
    ReturnVerdict.EXPECTED,
    ReturnVerdict.RMA_OPENED,
    ReturnVerdict.RMA_RESUMED,
    ReturnVerdict.RMA_CREATED,
    ReturnVerdict.USER_CHANGED,
    ReturnVerdict.UNDONE,
    ReturnVerdict.CAPTURE_CANCELLED,
    ReturnVerdict.ASSESSED,
    ReturnVerdict.OVERRIDDEN,
    ReturnVerdict.PHOTO_TAKEN,
    ReturnVerdict.DISPOSED,
    ReturnVerdict.HELD,
    ReturnVerdict.COMPLETED,
}
_ASK = {
    ReturnVerdict.NEEDS_SERIAL,
    ReturnVerdict.NEEDS_LOT,
    ReturnVerdict.NEEDS_EXPIRY,
    ReturnVerdict.CHECKLIST_OPEN,
    ReturnVerdict.PHOTO_REQUIRED,
    ReturnVerdict.NEEDS_SUPERVISOR,
    ReturnVerdict.NOT_COMPLETE,
    ReturnVerdict.NOTHING_TO_UNDO,
    ReturnVerdict.EMPTY_SCAN,
    ReturnVerdict.NOT_IN_RETURN,
}


def severity_of(verdict: ReturnVerdict, fraud: bool = False) -> str:
    """ok, warning or error: how the screen shows it (a fraud flag is always an error)."""
    if fraud:
        return "error"
    if verdict in _OK:
        return "ok"
    return "warning" if verdict in _ASK else "error"


@dataclass(frozen=True)
class ReturnOutcome:
    """The answer to a scan or action, returned only after its transaction committed."""

    verdict: ReturnVerdict
    message: str
    scan_id: int | None = None
    rma: str | None = None
    order: str | None = None
    item: ItemView | None = None
    items: tuple[ItemView, ...] = ()
    awaiting: str | None = None  # "serial", "lot" or "expiry"
    next_question: str | None = None  # checklist key still to answer
    user: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def fraud(self) -> bool:
        """True when the unit this answer is about is flagged as possible fraud."""
        return self.item is not None and self.item.fraud

    @property
    def severity(self) -> str:
        """How the screen should show it."""
        return severity_of(self.verdict, self.fraud)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (CLI, crash test)."""
        return {
            "verdict": self.verdict.value,
            "severity": self.severity,
            "message": self.message,
            "scan_id": self.scan_id,
            "rma": self.rma,
            "order": self.order,
            "awaiting": self.awaiting,
            "next_question": self.next_question,
            "item": self.item.to_json() if self.item else None,
            "items": len(self.items),
            **self.extra,
        }
