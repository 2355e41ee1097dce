"""The dashboard's table: one row per user (or per bench) and a total, as a read-only model.

Passes ``qtmodeltester``. Numbers are right-aligned text formatted here; a ratio with nothing
to divide by shows a dash, never a misleading 0 % or 100 %.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.dashboard import Figures, Group

AnyIndex = QModelIndex | QPersistentModelIndex
TOTAL_BACKGROUND = QColor("#333333")


def percent(value: float | None) -> str:
    """A ratio as a percentage with one decimal (— when there is none)."""
    return "—" if value is None else f"{100 * value:.1f} %"


def number(value: float | None, digits: int = 1) -> str:
    """A number with ``digits`` decimals (— when there is none)."""
    return "—" if value is None else f"{value:.{digits}f}"


class GroupsModel(QAbstractTableModel):
    """Users or benches as rows, the total last: packs, rates, accuracy, exceptions, returns,
    and what the bench asked of the packer (batch packs, instructions confirmed, inserts)."""

    COLUMNS = 13

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[Group, ...] = ()

    def set_groups(self, groups: Sequence[Group], total: Figures) -> None:
        """Show ``groups`` and a total row after them."""
        self.beginResetModel()
        self._rows = (*groups, Group(self.tr("All"), total))
        self.endResetModel()

    def group(self, row: int) -> Group:
        """The user or bench shown in ``row`` (the last row is the total)."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """One row per user or bench, and the total (a table: no children)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        """Name and twelve figures."""
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column titles (translated)."""
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (
            self.tr("Name"),
            self.tr("Packs"),
            self.tr("Packs / h"),
            self.tr("Scans"),
            self.tr("Accuracy"),
            self.tr("Exceptions"),
            self.tr("Mismatch"),
            self.tr("s / order"),
            self.tr("Box use"),
            self.tr("Returns"),
            self.tr("Batch"),
            self.tr("Instructions"),
            self.tr("Inserts"),
        )
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, right-aligned numbers, and the total row on a lighter background."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(self._rows[row], column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignLeft if column == 0 else Qt.AlignmentFlag.AlignRight
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(column)
        if role == Qt.ItemDataRole.BackgroundRole and row == len(self._rows) - 1:
            return QBrush(TOTAL_BACKGROUND)
        return None

    def _tip(self, column: int) -> str | None:
        tips = {
            6: self.tr("Weighed packages that failed their weight check at least once"),
            10: self.tr("Orders picked by their item's scan in single-item batch mode"),
            11: self.tr("Packing instructions confirmed"),
            12: self.tr("Inserts added / missing at completion"),
        }
        return tips.get(column)

    def _text(self, group: Group, column: int) -> str:
        f = group.figures
        texts = (
            group.name,
            str(f.packs),
            number(f.packs_per_hour),
            str(f.scans),
            percent(f.scan_accuracy),
            str(f.exception_count),
            percent(f.weight_mismatch_rate),
            number(f.median_order_s, 0),
            percent(f.box_utilisation),
            str(f.returns_inspected),
            str(f.batch_packs),
            str(f.instruction_confirmations),
            f"{f.inserts_added} / {f.inserts_missing}",
        )
        return texts[column]
