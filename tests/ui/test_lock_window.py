"""The order lock at the pack window: an order another bench holds at the hub is refused with
the bench's name (red, acknowledged), the bench takes the lock of the order it opens, and frees
it when the order is completed. The hub here answers from memory (``FakeHub``); the real hub on
127.0.0.1 is in tests/sync/test_order_lock.py."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from station.db import Database
from station.packing.lock import HeldLock, LockHub
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, TEE
from tests.ui.stationfixtures import WAIT_MS, open_station, sign_in
from tests.ui.test_pack_window import scan


class FakeHub:
    """A hub that holds SO-1007 for bench-x and grants the rest, recording every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def take(self, order: str, ttl_s: int) -> HeldLock:
        self.calls.append(("take", order))
        return HeldLock(order, True, "bench-1")

    def free(self, order: str) -> HeldLock:
        self.calls.append(("free", order))
        return HeldLock(order, False)

    def held_elsewhere(self) -> list[HeldLock]:
        return [HeldLock("SO-1007", False, "bench-x")]


def test_the_window_refuses_an_order_held_elsewhere(
    qtbot: QtBot, ui_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = FakeHub()

    def calls(_db: Database) -> LockHub:
        return hub

    monkeypatch.setattr("ui.composition.enrolled_lock_calls", calls)
    station = open_station(ui_db)
    try:
        window, pack = station.window, station.window.pack
        assert station.locks is not None
        station.locks.run_round()  # what the hub says (its thread starts with sync)
        sign_in(qtbot, window, "BADGE-PAT")
        qtbot.waitUntil(pack.input.hasFocus, timeout=WAIT_MS)
        refused = scan(qtbot, pack, "SO-1007")
        assert refused.verdict is Verdict.ORDER_LOCKED
        assert "open at bench-x" in refused.message
        assert pack.banner.verdict == "order_locked"
        assert "OPEN AT ANOTHER BENCH" in pack.banner.text()
        assert scan(qtbot, pack, "CMD-CONFIRM").verdict is Verdict.CONFIRMED
        # An order nobody holds opens; the bench takes its lock, and frees it once packed.
        assert scan(qtbot, pack, "SO-1001").verdict is Verdict.ORDER_OPENED
        station.locks.run_round()
        assert hub.calls == [("take", "SO-1001")]
        for code in (MUG, MUG, TEE):
            assert scan(qtbot, pack, code).verdict is Verdict.ACCEPTED
        assert scan(qtbot, pack, "CMD-COMPLETE").verdict is Verdict.COMPLETED
        station.locks.run_round()
        assert hub.calls == [("take", "SO-1001"), ("free", "SO-1001")]
    finally:
        station.close()
