"""Device checks off the GUI thread: a small pool of its own, results back as a Qt signal.

Not the database worker: a scale that does not answer holds its check for seconds, and scans
must not queue behind it. Three threads, so the scale, printer and camera checks of one
screen never wait on each other (each button is disabled while its own check runs). As in
``ui.worker``, the pool's threads emit a signal of a QObject living in the GUI thread, which Qt
queues to it; the callbacks therefore run on the GUI thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage

from drivers.camera.model import Image

THREAD_PREFIX = "device-check"


class CheckRunner(QObject):
    """Runs device checks on worker threads; calls back on the GUI thread."""

    _finished = Signal(object, object)  # callback, result or error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=3, thread_name_prefix=THREAD_PREFIX)
        self._finished.connect(self._deliver)
        pool = self._pool
        # A check still running when the screen goes ends by its own time-out; nobody waits.
        self.destroyed.connect(lambda *_: pool.shutdown(wait=False, cancel_futures=True))

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[Any]:
        """Run ``fn`` on a worker; ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        future = self._pool.submit(fn)

        def relay(f: Future[Any]) -> None:
            error = f.exception()
            callback: Callable[[Any], None] = on_done if error is None else on_error
            # The screen may be gone by the time a slow check ends: then nobody listens.
            with contextlib.suppress(RuntimeError):
                self._finished.emit(callback, f.result() if error is None else error)

        future.add_done_callback(relay)
        return future

    def shutdown(self) -> None:
        """Wait for the checks in progress and stop the threads (tests, and a clean exit)."""
        self._pool.shutdown(wait=True)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)


def frame_image(frame: Image, max_width: int) -> QImage:
    """A camera frame (BGR or grey) as a QImage at most ``max_width`` wide; made on the worker
    (a QImage may be, a QPixmap may not)."""
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8)
    else:
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888)
    if width > max_width:
        return image.scaledToWidth(max_width, mode=Qt.TransformationMode.SmoothTransformation)
    return image.copy()  # the QImage above borrows the array's memory
