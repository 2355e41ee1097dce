"""Words the screens show for engine values: verdict titles, device states, severities.

Every string goes through ``QCoreApplication.translate`` with a fixed context, literally,
so ``pyside6-lupdate`` finds them. Keys are the values' strings rather than enum members:
verdicts added to the engine later fall back to their severity's word instead of breaking
the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.packing.verdicts import Severity, Verdict, severity_of


def _t(text: str) -> str:
    return QCoreApplication.translate("Verdict", text)


def verdict_title(verdict: Verdict) -> str:
    """The banner's big word for ``verdict``: short, readable across the bench."""
    titles = {
        "accepted": _t("OK"),
        "completed": _t("ORDER PACKED"),
        "wrong_item": _t("WRONG ITEM"),
        "over_scan": _t("TOO MANY"),
        "unknown_code": _t("UNKNOWN CODE"),
        "empty_scan": _t("NOTHING READ"),
        "needs_serial": _t("SCAN SERIAL"),
        "needs_lot": _t("SCAN LOT"),
        "needs_expiry": _t("SCAN EXPIRY"),
        "duplicate_serial": _t("SERIAL ALREADY USED"),
        "expired_lot": _t("EXPIRED"),
        "not_packable": _t("DO NOT PACK"),
        "unknown_order": _t("UNKNOWN ORDER"),
        "no_order_open": _t("NO ORDER OPEN"),
        "order_opened": _t("ORDER OPEN"),
        "order_resumed": _t("ORDER RESUMED"),
        "package_opened": _t("NEW BOX"),
        "package_empty": _t("BOX IS EMPTY"),
        "box_selected": _t("BOX CHOSEN"),
        "undone": _t("UNDONE"),
        "nothing_to_undo": _t("NOTHING TO UNDO"),
        "capture_cancelled": _t("CANCELLED"),
        "quantity_set": _t("QUANTITY SET"),
        "needs_supervisor": _t("SUPERVISOR NEEDED"),
        "not_allowed": _t("NOT ALLOWED"),
        "user_changed": _t("USER CHANGED"),
        "confirmed": _t("ACKNOWLEDGED"),
        "exception_recorded": _t("EXCEPTION RECORDED"),
        "not_complete": _t("NOT COMPLETE"),
        "weight_pass": _t("WEIGHT OK"),
        "weight_mismatch": _t("WRONG WEIGHT"),
        "weight_unstable": _t("SCALE NOT STABLE"),
        "weight_unknown": _t("SUPERVISOR CHECK"),
        "weight_override": _t("WEIGHT ACCEPTED"),
        "scan_weight_mismatch": _t("SCALE DISAGREES"),
        "photo_required": _t("PHOTO NEEDED"),
        "photo_taken": _t("PHOTO TAKEN"),
    }
    return titles.get(verdict.value) or severity_word(severity_of(verdict))


def severity_word(severity: Severity) -> str:
    """A word for a severity, for verdicts that have no title of their own."""
    words = {
        Severity.OK: _t("OK"),
        Severity.INFO: _t("NOTE"),
        Severity.WARNING: _t("CHECK"),
        Severity.ERROR: _t("STOP"),
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
