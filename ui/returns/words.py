"""Words the returns screen shows for engine values: verdicts, reasons, dispositions, refunds.

Literal ``QCoreApplication.translate`` calls with fixed contexts, so ``pyside6-lupdate`` finds
them; a value the engine adds later falls back to itself (or its severity's word) instead of
breaking the screen. Reasons and dispositions come from ``[returns]`` and may be a site's own.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.packing.verdicts import Severity
from station.returns.state import ItemView
from station.returns.tags import tag_id
from ui.texts import severity_word

# lupdate finds literal translate(context, text) calls; a wrapper taking a variable it cannot.
translate = QCoreApplication.translate


def return_title(verdict: str, severity: Severity) -> str:
    """The banner's big word for a return verdict."""
    titles = {
        "expected": translate("ReturnVerdict", "EXPECTED"),
        "not_in_return": translate("ReturnVerdict", "NOT IN THIS RETURN"),
        "not_from_order": translate("ReturnVerdict", "NOT FROM THIS ORDER"),
        "unknown": translate("ReturnVerdict", "UNKNOWN ITEM"),
        "needs_serial": translate("ReturnVerdict", "SCAN SERIAL"),
        "needs_lot": translate("ReturnVerdict", "SCAN LOT"),
        "needs_expiry": translate("ReturnVerdict", "SCAN EXPIRY"),
        "empty_scan": translate("ReturnVerdict", "NOTHING READ"),
        "rma_opened": translate("ReturnVerdict", "PARCEL OPEN"),
        "rma_resumed": translate("ReturnVerdict", "PARCEL RESUMED"),
        "rma_created": translate("ReturnVerdict", "RMA CREATED"),
        "unknown_rma": translate("ReturnVerdict", "NO RETURN FOUND"),
        "rma_closed": translate("ReturnVerdict", "RETURN CLOSED"),
        "inspection_open": translate("ReturnVerdict", "FINISH THE PARCEL FIRST"),
        "no_inspection": translate("ReturnVerdict", "NO PARCEL OPEN"),
        "user_changed": translate("ReturnVerdict", "USER CHANGED"),
        "undone": translate("ReturnVerdict", "UNDONE"),
        "nothing_to_undo": translate("ReturnVerdict", "NOTHING TO UNDO"),
        "capture_cancelled": translate("ReturnVerdict", "CANCELLED"),
        "assessed": translate("ReturnVerdict", "GRADED"),
        "checklist_open": translate("ReturnVerdict", "ANSWER THE CHECKLIST"),
        "overridden": translate("ReturnVerdict", "OVERRIDDEN"),
        "photo_taken": translate("ReturnVerdict", "PHOTO KEPT"),
        "photo_required": translate("ReturnVerdict", "PHOTO NEEDED"),
        "disposed": translate("ReturnVerdict", "DISPOSED"),
        "held": translate("ReturnVerdict", "HELD"),
        "not_allowed": translate("ReturnVerdict", "NOT ALLOWED"),
        "needs_supervisor": translate("ReturnVerdict", "SUPERVISOR NEEDED"),
        "not_complete": translate("ReturnVerdict", "NOT COMPLETE"),
        "completed": translate("ReturnVerdict", "PARCEL DONE"),
        "matches": translate("ReturnVerdict", "CHOOSE THE RETURN"),
        "acknowledged": translate("ReturnVerdict", "ACKNOWLEDGED"),
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


def refund_kind_word(refund: str) -> str:
    """A kind of refund to choose, without a share (the share is chosen beside it)."""
    if refund == "partial":
        return QCoreApplication.translate("Refund", "partial refund")
    return refund_word(refund, None)


def outcome_words(
    verdict: str, message: str, item: ItemView | None, extra: dict[str, object]
) -> str:
    """The banner's line for an outcome: words built from the stored values where the engine's
    own message would show codes (a grade's disposition and refund, a finished parcel's count);
    the engine's message otherwise."""
    if verdict == "assessed" and item is not None and item.grade is not None:
        return translate("ReturnOutcome", "{tag} grade {grade}: {disposition}, {refund}").format(
            tag=tag_id(item.id),
            grade=item.grade,
            disposition=disposition_word(item.disposition),
            refund=refund_word(item.refund, item.refund_pct),
        )
    if verdict == "completed" and isinstance(extra.get("units"), int):
        units = int(str(extra["units"]))
        text = translate("ReturnOutcome", "Parcel done: %n unit(s) inspected", "", units)
        held = extra.get("held")
        if isinstance(held, list) and held:
            kept = ", ".join(
                f"{h.get('sku') or '?'} ({h.get('reason') or ''})"
                for h in held
                if isinstance(h, dict)
            )
            text += " · " + translate("ReturnOutcome", "held: {units}").format(units=kept)
        missing = extra.get("missing")
        if isinstance(missing, dict) and missing:
            gone = ", ".join(f"{n} × {sku}" for sku, n in missing.items())
            text += " · " + translate("ReturnOutcome", "not received: {units}").format(units=gone)
        return text
    return message
