"""The sign-in form's parts, shared by the start window and the sign-in screen.

Qt only (the start window shows it before the station is imported), so the two look and
accept the same: a station title, "scan your badge", and a PIN field of 0 to 12 digits.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLabel, QLineEdit

from ui.theme import named


def sign_in_labels(station: str) -> tuple[QLabel, QLabel, QLabel]:
    """The station's title, "Scan your badge" and the PIN hint."""

    title = QCoreApplication.translate("SignInForm", "Pack station — {station}")
    return (
        named(QLabel(title.format(station=station)), "stationTitle"),
        named(QLabel(QCoreApplication.translate("SignInForm", "Scan your badge")), "loginTitle"),
        named(
            QLabel(QCoreApplication.translate("SignInForm", "or type your PIN and press Enter")),
            "loginHint",
        ),
    )


def pin_field() -> QLineEdit:
    """A masked field taking a PIN of up to 12 digits, centred, as wide as the title."""
    field = named(QLineEdit(), "pinInput")
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), field))
    field.setPlaceholderText(QCoreApplication.translate("SignInForm", "PIN"))
    field.setAlignment(Qt.AlignmentFlag.AlignCenter)
    field.setFixedWidth(360)
    return field
