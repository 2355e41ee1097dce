"""The sync worker: its own thread, status for the UI, back-off while the hub is away."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from drivers.backoff import Backoff
from station.sync.worker import SyncStatus, SyncWorker
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import MUG

Make = Callable[[str], StationUnderTest]


class Recorder:
    """Collects statuses (with the thread that reported them) and waits for a condition."""

    def __init__(self) -> None:
        self.seen: list[tuple[SyncStatus, str]] = []
        self._changed = threading.Condition()

    def __call__(self, status: SyncStatus) -> None:
        with self._changed:
            self.seen.append((status, threading.current_thread().name))
            self._changed.notify_all()

    def wait_for(self, test: Callable[[SyncStatus], bool], timeout: float = 20) -> SyncStatus:
        with self._changed:
            assert self._changed.wait_for(lambda: any(test(s) for s, _ in self.seen), timeout)
            return next(s for s, _ in self.seen if test(s))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_worker_syncs_on_its_own_thread_and_reports(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    recorder = Recorder()
    worker = SyncWorker(a.syncer(), interval_s=60, on_status=recorder).start()
    try:
        first = recorder.wait_for(lambda s: s.online is True)
        assert (first.pending, first.dead_letters, first.last_error) == (0, 0, None)
        assert first.last_success is not None
        assert first.clock_skew_s is not None and abs(first.clock_skew_s) < 2
        svc = a.service()
        svc.scan("SO-1002")
        svc.scan(MUG)
        svc.complete()
        worker.nudge()  # a completed pack goes at once, not at the next interval
        done = recorder.wait_for(lambda s: s.online is True and s.pending == 0 and s is not first)
        assert done.pending == 0
    finally:
        worker.stop()
    assert {name for _, name in recorder.seen} == {"station-sync"}
    assert [s for _, _, s, _ in a.outbox()] == ["acked"] * 5


def test_offline_backs_off_then_recovers_without_losing_anything(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    svc = a.service()
    svc.scan("SO-1003")
    syncer = a.syncer(hub_url=f"http://127.0.0.1:{closed_port()}")
    recorder = Recorder()
    worker = SyncWorker(
        syncer, interval_s=60, backoff=Backoff(first_s=0.01, cap_s=0.05), on_status=recorder
    ).start()
    try:
        offline = recorder.wait_for(lambda s: s.online is False)
        assert offline.pending == 2
        assert offline.last_error is not None and "unreachable" in offline.last_error
        syncer.hub_url = None  # the link is back (the enrolled address answers)
        back = recorder.wait_for(lambda s: s.online is True)
        assert (back.pending, back.last_error) == (0, None)
    finally:
        worker.stop()
