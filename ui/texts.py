"""Words the screens show for engine values: verdict titles, device states, severities.

Every string goes through ``QCoreApplication.translate`` with a fixed context, literally,
so ``pyside6-lupdate`` finds them. Keys are the values' strings rather than enum members:
verdicts added to the engine later fall back to their severity's word instead of breaking
the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.packing.verdicts import Severity, Verdict, severity_of

# lupdate finds literal translate(context, text) calls; a wrapper taking a variable it cannot.
translate = QCoreApplication.translate


def verdict_title(verdict: Verdict) -> str:
    """The banner's big word for ``verdict``: short, readable across the bench."""
    titles = {
        "accepted": translate("Verdict", "OK"),
        "completed": translate("Verdict", "ORDER PACKED"),
        "wrong_item": translate("Verdict", "WRONG ITEM"),
        "over_scan": translate("Verdict", "TOO MANY"),
        "kit_unfinished": translate("Verdict", "FINISH THE KIT"),
        "order_locked": translate("Verdict", "OPEN AT ANOTHER BENCH"),
        "unknown_code": translate("Verdict", "UNKNOWN CODE"),
        "empty_scan": translate("Verdict", "NOTHING READ"),
        "needs_serial": translate("Verdict", "SCAN SERIAL"),
        "needs_lot": translate("Verdict", "SCAN LOT"),
        "needs_expiry": translate("Verdict", "SCAN EXPIRY"),
        "duplicate_serial": translate("Verdict", "SERIAL ALREADY USED"),
        "expired_lot": translate("Verdict", "EXPIRED"),
        "not_packable": translate("Verdict", "DO NOT PACK"),
        "unknown_order": translate("Verdict", "UNKNOWN ORDER"),
        "no_order_open": translate("Verdict", "NO ORDER OPEN"),
        "order_opened": translate("Verdict", "ORDER OPEN"),
        "order_resumed": translate("Verdict", "ORDER RESUMED"),
        "batch_tote": translate("Verdict", "SCAN THE ITEMS"),
        "package_opened": translate("Verdict", "NEW BOX"),
        "package_empty": translate("Verdict", "BOX IS EMPTY"),
        "box_selected": translate("Verdict", "BOX CHOSEN"),
        "undone": translate("Verdict", "UNDONE"),
        "nothing_to_undo": translate("Verdict", "NOTHING TO UNDO"),
        "capture_cancelled": translate("Verdict", "CANCELLED"),
        "quantity_set": translate("Verdict", "QUANTITY SET"),
        "needs_supervisor": translate("Verdict", "SUPERVISOR NEEDED"),
        "not_allowed": translate("Verdict", "NOT ALLOWED"),
        "user_changed": translate("Verdict", "USER CHANGED"),
        "confirmed": translate("Verdict", "ACKNOWLEDGED"),
        "exception_recorded": translate("Verdict", "EXCEPTION RECORDED"),
        "not_complete": translate("Verdict", "NOT COMPLETE"),
        "weight_pass": translate("Verdict", "WEIGHT OK"),
        "weight_mismatch": translate("Verdict", "WRONG WEIGHT"),
        "weight_unstable": translate("Verdict", "SCALE NOT STABLE"),
        "weight_unknown": translate("Verdict", "SUPERVISOR CHECK"),
        "weight_override": translate("Verdict", "WEIGHT ACCEPTED"),
        "scan_weight_mismatch": translate("Verdict", "SCALE DISAGREES"),
        "photo_required": translate("Verdict", "PHOTO NEEDED"),
        "photo_taken": translate("Verdict", "PHOTO TAKEN"),
        "instruction_confirmed": translate("Verdict", "INSTRUCTIONS CONFIRMED"),
        "nothing_to_confirm": translate("Verdict", "NOTHING TO CONFIRM"),
        "insert_added": translate("Verdict", "INSERT ADDED"),
        "insert_not_due": translate("Verdict", "NOT FOR THIS ORDER"),
    }
    return titles.get(verdict.value) or severity_word(severity_of(verdict))


def severity_word(severity: Severity) -> str:
    """A word for a severity, for verdicts that have no title of their own."""
    words = {
        Severity.OK: translate("Verdict", "OK"),
        Severity.INFO: translate("Verdict", "NOTE"),
        Severity.WARNING: translate("Verdict", "CHECK"),
        Severity.ERROR: translate("Verdict", "STOP"),
    }
    return words[severity]


def device_state_word(state: str) -> str:
    """A device state (``drivers.base.DeviceState`` value) in words."""
    words = {
        "connected": QCoreApplication.translate("DeviceState", "connected"),
        "connecting": QCoreApplication.translate("DeviceState", "connecting"),
        "reconnecting": QCoreApplication.translate("DeviceState", "reconnecting"),
        "disconnected": QCoreApplication.translate("DeviceState", "disconnected"),
        "error": QCoreApplication.translate("DeviceState", "error"),
    }
    return words.get(state, state)
