"""The label preview: the packed order's shipping label as printed, and each print job's state.

After a COMPLETED answer the labels are queued on the database worker (``ui.printing``); the
preview is loaded after them on the same worker (``ui.pack.label_load``), so it finds them.
Each change of a job the print worker reports (queued, printing, printed, waiting for paper,
failed) updates the state shown; a report that overtook the load is kept and applied to it.
Hidden until the first order is packed at this bench with a printer.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station.packing.verdicts import Outcome, Verdict
from station.printing.jobs import JobInfo
from ui.pack.label_load import LabelPreview, state_text
from ui.theme import named
from ui.worker import DbWorker

LoadLabels = Callable[[str], LabelPreview | None]
_REMEMBERED = 64  # job reports kept for a preview still loading


def _utc(moment: datetime) -> datetime:
    # The database hands back naive UTC times, the print worker aware ones.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class ImageBox(QWidget):
    """Paints an image scaled to fit, centred, its proportions kept."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None

    def set_image(self, image: QImage | None) -> None:
        """Show ``image`` (None: nothing)."""
        self.image = image
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """A 4x6 label's proportions."""
        return QSize(80, 120)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        """The image, as large as fits."""
        if self.image is None or self.image.isNull():
            return
        size = self.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(x, y, size.width(), size.height()), self.image)
        painter.end()


class LabelPanel(QFrame):
    """The last packed order's label beside its print jobs' states."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPanel")
        self.picture = ImageBox()
        self.title = named(QLabel(), "boxHint")
        self.states = QLabel()
        self.states.setWordWrap(True)
        self.states.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        texts = QVBoxLayout()
        texts.setContentsMargins(0, 0, 0, 0)
        texts.addWidget(self.title)
        texts.addWidget(self.states, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.picture)
        row.addLayout(texts, 1)
        self.preview: LabelPreview | None = None
        self._jobs: dict[int, JobInfo] = {}
        self._seen: dict[int, JobInfo] = {}  # reports of jobs, kept for a preview still loading
        self.hide()

    def show_preview(self, preview: LabelPreview | None) -> None:
        """A packed order's labels (None: it got none)."""
        if preview is None:
            return
        self.preview = preview
        self._jobs = {job.id: self._newer(job) for job in preview.jobs}
        self.picture.set_image(preview.image)
        self.title.setText(self.tr("Label {number}").format(number=preview.number))
        self.picture.setToolTip(preview.note)
        self._paint_states()
        self.show()

    def show_job(self, job: JobInfo) -> None:
        """A print job changed (from the print worker)."""
        self._seen[job.id] = job
        while len(self._seen) > _REMEMBERED:
            del self._seen[next(iter(self._seen))]
        if job.id in self._jobs:
            self._jobs[job.id] = self._newer(job)
            self._paint_states()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        """The theme's type changed size (1920x1080): fit the panel to it again."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            # Once the children have their new type too (they are restyled after the panel).
            QTimer.singleShot(0, self, self._fit)

    def _fit(self) -> None:
        # A title and two rows of states, no more: the lines keep most of their height. The
        # picture is a 4x6 label at that height.
        height = self.title.sizeHint().height() + 2 * self.states.fontMetrics().lineSpacing() + 6
        self.setFixedHeight(height)
        self.picture.setFixedWidth(round(height * 2 / 3))

    def state_of(self, job_id: int) -> str:
        """The state shown for job ``job_id`` (tests)."""
        return state_text(self._jobs[job_id])

    def _newer(self, job: JobInfo) -> JobInfo:
        seen = self._seen.get(job.id)
        return seen if seen is not None and _utc(seen.updated_at) > _utc(job.updated_at) else job

    def _paint_states(self) -> None:
        names = {
            "shipping": self.tr("Shipping"),
            "packing-slip": self.tr("Packing slip"),
            "gift-note": self.tr("Gift note"),
            "customs": self.tr("Customs"),
            "return-tag": self.tr("Return tag"),
        }
        lines = [
            self.tr("{label}: {state}").format(
                label=names.get(job.template, job.template), state=state_text(job)
            )
            for job in self._jobs.values()
        ]
        # Side by side: the panel is as wide as the lines, and two rows of text fit.
        self.states.setText("   ·   ".join(lines))
        self.states.setToolTip("\n".join(lines))
        self._fit()


class LabelFlow(QObject):
    """Loads the label preview after each completion, and keeps its job states current."""

    def __init__(
        self, worker: DbWorker, load: LoadLabels | None, panel: LabelPanel, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._load = load
        self._panel = panel

    def after(self, outcome: Outcome) -> None:
        """After the outcome is shown (and auto-print queued its labels on the worker)."""
        load, number = self._load, outcome.order_number
        if outcome.verdict is Verdict.COMPLETED and number and load is not None:
            self._worker.submit(lambda: load(number), self._panel.show_preview, self._not_loaded)

    def show_job(self, job: JobInfo | None) -> None:
        """The print queue changed."""
        if job is not None:
            self._panel.show_job(job)

    def _not_loaded(self, error: BaseException) -> None:
        why = str(error)
        why = why if len(why) <= 120 else why[:119] + "…"  # a reason, not a dump of bytes
        self._panel.states.setText(self.tr("label preview failed: {error}").format(error=why))
