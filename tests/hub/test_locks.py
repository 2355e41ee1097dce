"""The hub's order locks (``station.hub.locks``) on SQLite and PostgreSQL: of two stations
taking a new order's lock at the same moment exactly one gets it and the other is told who;
a renewal keeps it, a run-out lock goes to the next taker, and a supervisor's free names the
holder. The HTTP side with real stations is tests/sync/test_order_lock.py."""

from __future__ import annotations

import threading
from datetime import timedelta

from station.hub import locks
from station.hub.db import open_hub_database
from station.hub.models import HubStation, utcnow
from station.sync.locks import LockState
from tests.pgcluster import BOTH


@BOTH
def test_two_takes_at_once_give_one_lock(hub_url: str) -> None:
    hub = open_hub_database(hub_url)
    try:
        with hub.write() as session:
            a, b = HubStation(name="bench-a"), HubStation(name="bench-b")
            session.add_all([a, b])
            session.flush()
            ids = (a.id, b.id)
        answers: list[LockState] = []
        start = threading.Barrier(2)

        def take(station_id: int) -> None:
            start.wait()
            with hub.write() as session:
                answers.append(locks.take(session, station_id, "#1001", 120, utcnow()))

        threads = [threading.Thread(target=take, args=(i,)) for i in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert sorted(a.granted for a in answers) == [False, True]
        winner = next(a.station for a in answers if a.granted)
        assert {a.station for a in answers} == {winner}  # the loser is told who holds it
        holder, other = (ids[0], ids[1]) if winner == "bench-a" else (ids[1], ids[0])

        with hub.write() as session:
            now = utcnow()
            assert locks.take(session, holder, "#1001", 120, now).granted  # a renewal
            assert not locks.take(session, other, "#1001", 120, now).granted
            assert [lock.order for lock in locks.live(session, now, but=other)] == ["#1001"]
            later = now + timedelta(seconds=121)
            assert locks.live(session, later) == []  # run out
            assert locks.take(session, other, "#1001", 120, later).granted
        assert locks.free_by_hand(hub, "#1001") == ("bench-b" if winner == "bench-a" else "bench-a")
        assert locks.free_by_hand(hub, "#1001") is None
    finally:
        hub.close()
