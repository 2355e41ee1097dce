"""The order header: which order, how urgent, how it ships, and the flags a packer must not miss.

Gift, cross-border and priority are shown as flags (yellow, or red when urgent) so they are
seen at a glance; channel and ship method are plain text beside them.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.pack.order_info import OrderInfo
from ui.theme import named, restyle


class OrderHeader(QWidget):
    """Header of the open order; a prompt when none is open."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._number = named(QLabel(), "orderNumber")
        self._package = named(QLabel(), "boxNumber")
        self._details = named(QLabel(), "headerField")
        self._details.setWordWrap(True)
        self._flags = [named(QLabel(), "orderFlag") for _ in range(3)]  # priority, gift, abroad
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self._number)
        for flag in self._flags:
            top.addWidget(flag)
        top.addStretch(1)
        top.addWidget(self._package)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(top)
        column.addWidget(self._details)
        self.show_none()

    def number_text(self) -> str:
        """The order line as shown."""
        return self._number.text()

    def flags(self) -> list[str]:
        """The flags shown (priority, gift, cross-border), in that order."""
        return [f.text() for f in self._flags if not f.isHidden()]

    def box_text(self) -> str:
        """Which box is being filled, as shown."""
        return self._package.text()

    def details_text(self) -> str:
        """Channel, ship method and gift note as shown."""
        return self._details.text()

    def show_none(self, prompt: str | None = None) -> None:
        """No order is open."""
        self._number.setText(prompt or self.tr("No order open"))
        self._details.setText(self.tr("Scan an order or tote barcode, or type its number"))
        self._package.setText("")
        self._set_flags([])

    def show_number(self, number: str, package_no: int | None) -> None:
        """An order is open; its details follow once they are read."""
        self._number.setText(self.tr("Order {number}").format(number=number))
        self.set_package(package_no)

    def show_packed(self, number: str) -> None:
        """The order is finished."""
        self.show_none(self.tr("Order {number} packed").format(number=number))
        self._details.setText(self.tr("Scan the next order or tote"))

    def set_package(self, package_no: int | None) -> None:
        """Which box is being filled."""
        text = self.tr("Box {n}").format(n=package_no) if package_no else ""
        self._package.setText(text)

    def show_info(self, info: OrderInfo) -> None:
        """Channel, priority, ship method, gift and cross-border of the open order."""
        flags: list[tuple[str, str]] = []
        if info.priority >= 2:
            flags.append((self.tr("URGENT"), "urgent"))
        elif info.priority == 1:
            flags.append((self.tr("EXPRESS"), "true"))
        if info.gift:
            flags.append((self.tr("GIFT"), "true"))
        if info.cross_border:
            where = f" → {info.country}" if info.country else ""
            flags.append((self.tr("CROSS-BORDER") + where, "true"))
        self._set_flags(flags)
        parts = [
            self.tr("Channel: {channel}").format(channel=info.channel),
            self.tr("Ship: {method}").format(method=info.ship_method.replace("_", " ")),
        ]
        if info.tote:
            parts.append(self.tr("Tote: {tote}").format(tote=info.tote))
        if info.gift_note:
            parts.append(self.tr("Gift note: “{note}”").format(note=info.gift_note))
        self._details.setText("   ·   ".join(parts))

    def _set_flags(self, flags: list[tuple[str, str]]) -> None:
        for label, flag in zip(self._flags, [*flags, *[("", "")] * 3], strict=False):
            text, kind = flag
            restyle(label, "flag", kind)  # colour only: Qt re-polishes colours, not padding
            label.setText(text)
            label.setHidden(not text)
