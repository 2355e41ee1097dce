"""The pack screen's widgets and where they sit; the behaviour is in ``ui.pack.screen``.

Top: the order header, the camera preview (when a camera is configured) and the live weight
(with the expected range and the weighing's decision). A red strip when the hub blocked the
open order, then the verdict banner across the full width, the scan field with the order's
overall progress, the lines (under them the last packed order's label and its print state)
beside the box to use, the orders to pack and the last scans, and a row of command buttons,
each with its key.
Buttons never take focus: the scan field keeps it, so a scanner's Enter can never press one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.packing.verdicts import LineProgress
from ui.pack.camera_view import CameraView
from ui.pack.label_view import LabelPanel
from ui.pack.pack_info import PackInfoPanel
from ui.pack.shipping_view import ShippingPanel
from ui.theme import named
from ui.widgets.banner import VerdictBanner
from ui.widgets.lines import LinesModel, LinesView
from ui.widgets.order_header import OrderHeader
from ui.widgets.weight import WeightDisplay


class OrderRow(Protocol):
    """What the list of orders to pack needs of an order summary."""

    number: str
    status: str
    lines: int


class PackLayout(QWidget):
    """The pack screen's widgets, laid out for 1280×800 and up."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = OrderHeader()
        self.weight = WeightDisplay()
        self.camera = CameraView()
        self.label_panel = LabelPanel()
        self.shipping_panel = ShippingPanel()
        self.pack_info = PackInfoPanel()
        self.banner = VerdictBanner()
        self.blocked = named(QLabel(), "blockedStrip")
        self.blocked.setWordWrap(True)
        self.blocked.hide()
        self.box_hint = named(QLabel(), "boxHint")
        # One line whatever the box is called: it must not push the window wider or taller.
        self.box_hint.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.input = named(QLineEdit(), "scanInput")
        self.input.setPlaceholderText(self.tr("Scan, or type a code and press Enter"))
        self.units = named(QProgressBar(), "unitsProgress")
        self.units.setFormat(self.tr("%v / %m units"))
        self.units.setRange(0, 1)
        self.units.setValue(0)
        self.lines_model = LinesModel(self)
        self.lines = LinesView(self.lines_model)
        self.orders = named(QListWidget(), "ordersList")
        self.history = named(QListWidget(), "history")
        for widget in (self.orders, self.history):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            widget.setTextElideMode(Qt.TextElideMode.ElideRight)
            widget.setMinimumHeight(48)  # the lines get the height; these are for a glance
        self.undo_button = QPushButton(self.tr("Undo  [F5]"))
        self.new_box_button = QPushButton(self.tr("New box  [F6]"))
        self.weigh_button = QPushButton(self.tr("Weigh  [F7]"))
        self.override_button = QPushButton(self.tr("Supervisor  [F8]"))
        self.override_button.setToolTip(self.tr("A supervisor accepts the package's weight"))
        self.complete_button = QPushButton(self.tr("Complete  [F9]"))

        self.ack_button = QPushButton(self.tr("Acknowledge  [F12/Esc]"))
        self._shortcuts: list[QShortcut] = []
        self._lay_out()
        self.setFocusProxy(self.input)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.header, 1, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.camera)
        top.addWidget(self.weight)
        self.weight.setMinimumWidth(360)
        scan_row = QHBoxLayout()
        scan_row.addWidget(self.input, 3)
        scan_row.addWidget(self.units, 1)
        side = QGridLayout()
        side.addWidget(self.box_hint, 0, 0)
        side.addWidget(QLabel(self.tr("Orders to pack")), 1, 0)
        side.addWidget(self.orders, 2, 0)
        side.addWidget(QLabel(self.tr("Last scans")), 3, 0)
        side.addWidget(self.history, 4, 0)
        side.setRowStretch(2, 1)
        side.setRowStretch(4, 1)
        # The label preview under the lines: they have height to spare (the side column sets
        # the row's minimum), so the window still fits 1280x800 with a two-line banner.
        left = QVBoxLayout()
        left.addWidget(self.lines, 1)
        left.addWidget(self.label_panel)
        left.addWidget(self.shipping_panel)
        middle = QHBoxLayout()
        middle.addLayout(left, 3)
        middle.addWidget(self.pack_info)  # beside the lines: hidden with nothing to show
        middle.addLayout(side, 1)
        buttons = QHBoxLayout()
        for button in (
            self.undo_button,
            self.new_box_button,
            self.weigh_button,
            self.override_button,
            self.complete_button,
        ):
            buttons.addWidget(named(button, "commandButton"))
        buttons.addStretch(1)
        buttons.addWidget(named(self.ack_button, "commandButton"))
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(8)
        column.addLayout(top)
        column.addWidget(self.blocked)
        column.addWidget(self.banner)
        column.addLayout(scan_row)
        column.addLayout(middle, 1)
        column.addLayout(buttons)

    def bind_action(
        self,
        button: QPushButton,
        key: str,
        action: Callable[[], None],
        extra_key: str | None = None,
    ) -> None:
        """Run ``action`` from ``button`` (touch) and from ``key`` while this screen is shown."""
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setAutoDefault(False)  # Enter must never press a button
        button.clicked.connect(lambda _checked=False: action())
        for sequence in (key, extra_key):
            if sequence is not None:
                self.bind_key(sequence, action)

    def bind_key(self, key: str, action: Callable[[], None]) -> None:
        """Run ``action`` from ``key`` while this screen is shown."""
        shortcut = QShortcut(QKeySequence(key), self)
        # Only while the pack screen (or a child) has focus: a hidden screen's keys are off.
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(action)
        self._shortcuts.append(shortcut)

    def show_lines(self, lines: Sequence[LineProgress], last_line_id: int | None) -> None:
        """Show the order's lines and its overall progress in units."""
        self.lines_model.set_lines(lines, last_line_id)
        expected = sum(line.expected for line in lines)
        done = sum(line.packed + line.short for line in lines)
        self.units.setRange(0, max(expected, 1))
        self.units.setValue(min(done, expected))
