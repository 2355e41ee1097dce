"""A hub that fails half-way through a batch: the "500 at event k" of the fault tests.

The failure is raised inside the hub's transaction after the events before k were written
(flushed), so the test sees the real rollback, not a rewritten answer. It wraps the rules the
hub applies to each new event; the hub runs in this process (uvicorn in a thread), so the
patch reaches it.
"""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.orm import Session

import station.hub.ingest
from station.hub.rules import Decision, apply_event
from station.hub.tokens import StationRef
from station.sync.protocol import EventIn


class InjectedHubError(RuntimeError):
    """The hub's failure at event k (answered 500)."""


class FailingHub:
    """``arm(k)``: the k-th event the hub applies from now makes its request fail."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._lock = threading.Lock()
        self._countdown = 0
        self.fired = 0

        def apply(session: Session, station_ref: StationRef, event: EventIn) -> Decision:
            with self._lock:
                fire = self._countdown == 1
                self._countdown = max(0, self._countdown - 1)
                self.fired += fire
            if fire:
                session.flush()  # events 1..k-1 are in the transaction: it must roll back
                raise InjectedHubError(f"injected failure at seq {event.station_seq}")
            return apply_event(session, station_ref, event)

        monkeypatch.setattr(station.hub.ingest, "apply_event", apply)

    def arm(self, k: int) -> None:
        """Fail at the k-th event applied from now (k >= 1)."""
        with self._lock:
            self._countdown = k
