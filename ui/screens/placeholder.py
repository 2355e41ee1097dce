"""A screen the role may open but that is not built yet (returns, evidence, dashboard...).

It says so plainly, so an inspector signed in today sees where their screen will be rather
than a pack screen they may not use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.theme import named


class PlaceholderScreen(QWidget):
    """Names a screen that comes later; badges still switch user here."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = self.tr("{title}\n\nThis screen is not built yet.").format(title=title)
        label = named(QLabel(text), "placeholderText")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
