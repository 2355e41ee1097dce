"""What the pack engine answers to each scan or command."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Verdict(enum.StrEnum):
    """The decision on one scan or command; stored with the scan."""

    ACCEPTED = "accepted"
    WRONG_ITEM = "wrong_item"
    OVER_SCAN = "over_scan"
    UNKNOWN_CODE = "unknown_code"
    EMPTY_SCAN = "empty_scan"
    NEEDS_SERIAL = "needs_serial"
    NEEDS_LOT = "needs_lot"
    NEEDS_EXPIRY = "needs_expiry"
    DUPLICATE_SERIAL = "duplicate_serial"
    EXPIRED_LOT = "expired_lot"
    NOT_PACKABLE = "not_packable"
    UNKNOWN_ORDER = "unknown_order"
    NO_ORDER_OPEN = "no_order_open"
    ORDER_OPENED = "order_opened"
    ORDER_RESUMED = "order_resumed"
    BATCH_TOTE = "batch_tote"  # a tote of single-item orders: its items pick their orders
    ORDER_LOCKED = "order_locked"  # open at another bench (the hub's order lock)
    KIT_UNFINISHED = "kit_unfinished"  # one kit at a time: the started kit comes first
    PACKAGE_OPENED = "package_opened"
    PACKAGE_EMPTY = "package_empty"
    BOX_SELECTED = "box_selected"
    UNDONE = "undone"
    NOTHING_TO_UNDO = "nothing_to_undo"
    CAPTURE_CANCELLED = "capture_cancelled"
    QUANTITY_SET = "quantity_set"
    NEEDS_SUPERVISOR = "needs_supervisor"
    NOT_ALLOWED = "not_allowed"
    USER_CHANGED = "user_changed"
    CONFIRMED = "confirmed"
    EXCEPTION_RECORDED = "exception_recorded"
    NOT_COMPLETE = "not_complete"
    COMPLETED = "completed"
    # Proof of the pack (station.packing.proof): weight check, scale-confirmed scans, photos.
    WEIGHT_PASS = "weight_pass"
    WEIGHT_MISMATCH = "weight_mismatch"
    WEIGHT_UNSTABLE = "weight_unstable"
    WEIGHT_UNKNOWN = "weight_unknown"
    WEIGHT_OVERRIDE = "weight_override"
    SCAN_WEIGHT_MISMATCH = "scan_weight_mismatch"
    PHOTO_REQUIRED = "photo_required"
    PHOTO_TAKEN = "photo_taken"
    # The carrier rate the packer chose (station.ship.choice), or why none was taken.
    RATE_CHOSEN = "rate_chosen"
    NO_RATE = "no_rate"
    # What the packer reads and adds (station.packing.instructions, station.packing.inserts).
    INSTRUCTION_CONFIRMED = "instruction_confirmed"
    NOTHING_TO_CONFIRM = "nothing_to_confirm"
    INSERT_ADDED = "insert_added"
    INSERT_NOT_DUE = "insert_not_due"


class Severity(enum.StrEnum):
    """How the screen shows a verdict: green, neutral, amber or red (needs acknowledgement)."""

    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


SEVERITY: dict[Verdict, Severity] = {
    Verdict.ACCEPTED: Severity.OK,
    Verdict.COMPLETED: Severity.OK,
    Verdict.ORDER_OPENED: Severity.INFO,
    Verdict.ORDER_RESUMED: Severity.INFO,
    Verdict.BATCH_TOTE: Severity.INFO,
    Verdict.PACKAGE_OPENED: Severity.INFO,
    Verdict.BOX_SELECTED: Severity.INFO,
    Verdict.UNDONE: Severity.INFO,
    Verdict.QUANTITY_SET: Severity.INFO,
    Verdict.USER_CHANGED: Severity.INFO,
    Verdict.CONFIRMED: Severity.INFO,
    Verdict.EXCEPTION_RECORDED: Severity.INFO,
    Verdict.CAPTURE_CANCELLED: Severity.INFO,
    Verdict.NEEDS_SERIAL: Severity.WARNING,
    Verdict.NEEDS_LOT: Severity.WARNING,
    Verdict.NEEDS_EXPIRY: Severity.WARNING,
    Verdict.NEEDS_SUPERVISOR: Severity.WARNING,
    Verdict.NOTHING_TO_UNDO: Severity.WARNING,
    Verdict.NOT_COMPLETE: Severity.WARNING,
    Verdict.PACKAGE_EMPTY: Severity.WARNING,
    Verdict.EMPTY_SCAN: Severity.WARNING,
    Verdict.WEIGHT_PASS: Severity.OK,
    Verdict.WEIGHT_OVERRIDE: Severity.INFO,
    Verdict.PHOTO_TAKEN: Severity.INFO,
    Verdict.RATE_CHOSEN: Severity.INFO,
    Verdict.NO_RATE: Severity.WARNING,
    Verdict.WEIGHT_UNSTABLE: Severity.WARNING,
    Verdict.WEIGHT_UNKNOWN: Severity.WARNING,
    Verdict.PHOTO_REQUIRED: Severity.WARNING,
    Verdict.INSTRUCTION_CONFIRMED: Severity.INFO,
    Verdict.NOTHING_TO_CONFIRM: Severity.WARNING,
    Verdict.INSERT_ADDED: Severity.OK,
    Verdict.INSERT_NOT_DUE: Severity.WARNING,
    # WEIGHT_MISMATCH and SCAN_WEIGHT_MISMATCH are errors: the packer must act on them.
}


def severity_of(verdict: Verdict) -> Severity:
    """Severity of a verdict; anything not listed is an error the packer must acknowledge."""
    return SEVERITY.get(verdict, Severity.ERROR)


@dataclass(frozen=True)
class ComponentProgress:
    """A component of a kit line: how many one kit holds, how many are in the kit begun."""

    sku: str
    name: str
    per_kit: int
    have: int


@dataclass(frozen=True)
class LineProgress:
    """How far one order line is: packed and short-shipped against expected."""

    line_id: int
    line_no: int
    sku: str
    name: str
    expected: int
    packed: int
    short: int = 0
    tracking: str = "none"
    is_kit: bool = False
    partial: str = ""  # kit components scanned towards the next kit, e.g. "1/2 components"
    components: tuple[ComponentProgress, ...] = ()  # a kit line's components, catalog order
    barcode: str = ""  # the product's first barcode, to key in when a label will not scan

    @property
    def remaining(self) -> int:
        """Units still to pack."""
        return max(0, self.expected - self.packed - self.short)

    @property
    def done(self) -> bool:
        """True when nothing remains."""
        return self.remaining == 0


@dataclass(frozen=True)
class Outcome:
    """The answer to a scan or command, returned only after its transaction committed."""

    verdict: Verdict
    message: str
    scan_id: int | None = None
    order_number: str | None = None
    line: LineProgress | None = None
    lines: tuple[LineProgress, ...] = ()
    package_no: int | None = None
    awaiting: str | None = None  # "serial", "lot", "expiry" or "supervisor"
    user: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def severity(self) -> Severity:
        """How the screen should show it."""
        return severity_of(self.verdict)

    @property
    def ready_to_complete(self) -> bool:
        """True when every line is packed or short-shipped."""
        return bool(self.lines) and all(line.done for line in self.lines)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready form (CLI, crash test, events)."""
        return {
            "verdict": self.verdict.value,
            "severity": self.severity.value,
            "message": self.message,
            "scan_id": self.scan_id,
            "order": self.order_number,
            "package": self.package_no,
            "awaiting": self.awaiting,
            "line": None
            if self.line is None
            else {
                "line_no": self.line.line_no,
                "sku": self.line.sku,
                "packed": self.line.packed,
                "expected": self.line.expected,
            },
            "ready_to_complete": self.ready_to_complete,
        }
