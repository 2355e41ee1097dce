"""Beside the verdict: what the packer reads and adds for the scan (issue 18, points 2-4).

The scanned product's packing instructions in large type and its picture (look-alike
variants are told apart by it), whether they must be confirmed (``F2`` or
``CMD-CONFIRM-INSTR``), the hazmat UN number of the product or the open order, and the
inserts the order gets, each ticked once added (its barcode, or ``F11`` / ``CMD-INSERTS``
for all), with the stock shown low. Everything comes from the bench's answer
(``Outcome.extra``); the panel decides nothing and hides when there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from station.packing.hazmat import HazmatMark
from station.packing.inserts import InsertDue
from station.packing.instructions import Instruction
from station.packing.verdicts import Outcome, Verdict
from ui.theme import named, restyle

# The keys of the two steps (the barcodes are [barcodes] cmd_confirm_instruction, cmd_inserts).
CONFIRM_KEY = "F2"
INSERTS_KEY = "F11"
PICTURE_PX = (180, 150)  # with the text beside it, the panel fits beside the lines at 1280x800
PANEL_MAX_WIDTH = 500


class PackInfoPanel(QFrame):
    """Instructions, picture, hazmat and inserts of the scan and the open order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("packInfo")
        self.title = named(QLabel(), "packInfoTitle")
        self.instructions = named(QLabel(), "packInstructions")
        self.instructions.setWordWrap(True)
        self.picture = named(QLabel(), "packPicture")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confirm = named(QLabel(), "packConfirm")
        self.confirm.setWordWrap(True)
        self.hazmat = named(QLabel(), "hazmatStrip")
        self.hazmat.setWordWrap(True)
        self.inserts = named(QLabel(), "packInserts")
        self.inserts.setWordWrap(True)
        self.inserts.setTextFormat(Qt.TextFormat.PlainText)
        # The picture beside the text, not above it: the window must stay 800 px high.
        layout = QGridLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.title, 0, 0, 1, 2)
        layout.addWidget(self.picture, 1, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.instructions, 1, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.confirm, 2, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.hazmat, 3, 0, 1, 2)
        layout.addWidget(self.inserts, 4, 0, 1, 2)
        layout.setRowStretch(5, 1)
        layout.setColumnStretch(1, 1)
        self.setMaximumWidth(PANEL_MAX_WIDTH)
        self.instruction: Instruction | None = None  # what is shown (tests read it)
        self.clear()

    def clear(self) -> None:
        """Nothing to show (no order open, or the order just completed)."""
        self.instruction = None
        for widget in (self.title, self.instructions, self.picture, self.confirm):
            widget.hide()
        self.hazmat.hide()
        self.inserts.hide()
        self.hide()

    def after(self, outcome: Outcome) -> None:
        """Show what the bench's answer carries; an order opened or completed starts anew."""
        if outcome.verdict in (Verdict.ORDER_OPENED, Verdict.ORDER_RESUMED, Verdict.COMPLETED):
            self.clear()
        extra = outcome.extra
        instruction = extra.get("instruction")
        if isinstance(instruction, Instruction):
            self.show_instruction(instruction)
        mark = extra.get("hazmat")
        order_marks = extra.get("hazmat_order")
        if isinstance(mark, HazmatMark):
            self.show_hazmat([mark])
        elif isinstance(order_marks, list) and order_marks:
            self.show_hazmat([m for m in order_marks if isinstance(m, HazmatMark)])
        inserts = extra.get("inserts")
        if isinstance(inserts, list):
            self.show_inserts([i for i in inserts if isinstance(i, InsertDue)])
        self.setVisible(any(not w.isHidden() for w in self._parts()))

    def show_instruction(self, instruction: Instruction) -> None:
        """The product's instructions, picture and confirm step."""
        self.instruction = instruction
        self.title.setText(f"{instruction.sku} — {instruction.name}")
        self.title.show()
        self.instructions.setText(instruction.text or "")
        self.instructions.setVisible(bool(instruction.text))
        pixmap = QPixmap()
        if instruction.image and pixmap.loadFromData(instruction.image):
            self.picture.setPixmap(
                pixmap.scaled(
                    *PICTURE_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
            self.picture.show()
        else:
            self.picture.clear()
            self.picture.hide()
        if instruction.awaiting:
            self.confirm.setText(
                self.tr("Confirm the instructions: {key} or CMD-CONFIRM-INSTR").format(
                    key=CONFIRM_KEY
                )
            )
        else:
            self.confirm.setText(self.tr("Instructions confirmed"))
        restyle(self.confirm, "awaiting", "true" if instruction.awaiting else "false")
        self.confirm.setVisible(instruction.confirm)

    def show_hazmat(self, marks: Sequence[HazmatMark]) -> None:
        """The hazmat UN numbers (one line per product)."""
        lines = [self.tr("HAZMAT {text} ({sku})").format(text=m.text(), sku=m.sku) for m in marks]
        self.hazmat.setText("\n".join(lines))
        self.hazmat.setVisible(bool(lines))

    def show_inserts(self, inserts: Sequence[InsertDue]) -> None:
        """The inserts the order gets: added or still to add, with low stock marked."""
        if not inserts:
            self.inserts.hide()
            return
        lines = [self.tr("Add ({key} all):").format(key=INSERTS_KEY)]
        for insert in inserts:
            tick = "[x]" if insert.added else "[ ]"
            low = ""
            if insert.low:
                low = self.tr(" — stock low: {n}").format(n=insert.on_hand)
            lines.append(f"{tick} {insert.name} ({insert.barcode}){low}")
        self.inserts.setText("\n".join(lines))
        self.inserts.show()

    def _parts(self) -> tuple[QWidget, ...]:
        return (self.title, self.hazmat, self.inserts)
