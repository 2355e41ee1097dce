"""The input widgets of the device forms, each reading and showing its setting as text.

Every field gives its value as the text the TOML file would hold (``station.config_write``
converts and checks it), so a wrong entry such as a baud rate of "abc" reaches the check and
is refused with the field's name instead of being silently corrected by the widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QSizePolicy, QWidget

from ui.devices_screen.ports_model import ChoiceBox


@runtime_checkable
class Field(Protocol):
    """What a form needs of an input: its text value, shown or read."""

    def value(self) -> str:
        """The setting as text."""
        ...

    def set_value(self, text: str) -> None:
        """Show the setting ``text``."""


def narrow(box: QComboBox) -> QComboBox:
    """A combo box whose longest entry (a long path, a kind with its words) does not widen
    the window past 1280 px: it takes the width the layout gives it."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(8)
    return box


class Pick(QComboBox):
    """A fixed list of values (a device kind, a unit), each with words beside it."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        narrow(self)
        for value, label in choices:
            self.addItem(label, value)

    def value(self) -> str:
        """The value chosen."""
        return str(self.currentData())

    def set_value(self, text: str) -> None:
        """Choose ``text``; a value not in the list (an old file's) is added, not lost."""
        row = self.findData(text)
        if row < 0:
            self.addItem(text, text)
            row = self.count() - 1
        self.setCurrentIndex(row)


class RateBox(QComboBox):
    """Usual values to pick from, or any text typed (checked when saved or tested).

    ``default_label`` names the value 0 ("the protocol's default") when there is one.
    """

    def __init__(
        self, rates: Sequence[int], default_label: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        narrow(self)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._default_label = default_label
        if default_label is not None:
            self.addItem(default_label)
        for rate in rates:
            self.addItem(str(rate))

    def value(self) -> str:
        """The rate typed or chosen; "0" for the default entry."""
        text = self.currentText().strip()
        return "0" if self._default_label is not None and text == self._default_label else text

    def set_value(self, text: str) -> None:
        """Show ``text`` ("0" as the default entry)."""
        if text == "0" and self._default_label is not None:
            text = self._default_label
        self.setEditText(text)


class PathLabel(QLabel):
    """A file path that gives way to the buttons beside it: shortened in the middle when the
    row is narrow (the whole path is in the tooltip), so a long home folder never widens the
    window."""

    def __init__(self, path: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path = path
        self.setToolTip(path)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(path)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Show as much of the path as fits."""
        super().resizeEvent(event)
        metrics = self.fontMetrics()
        self.setText(metrics.elidedText(self._path, Qt.TextElideMode.ElideMiddle, self.width()))


class TextField(QLineEdit):
    """Free text (a VID:PID, a weight, a printer address)."""

    def value(self) -> str:
        """The text, without surrounding spaces."""
        return self.text().strip()

    def set_value(self, text: str) -> None:
        """Show ``text``."""
        self.setText(text)


__all__ = ["ChoiceBox", "Field", "PathLabel", "Pick", "RateBox", "TextField", "narrow"]
