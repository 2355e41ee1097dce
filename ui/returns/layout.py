"""The returns screen's widgets and where they sit; the behaviour is in ``ui.returns.screen``.

Top: the parcel (RMA, order, what is still expected), the verdict banner across the full
width (the pack screen's widget), the scan field. Then three columns: the unit on the bench
(reasons, grade, recommendation), its checklist, and what was shipped in the original
package; below them the parcel's units, or the returns a lookup matched; and a row of command
buttons with their keys. Buttons never take focus, so the scanner's Enter never presses one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station.config.returns import ReturnSettings
from ui.returns.checklist import Checklist
from ui.returns.item_panel import ItemPanel
from ui.returns.items_model import ItemsModel
from ui.returns.outbound_panel import OutboundPanel
from ui.theme import named
from ui.widgets.banner import VerdictBanner


class ReturnsLayout(QWidget):
    """The returns screen's widgets, laid out for 1280×800 and up."""

    def __init__(self, settings: ReturnSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.parcel = named(QLabel(), "parcelTitle")
        self.expected = named(QLabel(), "headerField")
        self.expected.setWordWrap(True)
        self.banner = VerdictBanner()
        self.banner.show_ready(self.tr("Scan the return label, RMA, order or tracking number"))
        self.input = named(QLineEdit(), "scanInput")
        self.input.setPlaceholderText(
            self.tr("Scan, or type an RMA, order, tracking number or customer name")
        )
        self.item_panel = ItemPanel(settings.reasons)
        self.checklist = Checklist(settings)
        self.outbound = OutboundPanel()
        self.items_model = ItemsModel(self)
        self.items = named(QTableView(), "itemsView")
        self.items.setModel(self.items_model)
        self.items.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.items.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items.verticalHeader().setVisible(False)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.matches = named(QListWidget(), "matchesList")
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches.hide()
        # The lists scroll: they give way first, so a two-line banner or the matches shown
        # beside the units never push the window past 800 px.
        for view in (self.items, self.matches):
            view.setMinimumHeight(48)
        self.undo_button = QPushButton(self.tr("Undo  [F5]"))
        self.photo_button = QPushButton(self.tr("Photo  [F4]"))
        self.override_button = QPushButton(self.tr("Override  [F8]"))
        self.dispose_button = QPushButton(self.tr("Dispose  [F10]"))
        self.hold_button = QPushButton(self.tr("Hold  [F6]"))
        self.complete_button = QPushButton(self.tr("Parcel done  [F9]"))
        self.create_button = QPushButton(self.tr("New RMA  [F2]"))
        self.create_button.hide()  # only when a parcel came without an RMA
        self.ack_button = QPushButton(self.tr("Acknowledge  [F12/Esc]"))
        self._lay_out()
        self.setFocusProxy(self.input)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.parcel)
        top.addWidget(self.expected, 1)
        # Beside the parcel it would open, not in the command row: there, a seventh button
        # widened the window past 1280 px.
        top.addWidget(named(self.create_button, "commandButton"))
        columns = QHBoxLayout()
        # The unit's panel is the widest: its wrapped lines (a fraud note under the unit's
        # title) grow the window past 800 px when it is narrow; the outbound record is short.
        columns.addWidget(self.item_panel, 5)
        columns.addWidget(self.checklist, 4)
        columns.addWidget(self.outbound, 3)
        buttons = QHBoxLayout()
        for button in (
            self.undo_button,
            self.photo_button,
            self.override_button,
            self.dispose_button,
            self.hold_button,
            self.complete_button,
        ):
            buttons.addWidget(named(button, "commandButton"))
        buttons.addStretch(1)
        buttons.addWidget(named(self.ack_button, "commandButton"))
        column = QVBoxLayout(self)
        # Tight vertically: with a fraud note under the unit and a two-line banner above, each
        # pixel counts to stay inside 800 px (the fit test renders that state).
        column.setContentsMargins(12, 6, 12, 6)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.banner)
        column.addWidget(self.input)
        column.addLayout(columns, 3)
        column.addWidget(self.items, 2)
        column.addWidget(self.matches, 2)
        column.addLayout(buttons)
