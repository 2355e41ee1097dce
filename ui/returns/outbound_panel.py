"""What left the warehouse in the original package, beside the unit that came back.

Read on the database worker (``station.returns.outbound.shipped``) together with the package
photos, decoded and scaled there as QImages (a QPixmap may only be made on the GUI thread,
a QImage anywhere): a 1920×1080 JPEG costs tens of milliseconds to decode, which the GUI
thread must not pay while the inspector scans. Serials and lots of the unit's SKU are shown
first: they are what a swapped unit gives away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from station.db import Database
from station.returns.outbound import Shipped, ShippedPackage, shipped
from ui.theme import named

THUMB = (150, 100)
MAX_THUMBS = 4


@dataclass(frozen=True)
class Outbound:
    """The shipped side of an order and its photos, ready to show."""

    order: str
    shipped: Shipped | None
    thumbs: list[QImage] = field(default_factory=list)


def load_outbound(db: Database, order: str, photo_dir: Path) -> Outbound:
    """Read what was shipped on ``order`` and scale its photos (worker thread)."""
    record = shipped(db, order, photo_dir)
    thumbs: list[QImage] = []
    if record is not None:
        for package in record.packages:
            for path in package.photos[: MAX_THUMBS - len(thumbs)]:
                image = QImage(path)
                if not image.isNull():
                    thumbs.append(
                        image.scaled(
                            *THUMB,
                            Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation,
                        )
                    )
    return Outbound(order, record, thumbs)


class OutboundPanel(QFrame):
    """Packer, boxes with their weights, serials and lots, photos of the original package."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outboundPanel")
        self.heading = named(QLabel(self.tr("Shipped")), "panelTitle")
        self.packed = named(QLabel(), "outboundText")
        self.boxes = named(QLabel(), "outboundText")
        self.serials = named(QLabel(), "outboundText")
        for label in (self.packed, self.boxes, self.serials):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._photos = QHBoxLayout()
        self._photos.setSpacing(4)
        self.photo_labels: list[QLabel] = []
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 10, 6)
        column.setSpacing(4)
        for widget in (self.heading, self.packed, self.boxes, self.serials):
            column.addWidget(widget)
        column.addLayout(self._photos)
        column.addStretch(1)
        self._outbound: Outbound | None = None
        self.show_outbound(None)

    def show_outbound(self, outbound: Outbound | None, sku: str | None = None) -> None:
        """Show an order's outbound record; ``sku``: the unit on the bench, listed first."""
        self._outbound = outbound
        for label in self.photo_labels:
            label.deleteLater()
        self.photo_labels = []
        record = outbound.shipped if outbound is not None else None
        if outbound is None or record is None:
            self.heading.setText(self.tr("Shipped"))
            self.packed.setText(self.tr("No outbound record here for this parcel's order."))
            self.boxes.setText("")
            self.serials.setText("")
            return
        self.heading.setText(self.tr("Shipped: order {order}").format(order=record.order))
        when = _short(record.packed_at)
        self.packed.setText(
            self.tr("Packed by {who} at {when}").format(who=record.packed_by, when=when)
            if record.packed_by
            else self.tr("Packed at {when}").format(when=when)
        )
        self.boxes.setText("\n".join(self._box(p) for p in record.packages) or "—")
        self.show_sku(sku)
        for image in outbound.thumbs:
            label = named(QLabel(), "thumb")
            label.setPixmap(QPixmap.fromImage(image))
            self._photos.addWidget(label)
            self.photo_labels.append(label)
        if not outbound.thumbs:
            none = named(QLabel(self.tr("no photo of the package")), "outboundText")
            self._photos.addWidget(none)
            self.photo_labels.append(none)

    def show_sku(self, sku: str | None) -> None:
        """Serials, lots and units shipped; those of ``sku`` first."""
        record = self._outbound.shipped if self._outbound is not None else None
        if record is None:
            return
        skus = sorted(record.units, key=lambda s: (s != sku, s))
        lines = []
        for each in skus:
            line = f"{'▶ ' if each == sku else ''}{each} × {record.units[each]}"
            if record.serials.get(each):
                line += " · " + self.tr("serials") + " " + ", ".join(record.serials[each])
            if record.lots.get(each):
                line += " · " + self.tr("lots") + " " + ", ".join(record.lots[each])
            lines.append(line)
        self.serials.setText("\n".join(lines))

    def _box(self, package: ShippedPackage) -> str:
        weight, expected = package.weight_g, package.expected_weight_g
        grams = f"{weight:.0f} g" if weight is not None else self.tr("not weighed")
        if expected is not None:
            grams += " " + self.tr("(expected {g:.0f} g)").format(g=expected)
        text = self.tr("Box {no}").format(no=package.no)
        if package.box:
            text += f" {package.box}"
        return self.tr("{box}: {grams}, weight {status}").format(
            box=text, grams=grams, status=package.weight_status
        )


def _short(moment: str | None) -> str:
    return "?" if not moment else moment.replace("T", " ")[:16]
