"""Hypothesis drives a station and its hub: events recorded, syncs through faults, restarts.

After every step the hub holds a prefix of the station's outbox (nothing twice, no hole, in
order); at the end the network heals and one sync leaves exactly the station's events on
the hub, each once, with the same rejections on both sides.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack, suppress
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from hypothesis.stateful import run_state_machine_as_test as run_machine

from station.db import Database, open_database
from station.hub.admin import enrol_code
from station.hub.app import create_app
from station.hub.context import HubContext, Limits
from station.hub.db import HubDatabase
from station.sync import protocol as p
from station.sync.client import HubUnavailable, Timeouts
from station.sync.cycle import Syncer
from station.sync.enroll import enroll_station
from tests.hub.server import running_hub
from tests.hub.templates import Templates
from tests.sync.events import add_event
from tests.sync.faultproxy import Fault, FaultProxy
from tests.sync.hubfaults import FailingHub
from tests.sync.invariant import assert_converged, assert_prefix

NAME = "bench-1"
# A small body limit, so that a large event (40 kB) has to go as a stub.
LIMITS = Limits(max_body_bytes=30_000)
FAULTS = [None, *Fault.__members__.values()]
NETWORK = [f for f in FAULTS if f not in (Fault.CORRUPT, Fault.STALL)]
KINDS = st.sampled_from(["note", "note", "note", "pack", "poison", "large"])


class SyncMachine(RuleBasedStateMachine):
    """One station and one hub; the test sets ``templates`` and ``failing`` before running."""

    templates: ClassVar[Templates]
    failing: ClassVar[FailingHub]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="sync-machine-"))
        self.hub_file = self.folder / "hub.sqlite"
        self.hub_url = self.templates.hub_url(self.folder)
        self.server = ExitStack()
        self.hub_db = self._start_hub()
        self.proxy = FaultProxy(self.upstream, delay_s=0.6)
        self.db = open_database(self.templates.station(self.folder / "station.sqlite"))
        enroll_station(self.db, self.upstream, enrol_code(self.hub_db, NAME), NAME)
        self.failing.arm(0)

    def _start_hub(self) -> HubDatabase:
        app = create_app(self.hub_url, blob_dir=self.folder / "blobs", limits=LIMITS)
        self.upstream = self.server.enter_context(running_hub(app))
        ctx = app.state.hub
        assert isinstance(ctx, HubContext)
        return ctx.db

    def _syncer(self, db: Database) -> Syncer:
        return Syncer(db, self.folder / "photos", hub_url=self.proxy.url, batch=4,
                      timeouts=Timeouts(connect=1.0, read=0.4))  # fmt: skip

    @initialize()
    def start(self) -> None:
        """Nothing yet: both sides agree on an empty log."""

    @rule(kinds=st.lists(KINDS, min_size=1, max_size=5))
    def record(self, kinds: list[str]) -> None:
        """The bench records events (a few poisons and oversized ones among them)."""
        for kind in kinds:
            payload: dict[str, object] = {"station": NAME}
            event = "note.added"
            if kind == "pack":
                event, payload["order"] = "pack.completed", "SO-1002"
            elif kind == "poison":
                event = "pack.completed"  # names no order: rejected
            elif kind == "large":
                payload["text"] = "x" * 40_000
            add_event(self.db, event, payload)

    @rule(fault=st.sampled_from(NETWORK), on_pull=st.booleans())
    def sync(self, fault: Fault | None, on_pull: bool) -> None:
        """A sync cycle; the next request (a push or a pull) meets ``fault``."""
        if fault is not None:
            self.proxy.plan(fault, p.PULL if on_pull else p.PUSH)
        with suppress(HubUnavailable):
            self._syncer(self.db).run_cycle()
        self.proxy.clear()

    @rule(k=st.integers(min_value=1, max_value=6))
    def sync_with_hub_failing(self, k: int) -> None:
        """The hub fails at the k-th event it applies (a 500, its transaction rolled back)."""
        self.failing.arm(k)
        with suppress(HubUnavailable):
            self._syncer(self.db).run_cycle()
        self.failing.arm(0)

    @rule()
    def restart_station(self) -> None:
        """The station process starts again on its database."""
        self.db.close()
        self.db = open_database(self.folder / "station.sqlite")

    @rule()
    def restart_hub(self) -> None:
        """The hub starts again on its database, at a new port behind the same proxy."""
        self.server.close()
        self.hub_db = self._start_hub()
        self.proxy.upstream = self.upstream

    @invariant()
    def hub_holds_a_prefix(self) -> None:
        """Whatever happened, the hub holds the station's first n events, once each."""
        assert_prefix(self.hub_db, self.db, NAME)

    def teardown(self) -> None:
        """The network heals: one direct sync, then both sides agree exactly."""
        try:
            self.proxy.close()
            Syncer(self.db, self.folder / "photos", hub_url=self.upstream).run_cycle()
            assert_converged(self.hub_db, self.db, NAME)
        finally:
            self.db.close()
            self.server.close()


@pytest.mark.slow
def test_any_interleaving_of_events_syncs_faults_and_restarts_converges(
    templates: Templates, monkeypatch: pytest.MonkeyPatch
) -> None:
    SyncMachine.templates = templates
    SyncMachine.failing = FailingHub(monkeypatch)
    run_machine(
        SyncMachine,
        settings=settings(
            max_examples=6,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
