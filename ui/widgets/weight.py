"""Live weight with a stability indicator.

Two signals of the device bridge feed it: ``weight`` (every reading, for the live number)
and ``stable_weight`` (readings the stable-weight rule accepted, the only ones a weight
check may act on). The indicator says STABLE only for the weight the rule accepted last;
any other reading shows as settling, and a state without a weight (overload, fault...) is
shown as that state, never as 0.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from drivers.scale.model import ScaleReading, ScaleState
from ui.theme import named, restyle


class WeightDisplay(QFrame):
    """The scale's live reading and whether it is stable."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightDisplay")
        self._value = named(QLabel("—"), "weightValue")
        self._stability = named(QLabel(), "weightStability")
        for label in (self._value, self._stability):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self._value)
        layout.addWidget(self._stability)
        self._stable: ScaleReading | None = None
        self._set_stability("none", self.tr("no scale"))

    def value_text(self) -> str:
        """The weight (or state) as shown."""
        return self._value.text()

    def stability_text(self) -> str:
        """The indicator as shown."""
        return self._stability.text()

    @property
    def stability(self) -> str:
        """``stable``, ``settling``, ``fault`` or ``none`` (the indicator's state)."""
        return str(self._stability.property("state"))

    def show_reading(self, reading: ScaleReading) -> None:
        """Every reading: the number, and settling unless it is the accepted stable weight."""
        if reading.weight_g is None:
            self._stable = None
            self._value.setText(_state_word(reading.state))
            detail = reading.detail or _state_word(reading.state)
            self._set_stability("fault", detail)
            return
        self._value.setText(self.tr("{kg:.3f} kg").format(kg=reading.weight_g / 1000))
        stable = self._stable
        if stable is not None and reading.stable and reading.weight_g == stable.weight_g:
            return  # the same weight the rule accepted: keep saying stable, no flicker
        self._stable = None
        self._set_stability("settling", self.tr("settling…"))

    def show_stable(self, reading: ScaleReading) -> None:
        """A reading the stable-weight rule accepted."""
        self._stable = reading
        if reading.weight_g is not None:
            self._value.setText(self.tr("{kg:.3f} kg").format(kg=reading.weight_g / 1000))
        self._set_stability("stable", self.tr("✔ STABLE"))

    def _set_stability(self, state: str, text: str) -> None:
        self._stability.setText(text)
        restyle(self._stability, "state", state)


def _state_word(state: ScaleState) -> str:
    words = {
        ScaleState.OVERLOAD: QCoreApplication.translate("WeightDisplay", "OVERLOAD"),
        ScaleState.UNDERLOAD: QCoreApplication.translate("WeightDisplay", "UNDERLOAD"),
        ScaleState.NEGATIVE: QCoreApplication.translate("WeightDisplay", "BELOW ZERO"),
        ScaleState.FAULT: QCoreApplication.translate("WeightDisplay", "SCALE FAULT"),
        ScaleState.MOVING: QCoreApplication.translate("WeightDisplay", "MOVING"),
    }
    return words.get(state, state.value.upper())
