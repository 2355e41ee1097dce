"""Choices for a "where is it" field: the serial ports (or cameras) found, and paths typed by
hand (a pty of an emulator, a ``/dev/serial/by-id`` link), as a list model (passes
``qtmodeltester``).

One model feeds several combo boxes (the scale's and the scanner's port). A refresh changes
rows one by one instead of resetting the model, and :class:`ChoiceBox` keeps what its field
says across any change of the list: finding a new port must never rewrite a port the
supervisor has typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1  # the path itself, whatever the text shows


@dataclass(frozen=True)
class Choice:
    """One entry: the value a field takes, and what it is (for the tooltip)."""

    value: str
    description: str = ""
    detected: bool = True  # False: typed by hand, kept until the screen goes


class ChoicesModel(QAbstractListModel):
    """Detected entries first (in the order found), then those typed by hand."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Choice] = []

    def choices(self) -> tuple[Choice, ...]:
        """The entries, in row order."""
        return tuple(self._rows)

    def set_detected(self, found: Sequence[Choice]) -> None:
        """Replace the detected entries with ``found``; typed ones stay (unless now found)."""
        unique: list[Choice] = []
        values: set[str] = set()
        for choice in found:  # the first of each value
            if choice.value not in values:
                unique.append(choice)
                values.add(choice.value)
        wanted = unique + [c for c in self._rows if not c.detected and c.value not in values]
        # Remove what went, then insert what came, each as its own change: views keep their
        # selection and a combo box its text.
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row] not in wanted:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        for row, choice in enumerate(wanted):
            if row < len(self._rows) and self._rows[row] == choice:
                continue
            if choice in self._rows:  # found again in another place: move it there
                old = self._rows.index(choice)
                self.beginRemoveRows(QModelIndex(), old, old)
                del self._rows[old]
                self.endRemoveRows()
            self.beginInsertRows(QModelIndex(), row, row)
            self._rows.insert(row, choice)
            self.endInsertRows()

    def add_typed(self, value: str) -> None:
        """Offer ``value`` (typed into a field) as a choice too, if it is not one already."""
        value = value.strip()
        if not value or any(c.value == value for c in self._rows):
            return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(Choice(value, detected=False))
        self.endInsertRows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """One row per choice (a list: no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """The value as text; what the system says of it as the tooltip."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        choice = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, VALUE_ROLE):
            return choice.value
        if role == Qt.ItemDataRole.ToolTipRole:
            if not choice.detected:
                return self.tr("typed by hand")
            return choice.description or None
        return None


class ChoiceBox(QComboBox):
    """An editable combo box over a shared :class:`ChoicesModel` whose text only the person
    (or :meth:`set_value`) changes."""

    def __init__(self, model: ChoicesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The layout's width, not the longest path's (which would widen the window).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setModel(model)
        self._kept = ""
        for signal in (model.rowsAboutToBeRemoved, model.rowsAboutToBeInserted):
            signal.connect(self._keep)
        for signal in (model.rowsRemoved, model.rowsInserted):
            signal.connect(self._restore)

    def value(self) -> str:
        """What the field says."""
        return self.currentText().strip()

    def set_value(self, text: str) -> None:
        """Show ``text``, whether or not it is among the choices."""
        row = self.findText(text)
        if row >= 0:
            self.setCurrentIndex(row)
        self.setEditText(text)

    def _keep(self, *_args: object) -> None:
        self._kept = self.currentText()

    def _restore(self, *_args: object) -> None:
        if self.currentText() != self._kept:
            self.setEditText(self._kept)
