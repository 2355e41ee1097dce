"""The camera preview panel: the live picture with each code read outlined and named.

Previews arrive ready to paint (``ui.pack.camera_feed``: scaled down and made a QImage off
the GUI thread, at most ten a second); painting one is a scaled image and a few polygons.
The panel sits in the top row beside the live weight, as wide as 16:9 at the row's height, so
it never makes the row taller. Hidden while no camera is configured; a camera that is
configured but gives no picture says why (its status reason) instead.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from drivers.base import DeviceState, DeviceStatus
from ui.pack.camera_feed import PreviewFrame

OUTLINE = QColor(0, 229, 255)  # cyan: no verdict colour, rare on a bench
MIN_WIDTH = 160


class CameraView(QWidget):
    """Paints the newest preview frame and its codes' outlines; or why there is no picture."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraView")
        # As tall as the row makes it, never taller: the banner and lines keep their room.
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(MIN_WIDTH, 90)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frame: PreviewFrame | None = None
        self.camera: str | None = None  # the device name whose statuses are ours
        self.note = ""
        self.hide()

    # --- what the device start and the bridge call ------------------------------------------

    def expect(self, camera: str) -> None:
        """A camera named ``camera`` is configured: show the panel, waiting for its picture."""
        self.camera = camera
        self.note = self.tr("{camera}: starting…").format(camera=camera)
        self.show()
        self.update()

    def show_status(self, status: DeviceStatus) -> None:
        """A device status; the camera's own says why there is no (new) picture."""
        if status.device != self.camera:
            return
        if status.state is DeviceState.CONNECTED:
            self.note = ""
        else:
            self.note = self.tr("{device}: {state}").format(
                device=status.device, state=status.state.value
            )
            if status.reason:
                self.note += f" — {status.reason}"
        self.setToolTip(self.note)
        self.update()

    def show_frame(self, preview: PreviewFrame) -> None:
        """A new preview frame (GUI thread, from the feed)."""
        self.frame = preview
        self.update()

    # --- geometry ----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        """16:9 at the height of the top row at 1280x800."""
        return QSize(192, 108)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        """Keep 16:9: the width follows the height the row gives."""
        super().resizeEvent(event)
        width = max(MIN_WIDTH, round(event.size().height() * 16 / 9))
        if width != self.width():
            self.setFixedWidth(width)

    def image_rect(self) -> QRectF:
        """Where the frame is painted: as large as fits, centred (empty without a frame)."""
        if self.frame is None:
            return QRectF()
        size = self.frame.image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
        x = (self.width() - size.width()) / 2
        y = (self.height() - size.height()) / 2
        return QRectF(x, y, size.width(), size.height())

    def outlines_on_widget(self) -> list[tuple[str, QPolygonF]]:
        """Each code's text and outline in widget coordinates, as painted."""
        if self.frame is None:
            return []
        rect = self.image_rect()
        scale = rect.width() / max(1, self.frame.image.width())
        return [
            (
                outline.text,
                QPolygonF(
                    [QPointF(rect.x() + x * scale, rect.y() + y * scale) for x, y in outline.points]
                ),
            )
            for outline in self.frame.outlines
        ]

    # --- painting ----------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        """The frame, the outlines with their texts, and the note, if any."""
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        if self.frame is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(self.image_rect(), self.frame.image)
            self._paint_outlines(painter)
        text = self.note or ("" if self.frame else self.tr("no picture yet"))
        if text:
            self._paint_note(painter, text)
        painter.end()

    def _paint_outlines(self, painter: QPainter) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(10, self.height() // 9))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        for text, polygon in self.outlines_on_widget():
            painter.setPen(QPen(OUTLINE, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPolygon(polygon)
            top = polygon.boundingRect()
            label = metrics.elidedText(text, Qt.TextElideMode.ElideRight, self.width())
            box = QRectF(metrics.boundingRect(label)).adjusted(-3, -1, 3, 1)
            # Above the code's top-left corner, moved in where it would leave the picture.
            x = min(max(0.0, top.left()), max(0.0, self.width() - box.width()))
            box.moveTo(x, max(0.0, top.top() - box.height() - 2))
            painter.fillRect(box, QColor(0, 0, 0, 190))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_note(self, painter: QPainter, text: str) -> None:
        font = QFont(self.font())
        font.setPixelSize(max(11, self.height() // 8))
        painter.setFont(font)
        box = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        painter.setPen(QColor(255, 255, 255))
        flags = Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter
        painter.drawText(box, int(flags) | int(Qt.TextFlag.TextWordWrap), text)
