"""The evidence view: find an order, read its record, export it as a PDF for a dispute.

Scan or type an order number, a tracking number or a customer's name; the record (packages,
scans, weighings, photos, labels, who and when) is read on the database worker and shown as
a document. F9 writes it as a PDF into the station's evidence folder and says where. Keys:
Up/Down choose among several orders, Page Up/Down scroll the record. A badge switches user.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station.barcodes import Interpreter
from station.db import Database
from ui.evidence.document import EvidenceView, build_document, write_pdf
from ui.evidence.search import Found, find_evidence
from ui.theme import named
from ui.worker import DbWorker


class EvidenceScreen(QWidget):
    """Find an order and show or export its evidence record."""

    record_shown = Signal(object)  # EvidenceView
    exported = Signal(object)  # Path of the PDF written
    badge_scanned = Signal(str)

    def __init__(
        self,
        worker: DbWorker,
        db: Database,
        interpreter: Interpreter,
        photo_dir: Path,
        export_dir: Path,
        station: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._db = db
        self._interpreter = interpreter
        self._photo_dir = photo_dir
        self.export_dir = export_dir
        self._station = station
        self.record: EvidenceView | None = None
        self.input = named(QLineEdit(), "scanInput")
        self.input.setPlaceholderText(self.tr("Scan or type an order, tracking number or name"))
        self.input.returnPressed.connect(self._on_enter)
        self.input.installEventFilter(self)
        self.message = named(
            QLabel(self.tr("Find an order to see what was packed and proven.")), "evidenceMessage"
        )
        self.message.setWordWrap(True)
        self.orders = named(QListWidget(), "matchesList")
        self.orders.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.orders.itemActivated.connect(
            lambda item: self.submit_code(str(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.orders.hide()
        self.view = named(QTextBrowser(), "evidenceView")
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.export_button = named(QPushButton(self.tr("Export PDF  [F9]")), "commandButton")
        self.export_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.export_button.setAutoDefault(False)
        self.export_button.clicked.connect(lambda _c=False: self.export_pdf())
        self.export_button.setEnabled(False)
        self._key = QShortcut(QKeySequence("F9"), self)
        self._key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._key.activated.connect(self.export_pdf)
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.export_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(self.orders, 1)
        column.addWidget(self.view, 4)
        self.setFocusProxy(self.input)

    def submit_code(self, code: str) -> None:
        """A scanned or typed order number, tracking number or name (or a badge)."""
        db, interpreter, photo_dir = self._db, self._interpreter, self._photo_dir
        self.message.setText(self.tr("Looking up “{text}”…").format(text=code.strip()))
        self._worker.submit(
            lambda: find_evidence(db, interpreter, photo_dir, code), self._found, self._failed
        )

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Write the record shown as a PDF (into the evidence folder unless ``path``)."""
        view = self.record
        if view is None:
            return None
        target = path or self.export_dir / f"evidence-{view.record.order}.pdf"
        try:
            write_pdf(view, self._station, target)
        except OSError as exc:
            self.message.setText(self.tr("The PDF could not be written: {error}").format(error=exc))
            return None
        self.message.setText(self.tr("PDF written: {path}").format(path=target))
        self.exported.emit(target)
        return target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        """Up/Down choose an order; Page Up/Down scroll the record."""
        key = event.key() if isinstance(event, QKeyEvent) else None
        if watched is self.input and event.type() == QEvent.Type.KeyPress and key is not None:
            if key in (Qt.Key.Key_Up.value, Qt.Key.Key_Down.value) and self.orders.isVisible():
                step = -1 if key == Qt.Key.Key_Up.value else 1
                self.orders.setCurrentRow(
                    min(max(self.orders.currentRow() + step, 0), self.orders.count() - 1)
                )
                return True
            if key in (Qt.Key.Key_PageUp.value, Qt.Key.Key_PageDown.value):
                bar = self.view.verticalScrollBar()
                step = bar.pageStep() if key == Qt.Key.Key_PageDown.value else -bar.pageStep()
                bar.setValue(bar.value() + step)
                return True
        return super().eventFilter(watched, event)

    def _on_enter(self) -> None:
        text = self.input.text().strip()
        self.input.clear()
        if text:
            self.submit_code(text)
        elif self.orders.isVisible():
            self._open_chosen()

    def _open_chosen(self) -> None:
        item = self.orders.currentItem()
        if item is not None:
            self.submit_code(str(item.data(Qt.ItemDataRole.UserRole)))

    def _found(self, found: Found) -> None:
        if found.badge:
            self.message.setText("")
            self.badge_scanned.emit(found.text)
        elif found.view is not None:
            self._show(found.view)
        elif found.orders:
            self._choose(found)
        else:
            self.message.setText(self.tr("No order found for “{text}”.").format(text=found.text))

    def _show(self, view: EvidenceView) -> None:
        self.record = view
        self.orders.hide()
        document = build_document(view, self._station, dark=True)
        document.setDefaultFont(self.view.font())  # the theme's large type, not Qt's default
        # Owned by the browser, which then deletes it when the next record replaces it.
        document.setParent(self.view)
        self.view.setDocument(document)
        self.export_button.setEnabled(True)
        self.message.setText(
            self.tr("Order {order}: {packages} package(s). F9 exports it as a PDF.").format(
                order=view.record.order, packages=len(view.record.packages)
            )
        )
        self.record_shown.emit(view)

    def _choose(self, found: Found) -> None:
        self.orders.clear()
        for order in found.orders:
            text = f"{order.number} · {order.status} · {order.customer_name or '—'}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, order.number)
            self.orders.addItem(item)
        self.orders.setCurrentRow(0)
        self.orders.show()
        self.message.setText(self.tr("{n} orders match: ↑/↓ and Enter").format(n=len(found.orders)))

    def _failed(self, error: BaseException) -> None:
        self.message.setText(self.tr("The record could not be read: {error}").format(error=error))
