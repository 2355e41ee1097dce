"""The camera preview's feed: a few frames a second, decoded and made small off the GUI thread.

The camera thread hands every frame to :meth:`PreviewFeed.offer`, which only swaps it into a
one-frame slot, so capture never waits for the preview. The feed's own thread takes the
newest frame at most ``fps`` times a second, reads its codes with a
:class:`~drivers.camera.live.LiveDecoder` of its own (the outlines belong to exactly the frame
painted, about 10 ms a frame), scales it down and makes a ``QImage`` of it there. At most one
preview is on its way to the GUI thread: while the GUI has not taken the last one, the feed
waits, so a busy GUI never piles up frames and the GUI thread never waits for the camera.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from drivers.camera.decode import Decoded
from drivers.camera.live import LiveDecoder
from drivers.camera.model import Frame

log = logging.getLogger(__name__)

PREVIEW_FPS = 10.0
PREVIEW_WIDTH = 480  # pixels; the panel shows it at about half that at 1280x800
THREAD_NAME = "camera-preview"


@dataclass(frozen=True)
class Outline:
    """One code read in a preview frame: its corners in the preview image, and its text."""

    text: str
    points: tuple[tuple[float, float], ...]
    """Top-left, top-right, bottom-right, bottom-left, in preview-image pixels."""


@dataclass(frozen=True)
class PreviewFrame:
    """A frame ready to paint: a small RGB image and the codes read in it."""

    image: QImage
    outlines: tuple[Outline, ...]
    index: int
    """The camera's frame number (1-based)."""


def shown_text(code: Decoded) -> str:
    """A code's text as the preview writes it: GS as ``|``, long contents cut short."""
    text = code.text.replace("\x1d", "|")
    return text if len(text) <= 32 else text[:31] + "…"


def preview_of(frame: Frame, codes: list[Decoded], width: int) -> PreviewFrame:
    """``frame`` scaled to ``width`` (never up) as a QImage, with ``codes`` scaled alike.

    Runs on the feed's thread: a QImage, unlike a QPixmap, may be made off the GUI thread.
    """
    image = frame.image
    height_px, width_px = image.shape[:2]
    scale = min(1.0, width / width_px)
    size = (max(1, round(width_px * scale)), max(1, round(height_px * scale)))
    small = image if scale == 1.0 else cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    code = cv2.COLOR_GRAY2RGB if small.ndim == 2 else cv2.COLOR_BGR2RGB
    rgb = np.ascontiguousarray(cv2.cvtColor(small, code), np.uint8)
    qimage = QImage(rgb.data, size[0], size[1], rgb.strides[0], QImage.Format.Format_RGB888)
    outlines = tuple(
        Outline(shown_text(c), tuple((x * scale, y * scale) for x, y in c.position)) for c in codes
    )
    # copy(): the QImage must own its pixels once ``rgb`` is gone.
    return PreviewFrame(qimage.copy(), outlines, frame.index)


class PreviewFeed(QObject):
    """Frames from a camera thread to the preview panel (see the module docstring).

    ``frame(PreviewFrame)`` is emitted on the GUI thread. Build it on the GUI thread;
    :meth:`offer` is safe from any thread; :meth:`stop` joins the feed's thread.
    """

    frame = Signal(object)
    _ready = Signal(object)  # emitted on the feed's thread, delivered on the GUI thread

    def __init__(
        self,
        fps: float = PREVIEW_FPS,
        width: int = PREVIEW_WIDTH,
        decoder: LiveDecoder | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._period = 1.0 / fps
        self._width = width
        self._decoder = decoder or LiveDecoder()
        self._cv = threading.Condition()
        self._slot: Frame | None = None
        self._in_flight = False  # a preview was emitted and the GUI has not taken it yet
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.shown = 0
        """Previews handed to the GUI so far."""
        self._ready.connect(self._deliver)

    def offer(self, frame: Frame) -> None:
        """A new camera frame (camera thread): replaces one not previewed yet."""
        with self._cv:
            self._slot = frame
            self._cv.notify_all()

    def start(self) -> None:
        """Start the feed's thread."""
        if self._thread is not None:
            raise RuntimeError("camera preview already started")
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        """Stop the feed and join its thread (a frame being prepared is finished first)."""
        with self._cv:
            self._stopping = True
            self._cv.notify_all()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(timeout_s)
            if thread.is_alive():
                raise RuntimeError(f"camera preview did not stop in {timeout_s} s")

    # --- the feed's thread -------------------------------------------------------------------

    def _run(self) -> None:
        due = 0.0
        while True:
            with self._cv:
                # A frame to show, and the GUI has taken the last one; not before it is due.
                self._cv.wait_for(
                    lambda: self._stopping or (self._slot is not None and not self._in_flight)
                )
                if self._stopping:
                    return
                delay = due - time.monotonic()
                if delay > 0:
                    self._cv.wait_for(lambda: self._stopping, delay)
                    continue  # the newest frame may have changed meanwhile: take that one
                frame, self._slot = self._slot, None
                self._in_flight = True
            assert frame is not None
            due = time.monotonic() + self._period
            try:
                preview = preview_of(frame, self._decoder.read(frame.gray()), self._width)
            except Exception:  # one bad frame must not end the preview
                log.exception("camera preview: frame %d failed", frame.index)
                with self._cv:
                    self._in_flight = False
                continue
            self._ready.emit(preview)

    # --- GUI thread --------------------------------------------------------------------------

    @Slot(object)
    def _deliver(self, preview: PreviewFrame) -> None:
        with self._cv:
            self._in_flight = False
            self._cv.notify_all()
        self.shown += 1
        self.frame.emit(preview)
