"""A strip across the top of the window while the hub cannot be reached.

It informs and never blocks: no dialog, no focus taken, nothing to click away. Packing goes
on offline; the events wait in the outbox and the strip says how many.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class OfflineBanner(QLabel):
    """Shown while offline, hidden while online."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("offlineBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(True)
        self.hide()

    def show_sync_status(self, online: bool, queue: int, last_sync: str | None) -> None:
        """Hide when online; otherwise say that work carries on and what waits."""
        if online:
            self.hide()
            return
        last = last_sync or self.tr("never")
        self.setText(
            self.tr(
                "OFFLINE — keep packing. {queue} event(s) wait to be sent to the hub; "
                "last sync {last}."
            ).format(queue=queue, last=last)
        )
        self.show()
