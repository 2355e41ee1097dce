"""The pack window: scan (or type) a code, see the verdict, pack the order line by line.

The window holds no business rule: it hands every code to ``PackService`` through the
database worker and shows the ``Outcome`` it gets back, which exists only after the scan was
committed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drivers.base import DeviceState, DeviceStatus
from drivers.scale.model import ScaleReading
from station.packing.service import PackService
from station.packing.verdicts import LineProgress, Outcome, Severity
from ui.worker import DbWorker

BANNER_STYLE = {
    Severity.OK: "background:#1b7f3b;color:white;",
    Severity.INFO: "background:#2f4f6f;color:white;",
    Severity.WARNING: "background:#e0a000;color:black;",
    Severity.ERROR: "background:#b00020;color:white;",
}


class OrderRow(Protocol):
    """What the order list needs of an order summary."""

    number: str
    status: str
    lines: int


class PackWindow(QMainWindow):
    """Main window of the pack bench (the full screen set comes with the UI issue)."""

    outcome_shown = Signal(object)  # the Outcome, after it is on screen (tests wait on it)

    def __init__(
        self,
        worker: DbWorker,
        service: PackService,
        load_orders: Callable[[], Sequence[OrderRow]],
        station: str,
    ) -> None:
        super().__init__()
        self._worker = worker
        self._service = service
        self._load_orders = load_orders
        self.setWindowTitle(f"Pack station — {station}")
        self.resize(1100, 700)

        self.header = QLabel("No order open: scan an order or tote, or pick one on the left")
        self.header.setFont(QFont(self.font().family(), 14, QFont.Weight.Bold))
        self.banner = QLabel("Ready")
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setMinimumHeight(90)
        self.banner.setWordWrap(True)
        self.banner.setFont(QFont(self.font().family(), 22, QFont.Weight.Bold))
        self.banner.setStyleSheet(BANNER_STYLE[Severity.INFO])
        self.banner.setObjectName("verdictBanner")

        self.input = QLineEdit()
        self.input.setPlaceholderText("Scan or type a code, then Enter")
        self.input.setFont(QFont(self.font().family(), 16))
        self.input.returnPressed.connect(self._on_enter)

        self.lines = QTableWidget(0, 5)
        self.lines.setHorizontalHeaderLabels(["#", "SKU", "Product", "Barcode", "Packed"])
        self.lines.verticalHeader().setVisible(False)
        self.lines.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = self.lines.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.history = QListWidget()
        self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.orders = QListWidget()
        self.orders.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.orders.itemActivated.connect(self._on_order_activated)

        self.undo_button = QPushButton("Undo (F5)")
        self.new_box_button = QPushButton("New box (F6)")
        self.complete_button = QPushButton("Complete (F9)")
        for button, action, key in (
            (self.undo_button, service.undo, "F5"),
            (self.new_box_button, service.new_package, "F6"),
            (self.complete_button, service.complete, "F9"),
        ):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, a=action: self._submit(a))
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.activated.connect(lambda a=action: self._submit(a))
        self._lay_out()
        # Devices report here through the bridge: the live weight, then one label per device.
        self.weight_label = QLabel("Scale: -")
        self.weight_label.setObjectName("liveWeight")
        self.statusBar().addPermanentWidget(self.weight_label)
        self._device_labels: dict[str, QLabel] = {}
        self.input.setFocus()
        self.refresh_orders()
        if service.state is not None:
            self.header.setText(f"Order {service.state.order_number} (resumed)")
            self._show_lines(service.state.progress())

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.undo_button, self.new_box_button, self.complete_button):
            buttons.addWidget(button)
        right = QWidget()
        column = QVBoxLayout(right)
        column.addWidget(self.header)
        column.addWidget(self.banner)
        column.addWidget(self.input)
        column.addWidget(self.lines, 3)
        column.addLayout(buttons)
        column.addWidget(QLabel("Last scans"))
        column.addWidget(self.history, 1)
        left = QWidget()
        side = QVBoxLayout(left)
        side.addWidget(QLabel("Orders to pack"))
        side.addWidget(self.orders)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([250, 850])
        self.setCentralWidget(splitter)

    # --- actions -------------------------------------------------------------------------

    def submit_code(self, code: str) -> None:
        """Hand a scanned or typed code to the engine (also the scanner bridge's entry)."""
        self._submit(lambda: self._service.scan(code))

    def _on_enter(self) -> None:
        code = self.input.text()
        self.input.clear()
        self.submit_code(code)

    def _on_order_activated(self, item: QListWidgetItem) -> None:
        number = item.data(Qt.ItemDataRole.UserRole)
        self._submit(lambda: self._service.open_order(str(number)))

    def _submit(self, action: Callable[[], Outcome]) -> None:
        self._worker.submit(action, self._show_outcome, self._show_error)

    def refresh_orders(self) -> None:
        """Reload the list of orders to pack (in the background)."""
        self._worker.submit(self._load_orders, self._fill_orders, self._show_error)

    # --- display -------------------------------------------------------------------------

    def _fill_orders(self, rows: Any) -> None:
        self.orders.clear()
        for row in rows:
            item = QListWidgetItem(f"{row.number}  ·  {row.lines} line(s)  ·  {row.status}")
            item.setData(Qt.ItemDataRole.UserRole, row.number)
            self.orders.addItem(item)

    def _show_outcome(self, outcome: Outcome) -> None:
        self.banner.setText(outcome.message)
        self.banner.setStyleSheet(BANNER_STYLE[outcome.severity])
        self.banner.setProperty("verdict", outcome.verdict.value)
        self.history.insertItem(0, f"{outcome.verdict.value:14}  {outcome.message}")
        if outcome.order_number:
            package = f" · package {outcome.package_no}" if outcome.package_no else ""
            user = f" · {outcome.user}" if outcome.user else ""
            self.header.setText(f"Order {outcome.order_number}{package}{user}")
        if outcome.lines:
            self._show_lines(outcome.lines)
        if outcome.verdict.value in ("completed", "order_opened"):
            self.refresh_orders()
        if outcome.verdict.value == "completed":
            self.header.setText(f"Order {outcome.order_number} packed — scan the next order")
        self.outcome_shown.emit(outcome)

    def _show_lines(self, lines: Sequence[LineProgress]) -> None:
        self.lines.setRowCount(len(lines))
        for row, line in enumerate(lines):
            progress = f"{line.packed} / {line.expected}"
            if line.short:
                progress += f" (short {line.short})"
            if line.partial:
                progress += f" + {line.partial}"
            cells = (str(line.line_no), line.sku, line.name, line.barcode, progress)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if line.done:
                    item.setBackground(Qt.GlobalColor.green)
                self.lines.setItem(row, col, item)

    def _show_error(self, error: BaseException) -> None:
        # The scan was not stored (the transaction rolled back): say so, so it is scanned again.
        self.banner.setText(f"NOT STORED — scan again. {type(error).__name__}: {error}")
        self.banner.setStyleSheet(BANNER_STYLE[Severity.ERROR])
        self.banner.setProperty("verdict", "error")
        self.history.insertItem(0, f"error           {error}")

    # --- devices (called on the GUI thread by the device bridge) ----------------------------

    def show_weight(self, reading: ScaleReading) -> None:
        """Show the scale's live reading; a state without a weight is shown as that state."""
        if reading.weight_g is None:
            detail = f" ({reading.detail})" if reading.detail else ""
            text = f"Scale: {reading.state.value}{detail}"
        else:
            settling = "" if reading.stable else " (moving)"
            text = f"Scale: {reading.weight_g / 1000:.3f} kg{settling}"
        self.weight_label.setText(text)
        self.weight_label.setProperty("state", reading.state.value)

    def show_device_status(self, status: DeviceStatus) -> None:
        """One status-bar label per device: its state, and the reason when it is not working."""
        label = self._device_labels.get(status.device)
        if label is None:
            label = QLabel()
            label.setObjectName(f"device-{status.device}")
            self._device_labels[status.device] = label
            self.statusBar().addPermanentWidget(label)
        failing = status.state is not DeviceState.CONNECTED
        reason = f" — {status.reason}" if failing and status.reason else ""
        label.setText(f"{status.device}: {status.state.value}{reason}")
        label.setToolTip(status.reason)
        label.setStyleSheet("color:#b00020;" if status.state is DeviceState.ERROR else "")
