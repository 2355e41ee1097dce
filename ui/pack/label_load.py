"""What the label preview shows of a packed order, read on the database worker.

The picture is the order's first shipping label as it went to the printer: the stored ZPL
of its print job rendered offline by zplkit (``station.labels.png``), so the packer sees what
the printer was sent, not a second drawing of it. A printer that takes ESC/POS gets the same
label rendered as PNG from the order instead. Beside it, every print job of the order with
its state. The image is made and scaled here, off the GUI thread (a QImage may be).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage
from sqlalchemy import select
from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.db.models import PrintJob, PrintJobStatus
from station.labels.errors import LabelError
from station.labels.png import zpl_to_png
from station.printing.jobs import JobInfo

THUMB_HEIGHT = 360  # pixels kept of the label: twice what the panel shows at 1280x800
_SIZE = re.compile(rb"\^PW(\d+)\^LL(\d+)")

# Renders a label of an order as PNG when its payload is not ZPL: (number, template, package).
RenderPng = Callable[[str, str, int | None], bytes]


@dataclass(frozen=True)
class LabelPreview:
    """A packed order's labels: the shipping label's picture and every print job's state."""

    number: str
    image: QImage | None
    jobs: tuple[JobInfo, ...]
    note: str = ""
    """Why there is no picture (no label was queued, it does not render)."""


def state_text(job: JobInfo) -> str:
    """A print job's state in a few words: queued, printing, printed, waiting or failed."""
    if job.status is PrintJobStatus.DONE:
        return QCoreApplication.translate("LabelView", "printed")
    if job.status is PrintJobStatus.SENDING:
        return QCoreApplication.translate("LabelView", "printing…")
    if job.status is PrintJobStatus.QUEUED:
        return QCoreApplication.translate("LabelView", "queued")
    reason = job.last_error or QCoreApplication.translate("LabelView", "failed")
    if job.waiting_for_printer:
        return QCoreApplication.translate("LabelView", "waiting: {reason}").format(reason=reason)
    return QCoreApplication.translate("LabelView", "failed: {reason}").format(reason=reason)


def zpl_image(zpl: bytes, dpi: int) -> QImage:
    """The first label of ``zpl`` as zplkit renders it; LabelError when it cannot be."""
    size = _SIZE.search(zpl)
    if size is None:
        raise LabelError("the ZPL gives no label size (^PW/^LL)")
    return png_image(zpl_to_png(zpl, dpi, int(size[1]), int(size[2])))


def png_image(png: bytes) -> QImage:
    """PNG bytes as a QImage THUMB_HEIGHT high; LabelError when they do not load."""
    image = QImage.fromData(png)
    if image.isNull():
        raise LabelError("the label's PNG does not load")
    return image.scaledToHeight(THUMB_HEIGHT, Qt.TransformationMode.SmoothTransformation)


def load_label_preview(
    db: Database,
    number: str,
    jobs: list[JobInfo],
    dpi: int,
    render_png: RenderPng | None = None,
) -> LabelPreview | None:
    """The preview of order ``number`` from its print ``jobs`` (oldest first); None if none."""
    if not jobs:
        return None
    shown = next((j for j in jobs if j.template == "shipping"), jobs[0])
    with Session(reader(db.engine)) as session:
        payload = session.scalar(select(PrintJob.payload).where(PrintJob.id == shown.id))
    image, note = None, ""
    try:
        if shown.language == "zpl" and payload is not None:
            image = zpl_image(payload, dpi)
        elif render_png is not None:
            package = _package_no(db, shown)
            image = png_image(render_png(number, shown.template, package))
        else:
            note = QCoreApplication.translate("LabelView", "no preview of {language} labels")
            note = note.format(language=shown.language)
    except LabelError as exc:
        note = str(exc)
    return LabelPreview(number, image, tuple(jobs), note)


def _package_no(db: Database, job: JobInfo) -> int | None:
    if job.package_id is None:
        return None
    with reader(db.engine).connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT seq_no FROM packages WHERE id = ?", (job.package_id,)
        ).first()
    return int(row[0]) if row else None
