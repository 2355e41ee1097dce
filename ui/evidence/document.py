"""The evidence record read on the worker, laid out as a QTextDocument, written as a PDF.

The record and its photos are read on the database worker: photos are decoded and scaled
there as QImages (safe off the GUI thread, unlike QPixmap). The document is laid out and the
PDF written on the GUI thread, because text layout needs fonts and that is only promised
there on every platform; a record of a few packages takes a fraction of a second. QPdfWriter
needs no printer and no display, so the offscreen platform writes the same file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, Qt, QUrl
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from sqlalchemy.orm import Session

from station.db import Database
from station.db.engine import reader
from station.evidence import Evidence, gather
from ui.evidence.report import evidence_html, photo_url

PHOTO_WIDTH = 320  # in the document: enough to see the box, small enough for a few per page
MAX_PHOTOS = 12
PDF_DPI = 150


@dataclass(frozen=True)
class EvidenceView:
    """An order's record and the photos that can be shown with it."""

    record: Evidence
    images: dict[str, QImage] = field(default_factory=dict)  # sha256 -> scaled image


def load_evidence(db: Database, number: str, photo_dir: Path) -> EvidenceView | None:
    """The record of order ``number`` and its photos (worker thread); None if no such order."""
    with Session(reader(db.engine)) as session:
        record = gather(session, number, photo_dir)
    if record is None:
        return None
    images: dict[str, QImage] = {}
    for package in record.packages:
        for photo in package.photos:
            if len(images) >= MAX_PHOTOS or not photo.get("present"):
                continue
            image = QImage(str(photo["path"]))
            if not image.isNull():
                images[str(photo["sha256"])] = image.scaledToWidth(
                    PHOTO_WIDTH, Qt.TransformationMode.SmoothTransformation
                )
    return EvidenceView(record, images)


LIGHT = (
    "body { font-size: 10pt; color: #000000; } th { background: #dddddd; } h1 { font-size: 18pt; }"
)
# On the screen: the high-contrast theme's white on black, headers a step lighter.
DARK = "th { background: #262626; color: #ffffff; } td { color: #ffffff; } h1 { font-size: 26px; }"


def build_document(view: EvidenceView, station: str, *, dark: bool = False) -> QTextDocument:
    """The record as a document, its photos added as resources (GUI thread); ``dark`` for
    the screen's theme, light (black on white) for paper."""
    document = QTextDocument()
    for sha, image in view.images.items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(photo_url(sha)), image)
    document.setDefaultStyleSheet(DARK if dark else LIGHT)
    document.setHtml(evidence_html(view.record, view.images.keys(), station))
    return document


def write_pdf(view: EvidenceView, station: str, path: Path) -> Path:
    """Write the record as a PDF to ``path`` (A4, for a customer dispute); returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    document = build_document(view, station)
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    title = QCoreApplication.translate("EvidenceReport", "Evidence of order {order}")
    writer.setTitle(title.format(order=view.record.order))
    writer.setCreator("pack station")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document.print_(writer)
    del writer  # the file is finished when the writer goes
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"the PDF was not written: {path}")
    return path
