"""Poison events: each is rejected on its own, dead-lettered, and never blocks the queue.

A poison is an event that would fail the same way on every attempt. If it failed its whole
batch (a 500, a 422, an exception at the station) the queue behind it would wait forever.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session

import station.hub.ingest
from station.hub.rules import Decision, apply_event
from station.hub.tokens import StationRef
from station.sync.backlog import dead_letters
from station.sync.protocol import EventIn
from station.sync.state import load_enrolment
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH
from tests.sync.events import add_event
from tests.sync.invariant import assert_converged, hub_log

Make = Callable[[str], StationUnderTest]


@BOTH
def test_poison_events_at_the_station_are_dead_lettered_and_the_rest_goes(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    add_event(a.db, "note.added", {"station": "bench-1", "n": 1})
    no_order = add_event(a.db, "pack.completed", {"station": "bench-1"})
    nul_order = add_event(a.db, "pack.completed", {"station": "bench-1", "order": "SO\x00-1"})
    # A lone surrogate (a damaged string) cannot be written as UTF-8 JSON at all.
    unencodable = add_event(a.db, "note.added", {"station": "bench-1", "text": "\udcff"})
    add_event(a.db, "note.added", {"station": "bench-1", "n": 2})
    report = a.syncer(batch=3).run_cycle()
    assert (report.pushed, report.rejected, report.pending) == (2, 3, 0)
    assert [(d.station_seq, d.code) for d in dead_letters(a.db)] == [
        (unencodable, "unencodable"),
        (nul_order, "invalid_payload"),
        (no_order, "invalid_payload"),
    ]
    assert_converged(hub.db, a.db, "bench-1")
    again = a.sync()
    assert (again.pushed, again.rejected, again.dead_letters) == (0, 0, 3)


@BOTH
def test_what_the_database_cannot_store_is_rejected_alone(
    hub: HubUnderTest, make_station: Make
) -> None:
    # Sent raw, as a damaged station or another client might: NULs, which PostgreSQL refuses
    # in any text, and a schema version beyond its integer column. Each used to fail the
    # whole batch with a 500 on PostgreSQL, on every retry.
    a = make_station("bench-1")
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    note: dict[str, object] = {"type": "note.added", "payload": {"station": "bench-1"}}
    events: list[dict[str, object]] = [
        {**note, "type": "note.added\x00"},
        {**note, "event_id": f"{uuid.uuid4()}\x00"},
        {**note, "device_time": "2026-11-24T12:00:00\x00"},
        {**note, "schema_version": 10**12},
        {"type": "pack.completed", "payload": {"station": "bench-1", "order": "SO-1\x00"}},
        {**note, "payload": {"station": "bench-1", "text": "a\x00b"}},  # fine in JSON
        note,
    ]
    for seq, event in enumerate(events, start=1):
        event.setdefault("event_id", str(uuid.uuid4()))
        event["station_seq"] = seq
    body = json.dumps({"station": "bench-1", "events": events})
    headers = {"Authorization": f"Bearer {enrolment.token}", "Content-Type": "application/json"}
    first = httpx.post(f"{hub.url}/v1/sync/push", content=body, headers=headers)
    again = httpx.post(f"{hub.url}/v1/sync/push", content=body, headers=headers)
    assert first.status_code == 200, first.text
    assert again.json() == first.json()
    assert [(r["status"], r["code"]) for r in first.json()["results"]] == [
        ("rejected", "invalid_event"),
        ("rejected", "invalid_event"),
        ("rejected", "invalid_event"),
        ("rejected", "invalid_event"),
        ("rejected", "invalid_payload"),
        ("acked", None),
        ("acked", None),
    ]
    assert [q for q, _, _ in hub_log(hub.db, "bench-1")] == list(range(1, 8))


@BOTH
def test_an_event_the_database_refuses_for_a_reason_unforeseen_is_rejected_alone(
    hub: HubUnderTest, make_station: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The safety net behind the checks above: any value the database refuses (a DataError,
    # deterministic) fails that event only, decided again one event at a time in savepoints.
    def refuse(session: Session, station: StationRef, event: EventIn) -> Decision:
        decision = apply_event(session, station, event)
        if isinstance(event.payload, dict) and event.payload.get("refused"):
            session.execute(text("SELECT 1"))  # it happens in the database, mid-transaction
            raise DataError("INSERT ...", {}, ValueError("value out of range"))
        return decision

    monkeypatch.setattr(station.hub.ingest, "apply_event", refuse)
    a = make_station("bench-1")
    add_event(a.db, "note.added", {"station": "bench-1"})
    refused = add_event(a.db, "note.added", {"station": "bench-1", "refused": True})
    add_event(a.db, "note.added", {"station": "bench-1"})
    report = a.sync()
    assert (report.pushed, report.rejected, report.pending) == (2, 1, 0)
    assert [(d.station_seq, d.code) for d in dead_letters(a.db)] == [(refused, "unstorable")]
    assert_converged(hub.db, a.db, "bench-1")
