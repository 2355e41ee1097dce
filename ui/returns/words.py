"""Words the returns screen shows for engine values: verdicts, reasons, dispositions, refunds.

Literal ``QCoreApplication.translate`` calls with fixed contexts, so ``pyside6-lupdate`` finds
them; a value the engine adds later falls back to itself (or its severity's word) instead of
breaking the screen. Reasons and dispositions come from ``[returns]`` and may be a site's own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.packing.verdicts import Severity
from ui.texts import severity_word


def _v(text: str) -> str:
    return QCoreApplication.translate("ReturnVerdict", text)


def return_title(verdict: str, severity: Severity) -> str:
    """The banner's big word for a return verdict."""
    titles = {
        "expected": _v("EXPECTED"),
        "not_in_return": _v("NOT IN THIS RETURN"),
        "not_from_order": _v("NOT FROM THIS ORDER"),
        "unknown": _v("UNKNOWN ITEM"),
        "needs_serial": _v("SCAN SERIAL"),
        "needs_lot": _v("SCAN LOT"),
        "needs_expiry": _v("SCAN EXPIRY"),
        "empty_scan": _v("NOTHING READ"),
        "rma_opened": _v("PARCEL OPEN"),
        "rma_resumed": _v("PARCEL RESUMED"),
        "rma_created": _v("RMA CREATED"),
        "unknown_rma": _v("NO RETURN FOUND"),
        "rma_closed": _v("RETURN CLOSED"),
        "inspection_open": _v("FINISH THE PARCEL FIRST"),
        "no_inspection": _v("NO PARCEL OPEN"),
        "user_changed": _v("USER CHANGED"),
        "undone": _v("UNDONE"),
        "nothing_to_undo": _v("NOTHING TO UNDO"),
        "capture_cancelled": _v("CANCELLED"),
        "assessed": _v("GRADED"),
        "checklist_open": _v("ANSWER THE CHECKLIST"),
        "overridden": _v("OVERRIDDEN"),
        "photo_taken": _v("PHOTO KEPT"),
        "photo_required": _v("PHOTO NEEDED"),
        "disposed": _v("DISPOSED"),
        "not_allowed": _v("NOT ALLOWED"),
        "not_complete": _v("NOT COMPLETE"),
        "completed": _v("PARCEL DONE"),
        "matches": _v("CHOOSE THE RETURN"),
        "acknowledged": _v("ACKNOWLEDGED"),
    }
    return titles.get(verdict) or severity_word(severity)


def reason_word(reason: str | None) -> str:
    """A return reason (``[returns] reasons``) in words."""
    if not reason:
        return QCoreApplication.translate("ReturnReason", "not given")
    words = {
        "changed_mind": QCoreApplication.translate("ReturnReason", "changed mind"),
        "wrong_size": QCoreApplication.translate("ReturnReason", "wrong size"),
        "defective": QCoreApplication.translate("ReturnReason", "defective"),
        "damaged_in_transit": QCoreApplication.translate("ReturnReason", "damaged in transit"),
        "not_as_described": QCoreApplication.translate("ReturnReason", "not as described"),
        "wrong_item_sent": QCoreApplication.translate("ReturnReason", "wrong item sent"),
        "arrived_late": QCoreApplication.translate("ReturnReason", "arrived late"),
        "no_fault_found": QCoreApplication.translate("ReturnReason", "no fault found"),
        "other": QCoreApplication.translate("ReturnReason", "other"),
    }
    return words.get(reason, reason.replace("_", " "))


def disposition_word(disposition: str | None) -> str:
    """A disposition in words."""
    if not disposition:
        return "—"
    words = {
        "restock": QCoreApplication.translate("Disposition", "restock"),
        "refurbish": QCoreApplication.translate("Disposition", "refurbish"),
        "resell_open_box": QCoreApplication.translate("Disposition", "resell open box"),
        "liquidate": QCoreApplication.translate("Disposition", "liquidate"),
        "recycle": QCoreApplication.translate("Disposition", "recycle"),
        "return_to_vendor": QCoreApplication.translate("Disposition", "return to vendor"),
        "quarantine": QCoreApplication.translate("Disposition", "quarantine"),
    }
    return words.get(disposition, disposition.replace("_", " "))


def refund_word(refund: str | None, pct: int | None) -> str:
    """A refund in words: full, partial with its share, or none."""
    if refund == "full":
        return QCoreApplication.translate("Refund", "full refund")
    if refund == "partial":
        return QCoreApplication.translate("Refund", "partial refund {pct}%").format(pct=pct or 0)
    if refund == "none":
        return QCoreApplication.translate("Refund", "no refund")
    return "—"


def item_verdict_word(verdict: str) -> str:
    """A returned unit's verdict against the RMA and the order."""
    words = {
        "expected": QCoreApplication.translate("ItemVerdict", "expected"),
        "not_in_return": QCoreApplication.translate("ItemVerdict", "not in this return"),
        "not_from_order": QCoreApplication.translate("ItemVerdict", "not from this order"),
        "unknown": QCoreApplication.translate("ItemVerdict", "unknown item"),
    }
    return words.get(verdict, verdict)


def answer_word(answer: bool | None) -> str:
    """A checklist answer."""
    if answer is None:
        return QCoreApplication.translate("Checklist", "does not apply")
    if answer:
        return QCoreApplication.translate("Checklist", "YES")
    return QCoreApplication.translate("Checklist", "NO")
