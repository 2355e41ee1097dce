"""The order's lines: scanned against expected, a bar per line, the last line scanned marked.

``LinesModel`` is a read-only table model over the engine's ``LineProgress`` snapshots (it
passes ``qtmodeltester``); ``LinesView`` is the table the pack screen shows. The view never
takes focus: keys belong to the scan field.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from station.packing.kits import shown_lines
from station.packing.verdicts import LineProgress

AnyIndex = QModelIndex | QPersistentModelIndex
FRACTION_ROLE = Qt.ItemDataRole.UserRole + 1  # done share of a line, 0.0 to 1.0

DONE_BACKGROUND = QColor("#005a25")
LAST_BACKGROUND = QColor("#3d3300")


class LinesModel(QAbstractTableModel):
    """Order lines as rows: #, SKU, product, barcode, packed / expected, progress."""

    COLUMNS = ("#", "SKU", "Product", "Barcode", "Packed", "Progress")
    PACKED, PROGRESS = 4, 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: tuple[LineProgress, ...] = ()  # the rows shown
        self._order_lines: tuple[
            LineProgress, ...
        ] = ()  # the order's lines, as the engine has them
        self._last_line_id: int | None = None

    def set_lines(self, lines: Sequence[LineProgress], last_line_id: int | None = None) -> None:
        """Show ``lines``; ``last_line_id`` is the line the latest scan went to."""
        self.beginResetModel()
        self._order_lines = tuple(lines)
        # A kit being put together lists its components in place of its parent line.
        self._lines = tuple(shown_lines(lines))
        self._last_line_id = last_line_id
        self.endResetModel()

    def line(self, row: int) -> LineProgress:
        """The line shown in ``row``."""
        return self._lines[row]

    def order_lines(self) -> tuple[LineProgress, ...]:
        """The order's lines (a kit's parent line even while its components are listed)."""
        return self._order_lines

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """One row per order line (a table: no children)."""
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """The columns of :attr:`COLUMNS`."""
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (translated); row numbers are the lines' own."""
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        titles = (
            "#",
            self.tr("SKU"),
            self.tr("Product"),
            self.tr("Barcode"),
            self.tr("Packed"),
            self.tr("Progress"),
        )
        return titles[section]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, colours and the done share of each cell."""
        if not index.isValid() or index.row() >= len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        last = line.line_id == self._last_line_id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(line, column)
        if role == FRACTION_ROLE:
            return 1.0 if line.expected == 0 else (line.packed + line.short) / line.expected
        if role == Qt.ItemDataRole.BackgroundRole:
            if line.done:
                return QBrush(DONE_BACKGROUND)
            return QBrush(LAST_BACKGROUND) if last else None
        if role == Qt.ItemDataRole.FontRole and (last or column == self.PACKED):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (0, self.PACKED):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{line.sku} — {line.name}"
        return None

    def _text(self, line: LineProgress, column: int) -> str | None:
        if column == 0:
            return str(line.line_no)
        if column == 1:
            return line.sku
        if column == 2:
            return line.name + (f"  ({line.partial})" if line.partial else "")
        if column == 3:
            return line.barcode
        if column == self.PACKED:
            text = f"{line.packed} / {line.expected}"
            if line.short:
                text += " " + self.tr("(short {n})").format(n=line.short)
            return text
        if column == self.PROGRESS:
            return "✔" if line.done else ""
        return None


class ProgressDelegate(QStyledItemDelegate):
    """Paints the progress column as a bar (drawn here: the theme's QProgressBar rules do not
    reach cells of a table)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        """Background, a green share, and the check mark when done."""
        cell = QStyleOptionViewItem(option)
        self.initStyleOption(cell, index)
        cell.text = ""
        widget = cell.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, cell, painter, widget)
        fraction = index.data(FRACTION_ROLE)
        share = min(1.0, max(0.0, float(fraction))) if fraction is not None else 0.0
        rect: QRect = option.rect.adjusted(8, 10, -8, -10)
        painter.save()
        painter.fillRect(rect, QColor("#262626"))
        painter.fillRect(
            QRect(rect.x(), rect.y(), int(rect.width() * share), rect.height()), QColor("#00c060")
        )
        painter.setPen(QColor("#ffffff"))
        painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index.data() or ""))
        painter.restore()


class LinesView(QTableView):
    """The lines table: large rows, no focus, no editing, no selection."""

    def __init__(self, model: LinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("linesView")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self._fit_rows()
        self._delegate = ProgressDelegate(self)
        self.setItemDelegateForColumn(LinesModel.PROGRESS, self._delegate)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(LinesModel.PROGRESS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(LinesModel.PROGRESS, 160)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """Rows follow the font the theme gives (it grows on a large screen)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_rows()

    def _fit_rows(self) -> None:
        self.verticalHeader().setDefaultSectionSize(round(self.fontMetrics().height() * 1.9))
