"""The order lock through a real hub on 127.0.0.1 and two stations (``station.hub.locks``,
``station.packing.lock``): an order open at one bench is refused at the other, batch mode
skips it, completing or parking frees it, a supervisor frees it by hand at the hub, a lock not
renewed runs out, and a hub that is away or hangs never holds a scan.

The lock rounds run by hand (``OrderLocks.run_round``) where the test needs to know what the
bench has heard; one test runs the real thread against a hub that hangs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from station.barcodes import Interpreter
from station.cli.main import main
from station.config import BarcodeSettings, PackingSettings
from station.hub import locks as hub_locks
from station.hub.models import HubStation, utcnow
from station.packing.bench import PackBench
from station.packing.lock import HeldLock, LockHubAway, OrderLocks
from station.packing.verdicts import Outcome, Verdict
from station.sync.locks import HubLockCalls, enrolled_lock_calls
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.station.packfixtures import MUG, build_db, make_service


class Bench:
    """A station's bench with its order locks (rounds run by the test)."""

    def __init__(self, station: StationUnderTest, *, batch: bool = False) -> None:
        self.locks = OrderLocks(enrolled_lock_calls(station.db))
        packing = PackingSettings(single_item_batch=batch)
        self.service = make_service(
            station.db, station=station.name, packing=packing, locks=self.locks
        )
        self.bench = PackBench(self.service, Interpreter(BarcodeSettings()))
        self.bench.subscribe(self.locks.on_outcome)

    def scan(self, code: str) -> Outcome:
        reply = self.bench.scan(code)
        assert reply is not None and isinstance(reply.result, Outcome), reply
        return reply.result

    def close(self) -> None:
        self.service.close()


@pytest.fixture
def benches(
    make_station: Callable[[str], StationUnderTest],
) -> Iterator[tuple[Bench, Bench]]:
    a, b = make_station("bench-a"), make_station("bench-b")
    a.sync()
    b.sync()
    first, second = Bench(a), Bench(b, batch=True)
    yield first, second
    first.close()
    second.close()


def test_an_order_open_at_one_bench_is_locked_for_the_other(
    benches: tuple[Bench, Bench], hub: HubUnderTest, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = benches
    assert a.scan("SO-1002").verdict is Verdict.ORDER_OPENED
    a.locks.run_round()  # a takes the lock at the hub
    assert a.locks.online is True
    b.locks.run_round()  # b hears of it
    assert b.locks.holder("SO-1002") == "bench-a"
    refused = b.scan("SO-1002")
    assert refused.verdict is Verdict.ORDER_LOCKED
    assert refused.message.startswith("order SO-1002 is open at bench-a")
    assert b.scan("CMD-CONFIRM").verdict is Verdict.CONFIRMED
    # Batch mode at b: a mug picks the next single-mug order, not the one a holds (and, with
    # no scale at this bench, packs it at once).
    picked = b.scan(MUG)
    assert (picked.verdict, picked.order_number) == (Verdict.COMPLETED, "SO-1004")

    # a completes its order: the lock is freed, and the others hear it.
    assert a.scan(MUG).verdict is Verdict.ACCEPTED
    assert a.scan("CMD-COMPLETE").verdict is Verdict.COMPLETED
    a.locks.run_round()
    b.locks.run_round()
    assert b.locks.holder("SO-1002") is None

    # One open order per bench: a opens SO-1003, then SO-1001; SO-1003 is parked and freed.
    a.scan("SO-1003")
    a.locks.run_round()
    a.scan("SO-1001")
    a.locks.run_round()
    b.locks.run_round()
    assert b.locks.holder("SO-1003") is None and b.locks.holder("SO-1001") == "bench-a"

    # A supervisor frees a lock at the hub (the bench that held it is named).
    url = f"sqlite:///{hub.folder / 'hub.sqlite'}"
    assert main(["hub", "locks", "list", "--db", url]) == 0
    listed = capsys.readouterr().out
    assert "SO-1001  bench-a  until" in listed and len(listed.splitlines()) == 1
    assert main(["hub", "locks", "free", "SO-1001", "--db", url]) == 0
    assert "order SO-1001: lock of bench-a freed" in capsys.readouterr().out
    assert main(["hub", "locks", "free", "SO-1001", "--db", url]) == 1
    b.locks.run_round()
    assert b.locks.holder("SO-1001") is None

    # A lock not renewed runs out: b takes SO-1003 (held by a again) only once a's expired.
    a.scan("SO-1003")
    a.locks.run_round()
    with hub.db.write() as session:
        ids = dict(session.query(HubStation.name, HubStation.id).all())
        now = utcnow()
        denied = hub_locks.take(session, ids["bench-b"], "SO-1003", 120, now)
        assert not denied.granted and denied.station == "bench-a"
        later = now + timedelta(seconds=a.locks.ttl_s + 1)
        taken = hub_locks.take(session, ids["bench-b"], "SO-1003", 120, later)
        assert taken.granted and taken.station == "bench-b"
    a.locks.run_round()  # a's renewal is refused now: a conflict, logged and kept
    assert a.locks.holder("SO-1003") == "bench-b"
    assert [c.order for c in a.locks.conflicts] == ["SO-1003"]


def test_a_hub_away_leaves_the_bench_packing(tmp_path: Path) -> None:
    """Offline: no lock, no refusal; the bench opens and packs (the offline rule)."""
    db = build_db(tmp_path / "c.sqlite")
    locks = OrderLocks(HubLockCalls(lambda: None))  # as a bench not (or no longer) enrolled
    svc = make_service(db, station="bench-c", locks=locks)
    try:
        bench = PackBench(svc, Interpreter(BarcodeSettings()))
        bench.subscribe(locks.on_outcome)
        locks.run_round()
        assert locks.online is False
        reply = bench.scan("SO-1001")
        assert reply is not None and reply.label == "order_opened"
        locks.run_round()
        assert locks.online is False and locks.conflicts == []
    finally:
        svc.close()
        db.close()


class HangingHub:
    """A hub whose take never answers until released (a network that hangs)."""

    def __init__(self) -> None:
        self.asked = threading.Event()
        self.release = threading.Event()

    def take(self, order: str, ttl_s: int) -> HeldLock:
        self.asked.set()
        self.release.wait(30)
        raise LockHubAway("timed out")

    def free(self, order: str) -> HeldLock:
        return HeldLock(order, False)

    def held_elsewhere(self) -> list[HeldLock]:
        return []


def test_a_hanging_hub_never_holds_a_scan(tmp_path: Path) -> None:
    db = build_db(tmp_path / "d.sqlite")
    hub = HangingHub()
    locks = OrderLocks(hub, refresh_s=0.05)
    svc = make_service(db, station="bench-d", locks=locks)
    bench = PackBench(svc, Interpreter(BarcodeSettings()))
    bench.subscribe(locks.on_outcome)
    locks.start()
    try:
        assert bench.scan("SO-1001") is not None
        assert hub.asked.wait(10)  # the lock thread is stuck in the hub's take ...
        # ... and the bench answers every scan meanwhile, from what it has.
        for code in (MUG, MUG):
            answer = bench.scan(code)
            assert answer is not None and answer.label == "accepted"
        assert not hub.release.is_set()
    finally:
        hub.release.set()
        locks.stop()
        svc.close()
        db.close()
