"""The unit being inspected: what it is, the customer's reason against the one observed, and
the grade with the disposition and refund the rules recommend (or the inspector's override).

The observed reason starts as the customer's; F3 and the reason's number key (or the
reason's barcode, ``REASON-<CODE>``) choose another directly, and a graded unit is graded
again once with the new reason, since the refund may depend on it (a fault of ours).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from station.returns.state import ItemView
from station.returns.tags import tag_id
from ui.returns.words import disposition_word, item_verdict_word, reason_word, refund_word
from ui.theme import named, restyle


class ItemPanel(QFrame):
    """The current unit, its reasons and its recommendation."""

    def __init__(self, reasons: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("itemPanel")
        self._reasons = tuple(reasons)
        self.title = named(QLabel(), "itemTitle")
        self.title.setWordWrap(True)
        self.fraud = named(QLabel(), "fraudNote")
        self.fraud.setWordWrap(True)
        self.customer = named(QLabel(), "itemField")
        self.observed = named(QComboBox(), "observedReason")
        self.observed.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F3 or a touch, never the scan
        for number, reason in enumerate(self._reasons, start=1):
            # Numbered as the keys that choose them after F3 (the first nine).
            shown = f"{number}  {reason_word(reason)}" if number <= 9 else reason_word(reason)
            self.observed.addItem(shown, reason)
        self.choosing = named(QLabel(), "itemField")  # the hint while F3 waits for a number
        self.choosing.setWordWrap(True)
        self.choosing.hide()
        self.grade = named(QLabel(), "itemField")
        self.recommendation = named(QLabel(), "recommendation")
        self.recommendation.setWordWrap(True)
        self.photos = named(QLabel(), "itemField")
        form = QFormLayout()
        form.setVerticalSpacing(4)
        form.addRow(self.tr("Customer says"), self.customer)
        form.addRow(self.tr("Observed [F3]"), self.observed)
        form.addRow("", self.choosing)
        form.addRow(self.tr("Grade"), self.grade)
        form.addRow(self.tr("Photos [F4]"), self.photos)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        column.addWidget(self.title)
        column.addWidget(self.fraud)
        column.addLayout(form)
        column.addWidget(self.recommendation)
        self.item: ItemView | None = None
        self.show_item(None)

    def observed_reason(self) -> str | None:
        """The reason the inspector observed (None when the settings list none)."""
        data = self.observed.currentData()
        return None if data is None else str(data)

    def ask_reason(self, asking: bool) -> None:
        """F3: show (or hide) which number key chooses which reason."""
        shown = [self.observed.itemText(i) for i in range(min(self.observed.count(), 9))]
        self.choosing.setText(
            self.tr("Observed reason — press its number (Esc: keep): {reasons}").format(
                reasons=" · ".join(shown)
            )
        )
        self.choosing.setVisible(asking)

    def choose_reason(self, reason: str) -> bool:
        """Make ``reason`` the observed one; True if it changed (the unit is graded again)."""
        index = self.observed.findData(reason)
        if index < 0 or index == self.observed.currentIndex():
            return False
        self.observed.setCurrentIndex(index)
        return True

    def reason_at(self, number: int) -> str | None:
        """The reason the number key ``number`` (1–9) chooses, if there is one."""
        if not 1 <= number <= min(self.observed.count(), 9):
            return None
        return str(self.observed.itemData(number - 1))

    def show_item(self, item: ItemView | None, photo_needed: bool = False) -> None:
        """Show ``item`` (None: no unit chosen); a new unit starts from the customer's reason."""
        first = item is None or self.item is None or item.id != self.item.id
        self.item = item
        if item is None:
            self.title.setText(self.tr("No unit yet: scan one from the parcel"))
            for label in (self.fraud, self.customer, self.grade, self.photos):
                label.setText("")
            self.fraud.hide()
            self.recommendation.setText("")
            # No unit, no chip: the last unit's coloured disposition must not stay behind.
            restyle(self.recommendation, "state", "none")
            return
        name = item.name or self.tr("unknown item")
        self.title.setText(
            f"{tag_id(item.id)} · {item.sku or '?'} · {name} — {item_verdict_word(item.verdict)}"
            + (f" · {item.serial}" if item.serial else "")
            + (f" · {self.tr('lot')} {item.lot}" if item.lot else "")
        )
        self.fraud.setText(
            self.tr("⚠ POSSIBLE FRAUD: {why}").format(why=item.fraud_reason or "")
            if item.fraud
            else ""
        )
        self.fraud.setVisible(item.fraud)
        self.customer.setText(reason_word(item.customer_reason))
        if first:
            wanted = item.observed_reason or item.customer_reason
            index = self.observed.findData(wanted)
            if index < 0:
                index = self.observed.findData("other")
            self.observed.setCurrentIndex(max(index, 0))
        self.grade.setText(item.grade or self.tr("not graded"))
        photos = self.tr("{n} taken").format(n=item.photos)
        if photo_needed and item.photos == 0:
            photos += " — " + self.tr("a photo is needed before disposal")
        self.photos.setText(photos)
        self._recommend(item)

    def _recommend(self, item: ItemView) -> None:
        if item.status == "held":
            self.recommendation.setText(
                self.tr("HELD: {reason}").format(reason=item.hold_reason or "")
            )
            restyle(self.recommendation, "state", "held")
            return
        if item.disposition is None:
            self.recommendation.setText(self.tr("Answer the checklist to grade the unit."))
            restyle(self.recommendation, "state", "open")
            return
        overridden = item.rule == "override"
        text = self.tr("{disposition} · {refund}").format(
            disposition=disposition_word(item.disposition).upper(),
            refund=refund_word(item.refund, item.refund_pct),
        )
        rule = self.tr("override") if overridden else item.rule or ""
        text += f"  ({rule})" if rule else ""
        if item.status == "disposed":
            text = self.tr("DISPOSED: {text}").format(text=text)
        self.recommendation.setText(text)
        restyle(self.recommendation, "state", "override" if overridden else item.status)
