"""Live weight with a stability indicator.

Two signals of the device bridge feed it: ``weight`` (every reading, for the live number)
and ``stable_weight`` (readings the stable-weight rule accepted, the only ones a weight
check may act on). The indicator says STABLE only for the weight the rule accepted last;
any other reading shows as settling, and a state without a weight (overload, fault...) is
shown as that state, never as 0.

Below them: what the open package should weigh (the engine's expectation, as a range) and
the engine's decision on its last weighing (pass, mismatch with the difference, override).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from drivers.scale.model import ScaleReading, ScaleState
from station.packing.verdicts import Outcome, Verdict
from station.packing.weight import Expectation
from ui.theme import named, restyle

_DECISIONS = {
    Verdict.WEIGHT_PASS: "pass",
    Verdict.WEIGHT_OVERRIDE: "override",
    Verdict.WEIGHT_MISMATCH: "fail",
    Verdict.WEIGHT_UNKNOWN: "unknown",
}


class WeightDisplay(QFrame):
    """The scale's live reading and whether it is stable."""

    # What the open package should weigh (an Expectation, or None), each time it is shown.
    expectation_shown = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightDisplay")
        self._value = named(QLabel("—"), "weightValue")
        self._stability = named(QLabel(), "weightStability")
        self._expected = named(QLabel(), "weightExpected")
        self._decision = named(QLabel(), "weightDecision")
        # Two chips side by side (stable? weighed?) keep the panel as low as the header.
        layout = QGridLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setHorizontalSpacing(8)
        layout.setVerticalSpacing(3)
        layout.addWidget(self._value, 0, 0, 1, 2)
        layout.addWidget(self._stability, 1, 0)
        layout.addWidget(self._decision, 1, 1)
        layout.addWidget(self._expected, 2, 0, 1, 2)
        for label in (self._value, self._stability, self._expected, self._decision):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stable: ScaleReading | None = None
        self._set_stability("none", self.tr("no scale"))
        self.show_expected(None)
        self.show_decision(None)

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

    def expected_text(self) -> str:
        """The expected weight as shown."""
        return self._expected.text()

    def decision_text(self) -> str:
        """The last weighing's decision as shown."""
        return self._decision.text()

    @property
    def decision(self) -> str:
        """``pass``, ``fail``, ``unknown``, ``override`` or ``none``."""
        return str(self._decision.property("state"))

    def show_expected(self, expectation: Expectation | None) -> None:
        """What the open package should weigh, as the range the engine accepts."""
        self.expectation_shown.emit(expectation)
        if expectation is None:
            self._expected.setText(self.tr("expect: —"))
            self._expected.setToolTip("")
            return
        low = (expectation.expected_g - expectation.tolerance_g) / 1000
        high = (expectation.expected_g + expectation.tolerance_g) / 1000
        text = self.tr("expect {low:.3f}–{high:.3f} kg").format(low=low, high=high)
        if expectation.unknown:
            text += " " + self.tr("(+ unknown)")
        self._expected.setText(text)
        self._expected.setToolTip(expectation.note)

    def show_decision(self, outcome: Outcome | None) -> None:
        """The engine's decision on the package's last weighing; None: not weighed yet."""
        state = _DECISIONS.get(outcome.verdict, "none") if outcome is not None else "none"
        extra = outcome.extra if outcome is not None else {}
        if state == "pass":
            text = self.tr("✔ WEIGHT OK")
        elif state == "fail":
            diff = extra.get("difference_g")
            grams = f"{float(diff):+.0f} g" if isinstance(diff, int | float) else ""
            text = self.tr("✖ MISMATCH {diff}").format(diff=grams).strip()
            # Which rule flagged it: the packs of this SKU set in this box, or the expected sum.
            if extra.get("rule") == "history":
                text += " · " + self.tr("by history")
            elif extra.get("rule") == "expected":
                text += " · " + self.tr("by expected weight")
        elif state == "unknown":
            text = self.tr("? SUPERVISOR CHECK")
        elif state == "override":
            text = self.tr("✔ ACCEPTED")
        else:
            text = self.tr("not weighed")
        self._decision.setText(text)
        restyle(self._decision, "state", state)

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
