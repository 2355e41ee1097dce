"""The database worker's follow-ups (ui.worker): work an answer sets off starts on the GUI
thread after the answer is delivered, or when its screen releases it, in the order asked."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from ui.worker import DbWorker


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[DbWorker]:
    db_worker = DbWorker()
    yield db_worker
    db_worker.shutdown()


def test_follow_ups_run_on_the_gui_thread_after_the_answer_in_order(
    qtbot: QtBot, worker: DbWorker
) -> None:
    seen: list[tuple[str, bool]] = []
    gui = threading.get_ident()

    def note(what: str) -> None:
        seen.append((what, threading.get_ident() == gui))

    def task() -> str:
        worker.after_reply(lambda: note("labels"))
        worker.after_reply(lambda: note("sync"))
        note("task")
        return "verdict"

    worker.submit(task, note, lambda exc: note(repr(exc)))
    qtbot.waitUntil(lambda: len(seen) == 4)
    assert seen == [("task", False), ("verdict", True), ("labels", True), ("sync", True)]


def test_a_screen_releases_them_once_painted_before_the_rest_of_its_callback(
    qtbot: QtBot, worker: DbWorker
) -> None:
    seen: list[str] = []

    def task() -> None:
        worker.after_reply(lambda: seen.append("labels queued"))

    def shown(_: object) -> None:
        seen.append("verdict painted")
        worker.release_follow_ups()
        seen.append("preview asked")

    worker.submit(task, shown, lambda exc: seen.append(repr(exc)))
    qtbot.waitUntil(lambda: len(seen) == 3)
    qtbot.wait(20)  # nothing runs twice once the delivery is over
    assert seen == ["verdict painted", "labels queued", "preview asked"]


def test_a_failed_task_still_runs_its_follow_ups_and_a_failing_one_stops_no_other(
    qtbot: QtBot, worker: DbWorker
) -> None:
    seen: list[str] = []

    def boom() -> None:
        raise RuntimeError("follow-up failed")

    def task() -> None:
        worker.after_reply(boom)
        worker.after_reply(lambda: seen.append("second"))
        raise ValueError("not stored")

    worker.submit(task, lambda _: seen.append("done"), lambda exc: seen.append(str(exc)))
    qtbot.waitUntil(lambda: len(seen) == 2)
    assert seen == ["not stored", "second"]


def test_asked_outside_a_task_it_runs_on_the_gui_thread_soon(
    qtbot: QtBot, worker: DbWorker
) -> None:
    ran_on: list[int] = []
    thread = threading.Thread(
        target=lambda: worker.after_reply(lambda: ran_on.append(threading.get_ident()))
    )
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(ran_on))
    assert ran_on == [threading.get_ident()]
