"""One background thread for all database work, with results delivered on the GUI thread.

As in Anki's task manager: every database call goes through a single-worker executor, so the
GUI never waits on a commit and writes never interleave. Results and errors come back as Qt
signals; a queued connection carries them across to the GUI thread.

Work an answer sets off (a completed order's labels to render, a sync cycle, the hub's lock
let go) is a *follow-up* (:meth:`DbWorker.after_reply`): it starts on the GUI thread once the
answer has been delivered, or as soon as the screen says its verdict is painted
(:meth:`DbWorker.release_follow_ups`). Started on the worker at once, it ran on the other
threads while the GUI thread painted the verdict, each waiting for the interpreter lock in
turn: in a shift's soak, the completions' answers waited up to 57 ms to reach the GUI thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
FollowUp = Callable[[], None]


class DbWorker(QObject):
    """Runs callables on one worker thread; calls back on the GUI thread."""

    _finished = Signal(object, object, object, object)  # callback, result, error, follow-ups
    _soon = Signal(object)  # a follow-up asked for outside a task: run on the GUI thread

    def __init__(self, parent: QObject | None = None, *, name: str = "station-db") -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._deliver)
        self._soon.connect(self._run_soon)  # a method: queued to this object's (GUI) thread
        self._task_follow_ups: list[FollowUp] | None = None  # the running task's (worker)
        self._delivering: list[FollowUp] = []  # those of the answer being delivered (GUI)
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
        """Run ``fn`` on the worker; ``on_done(result)`` or ``on_error(exc)`` on the GUI thread,
        then the follow-ups ``fn`` asked for."""
        follow_ups: list[FollowUp] = []

        def run() -> Any:
            self._task_follow_ups = follow_ups
            try:
                return fn()
            finally:
                self._task_follow_ups = None

        future = self._pool.submit(run)

        def relay(f: Future[Any]) -> None:
            error = f.exception()
            if error is None:
                self._finished.emit(on_done, f.result(), None, follow_ups)
            else:
                self._finished.emit(on_error, None, error, follow_ups)

        future.add_done_callback(relay)
        return future

    def call(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the worker and wait (start-up and shut-down only)."""
        return self._pool.submit(fn).result()

    def after_reply(self, follow_up: FollowUp) -> None:
        """Run ``follow_up`` on the GUI thread once the answer of the task running now has been
        delivered (or its screen released it: :meth:`release_follow_ups`); called from
        anywhere else, it runs on the GUI thread soon. Follow-ups run in the order asked."""
        follow_ups = self._task_follow_ups
        if follow_ups is not None and threading.get_ident() == self.thread_ident:
            follow_ups.append(follow_up)
        else:
            self._soon.emit(follow_up)

    def release_follow_ups(self) -> None:
        """From an answer's callback, once its verdict is painted: start the answer's
        follow-ups now, before the rest of the callback (whose own work for the worker then
        queues behind theirs, as it did when they started on the worker)."""
        follow_ups, self._delivering = self._delivering, []
        for follow_up in follow_ups:
            _run_follow_up(follow_up)

    def _run_soon(self, follow_up: FollowUp) -> None:
        _run_follow_up(follow_up)

    def _deliver(
        self,
        callback: Callable[[Any], None],
        result: Any,
        error: Any,
        follow_ups: list[FollowUp],
    ) -> None:
        outer, self._delivering = self._delivering, follow_ups  # a callback may nest a loop
        try:
            callback(error if error is not None else result)
        finally:
            self.release_follow_ups()
            self._delivering = outer

    def shutdown(self) -> None:
        """Finish queued work and stop the thread."""
        self._pool.shutdown(wait=True)


def _run_follow_up(follow_up: FollowUp) -> None:
    # One failing follow-up must not keep the others (or the next answer) from running.
    try:
        follow_up()
    except Exception:
        log.exception("a follow-up of the database worker failed")
