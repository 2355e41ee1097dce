"""The units received in the open parcel, as a read-only table (passes ``qtmodeltester``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.returns.state import ItemView
from station.returns.tags import tag_id
from ui.returns.words import disposition_word, item_verdict_word, refund_word

AnyIndex = QModelIndex | QPersistentModelIndex
FRAUD_BACKGROUND = QColor("#7a0000")
HOLD_BACKGROUND = QColor("#5c4400")
DONE_BACKGROUND = QColor("#003d19")


class ItemsModel(QAbstractTableModel):
    """Returned units as rows: tag, SKU, product, verdict, serial or lot, grade, where, refund."""

    COLUMNS = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: tuple[ItemView, ...] = ()

    def set_items(self, items: Sequence[ItemView]) -> None:
        """Show ``items`` (those taken back by undo are left out)."""
        self.beginResetModel()
        self._items = tuple(i for i in items if i.status != "undone")
        self.endResetModel()

    def item(self, row: int) -> ItemView:
        """The unit shown in ``row``."""
        return self._items[row]

    def row_of(self, item_id: int) -> int | None:
        """The row of unit ``item_id``, if it is shown."""
        return next((n for n, i in enumerate(self._items) if i.id == item_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """One row per unit (a table: no children)."""
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """Tag, SKU, product, verdict, serial / lot, grade, disposition, refund."""
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (translated)."""
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            self.tr("Tag"),
            self.tr("SKU"),
            self.tr("Product"),
            self.tr("Verdict"),
            self.tr("Serial / lot"),
            self.tr("Grade"),
            self.tr("Goes to"),
            self.tr("Refund"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, and a background that flags fraud, a hold and a finished unit."""
        if not index.isValid() or index.row() >= len(self._items):
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, index.column())
        if role == Qt.ItemDataRole.BackgroundRole:
            if item.fraud:
                return QBrush(FRAUD_BACKGROUND)
            if item.verdict in ("not_from_order", "unknown") or item.status == "held":
                return QBrush(HOLD_BACKGROUND)
            return QBrush(DONE_BACKGROUND) if item.status == "disposed" else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.fraud_reason or item.name or item.sku
        return None

    def _text(self, item: ItemView, column: int) -> str:
        texts = (
            tag_id(item.id),
            item.sku or "?",
            item.name or self.tr("unknown item"),
            item_verdict_word(item.verdict) + (" ⚠" if item.fraud else ""),
            item.serial or item.lot or "",
            item.grade or "",
            self.tr("held")
            if item.status == "held"
            else disposition_word(item.disposition)
            if item.disposition
            else "",
            refund_word(item.refund, item.refund_pct) if item.refund else "",
        )
        return texts[column]
