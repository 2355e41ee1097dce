"""One background thread for all database work, with results delivered on the GUI thread.

As in Anki's task manager: every database call goes through a single-worker executor, so the
GUI never waits on a commit and writes never interleave. Results and errors come back as Qt
signals; a queued connection carries them across to the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal


class DbWorker(QObject):
    """Runs callables on one worker thread; calls back on the GUI thread."""

    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None, *, name: str = "station-db") -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._deliver)
        self.thread_ident: int | None = None
        self._pool.submit(self._remember_thread).result()

    def _remember_thread(self) -> None:
        self.thread_ident = threading.get_ident()

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> Future[Any]:
        """Run ``fn`` on the worker; ``on_done(result)`` or ``on_error(exc)`` on the GUI thread."""
        future = self._pool.submit(fn)

        def relay(f: Future[Any]) -> None:
            error = f.exception()
            if error is None:
                self._finished.emit(on_done, f.result(), None)
            else:
                self._finished.emit(on_error, None, error)

        future.add_done_callback(relay)
        return future

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the worker and wait (start-up and shut-down only)."""
        return self._pool.submit(fn).result()

    def _deliver(self, callback: Callable[[Any], None], result: Any, error: Any) -> None:
        callback(error if error is not None else result)

    def shutdown(self) -> None:
        """Finish queued work and stop the thread."""
        self._pool.shutdown(wait=True)
