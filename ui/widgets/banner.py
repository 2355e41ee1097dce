"""The verdict banner: one glance says right (green), note (blue), check (amber), wrong (red).

Colour is never the only signal: the banner says its verdict in one big word, the engine's
message below it, and on red what to do next. Colours come from the theme through the
``severity`` property.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout, QWidget

from station.db.engine import is_disk_full
from station.packing.verdicts import Outcome, Severity
from ui.texts import verdict_title
from ui.theme import named, restyle


class VerdictBanner(QFrame):
    """Shows the latest verdict; on an error, how to acknowledge it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._title = named(QLabel(), "verdictTitle")
        self._message = named(QLabel(), "verdictMessage")
        self._hint = named(QLabel(), "verdictHint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(2)
        for label in (self._title, self._message, self._hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            layout.addWidget(label)
        self._verdict = "ready"
        self.show_ready(self.tr("Scan an order or a tote"))

    # --- what tests and the window read ---------------------------------------------------

    @property
    def severity(self) -> str:
        """The severity shown: ``ok``, ``info``, ``warning`` or ``error``."""
        return str(self.property("severity"))

    @property
    def verdict(self) -> str:
        """The verdict shown (a ``Verdict`` value, ``ready`` or ``not_stored``)."""
        return self._verdict

    def text(self) -> str:
        """Everything the banner says, one line per label."""
        return "\n".join(w.text() for w in (self._title, self._message, self._hint) if w.text())

    def hint(self) -> str:
        """The line that says what to do next."""
        return self._hint.text()

    # --- showing --------------------------------------------------------------------------

    def show_ready(self, message: str) -> None:
        """Nothing to judge yet: a neutral banner with ``message``."""
        self._show("ready", Severity.INFO, self.tr("READY"), message, "")

    def show_outcome(self, outcome: Outcome, needs_ack: bool) -> None:
        """Show the engine's verdict; ``needs_ack`` adds how to acknowledge it."""
        hint = self.ack_hint() if needs_ack else ""
        title = verdict_title(outcome.verdict)
        self._show(outcome.verdict.value, outcome.severity, title, outcome.message, hint)

    def show_verdict(
        self, verdict: str, severity: Severity, title: str, message: str, needs_ack: bool
    ) -> None:
        """Any engine's verdict (the returns bench's too), in the same words and colours."""
        self._show(verdict, severity, title, message, self.ack_hint() if needs_ack else "")

    def show_held(self, what: str) -> None:
        """A scan was held back: the error stays, and the hint says the scan did not count."""
        self._hint.setText(
            self.tr("{code} was NOT counted. {ack} — then scan it again.").format(
                code=what, ack=self.ack_hint()
            )
        )

    def show_not_stored(self, error: BaseException) -> None:
        """The engine could not store the scan (its transaction rolled back)."""
        if is_disk_full(error):
            self._show(
                "not_stored",
                Severity.ERROR,
                self.tr("DISK FULL"),
                self.tr(
                    "The scan was NOT stored: the station's disk is full. Call a supervisor to"
                    " free space, then scan it again."
                ),
                "",
            )
            return
        self._show(
            "not_stored",
            Severity.ERROR,
            self.tr("NOT STORED"),
            self.tr("Scan it again. ({kind}: {error})").format(
                kind=type(error).__name__, error=error
            ),
            "",
        )

    def ack_hint(self) -> str:
        """How an error is acknowledged (never by Enter)."""
        return self.tr("Scan CMD-CONFIRM or press F12 / Esc to acknowledge")

    def _show(self, verdict: str, severity: Severity, title: str, message: str, hint: str) -> None:
        self._verdict = verdict
        self._title.setText(title)
        self._message.setText(message)
        self._hint.setText(hint)
        # The labels carry the severity too: a selector on the frame's property would not
        # reach them, since Qt re-polishes only the widget whose property changed.
        restyle(self, "severity", severity.value)
        for label in (self._title, self._message, self._hint):
            restyle(label, "severity", severity.value)
