"""Pushing the outbox to a real hub: acks, replays, gaps, rejections, ownership, limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select, update

from station.hub.admin import revoke
from station.hub.context import Limits
from station.hub.models import HubEvent, HubStation
from station.hub.stats import hub_stats
from station.sync.backlog import dead_letters
from station.sync.client import HubClient, HubRefused
from station.sync.protocol import PushRequest
from station.sync.state import load_enrolment
from station.sync.worker import SyncWorker
from tests.hub.hubfixtures import (
    CATALOG_CSV,
    ORDERS_CSV,
    HubUnderTest,
    StationUnderTest,
    start_hub,
)
from tests.pgcluster import BOTH
from tests.station.packfixtures import MUG, TEE
from tests.sync.events import add_event, outbox_events

Make = Callable[[str], StationUnderTest]


def pack_so_1001(station: StationUnderTest) -> None:
    """Open SO-1001, scan its three units, complete: 7 events (the complete scan included)."""
    svc = station.service()
    for code in ("SO-1001", MUG, MUG, TEE):
        svc.scan(code)
    assert svc.complete().message == "order SO-1001 packed"


def hub_events(hub: HubUnderTest, station: str) -> list[tuple[int, str, str, str | None]]:
    with hub.db.read() as s:
        rows = s.execute(
            select(HubEvent.station_seq, HubEvent.event_id, HubEvent.status, HubEvent.code)
            .join(HubStation, HubStation.id == HubEvent.station_id)
            .where(HubStation.name == station)
            .order_by(HubEvent.station_seq)
        ).all()
    return [(int(q), e, st, c) for q, e, st, c in rows]


def client_of(station: StationUnderTest) -> HubClient:
    enrolment = load_enrolment(station.db)
    assert enrolment is not None
    return HubClient(enrolment.url, enrolment.token)


@BOTH
def test_pushed_events_are_acked_once_in_station_order(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    assert a.sync().pulled == 8  # 4 products, 4 orders
    pack_so_1001(a)
    report = a.sync()
    assert (report.pushed, report.rejected, report.pending) == (7, 0, 0)
    assert [s for _, _, s, _ in a.outbox()] == ["acked"] * 7
    stored = hub_events(hub, "bench-1")
    assert [(q, e) for q, e, _, _ in stored] == [
        (e.station_seq, e.event_id) for e in outbox_events(a.db)
    ]
    with hub.db.read() as s:
        stats = hub_stats(s)
    assert stats["events"] == 7
    assert stats["by_station"] == {"bench-1": 7}
    assert stats["by_type"] == {"pack.completed": 1, "pack.started": 1, "scan.recorded": 5}
    assert stats["stations"] == 1


@BOTH
def test_a_replayed_push_gets_the_stored_results_and_stores_nothing(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    pack_so_1001(a)
    events = outbox_events(a.db)
    with client_of(a) as client:
        first = client.push(PushRequest(station="bench-1", events=events))
        # The reply was "lost": the station still has everything pending and pushes again.
        again = client.push(PushRequest(station="bench-1", events=events))
        overlap = client.push(PushRequest(station="bench-1", events=events[4:]))
    assert first == again
    assert first.next_seq == 8
    assert overlap.results == first.results[4:]
    assert [s for _, _, s, _ in a.outbox()] == ["pending"] * 7
    report = a.sync()  # the station records the stored answers
    assert (report.pushed, report.pending) == (7, 0)
    assert len(hub_events(hub, "bench-1")) == 7


@BOTH
def test_a_gap_is_refused_with_the_expected_seq(hub: HubUnderTest, make_station: Make) -> None:
    a = make_station("bench-1")
    a.sync()
    pack_so_1001(a)
    with client_of(a) as client:
        client.push(PushRequest(station="bench-1", events=outbox_events(a.db, 1, 2)))
        with pytest.raises(HubRefused) as refused:
            client.push(PushRequest(station="bench-1", events=outbox_events(a.db, 5)))
    assert refused.value.status == 409
    assert (refused.value.error, refused.value.body.expected_seq) == ("gap", 3)
    assert len(hub_events(hub, "bench-1")) == 2


def test_the_station_resends_what_a_restored_hub_lost(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    pack_so_1001(a)
    a.sync()
    # The hub is restored to a state before the last four events.
    with hub.db.write() as s:
        for row in s.scalars(select(HubEvent).where(HubEvent.station_seq > 3)):
            s.delete(row)
        s.execute(update(HubStation).values(last_seq=3))
    add_event(a.db, "note.added", {"station": "bench-1", "text": "after the restore"})
    report = a.sync()
    assert report.pending == 0
    assert [q for q, _, _, _ in hub_events(hub, "bench-1")] == list(range(1, 9))


@BOTH
def test_a_rejected_event_goes_to_the_dead_letters_and_never_blocks(
    hub: HubUnderTest, make_station: Make
) -> None:
    a = make_station("bench-1")
    a.sync()
    poison = add_event(a.db, "pack.completed", {"station": "bench-1"})  # no order
    malformed = add_event(a.db, "Not A Type", {"station": "bench-1"})
    pack_so_1001(a)
    report = a.sync()
    assert (report.pushed, report.rejected, report.pending, report.dead_letters) == (7, 2, 0, 2)
    outbox = a.outbox()
    assert outbox[poison - 1][2:] == ("rejected", "invalid_payload")
    assert outbox[malformed - 1][2:] == ("rejected", "invalid_event")
    assert [s for _, _, s, _ in outbox[2:]] == ["acked"] * 7
    assert [(d.station_seq, d.type, d.code) for d in dead_letters(a.db)] == [
        (malformed, "Not A Type", "invalid_event"),
        (poison, "pack.completed", "invalid_payload"),
    ]
    with hub.db.read() as s:
        stats = hub_stats(s)
    assert (stats["events"], stats["rejected"]) == (7, 2)
    assert {r["code"] for r in stats["rejections"]} == {"invalid_payload", "invalid_event"}
    # Rejections are final: a second sync sends nothing and changes nothing.
    again = a.sync()
    assert (again.pushed, again.rejected, again.dead_letters) == (0, 0, 2)


def test_another_stations_events_are_forbidden(hub: HubUnderTest, make_station: Make) -> None:
    a, b = make_station("bench-1"), make_station("bench-2")
    a.sync()
    pack_so_1001(a)
    with client_of(b) as client:
        with pytest.raises(HubRefused) as as_other:
            client.push(PushRequest(station="bench-1", events=outbox_events(a.db)))
        with pytest.raises(HubRefused) as foreign_payload:
            client.push(PushRequest(station="bench-2", events=outbox_events(a.db)))
    assert (as_other.value.status, foreign_payload.value.status) == (403, 403)
    assert "bench-2" in as_other.value.body.message
    assert hub_events(hub, "bench-1") == hub_events(hub, "bench-2") == []


def test_a_revoked_token_is_refused(hub: HubUnderTest, make_station: Make) -> None:
    a = make_station("bench-1")
    a.sync()
    assert revoke(hub.db, "bench-1") == 1
    pack_so_1001(a)
    with pytest.raises(HubRefused) as refused:
        a.sync()
    assert (refused.value.status, refused.value.error) == (401, "unauthorized")
    worker = SyncWorker(a.syncer())
    assert worker.run_once() is None
    assert worker.status.online is True
    assert worker.status.pending == 7
    assert worker.status.last_error is not None and "enrol again" in worker.status.last_error
    assert hub_events(hub, "bench-1") == []


def test_limits_answer_413_and_the_station_adapts(
    tmp_path: Path, station_factory: Callable[[HubUnderTest, str], StationUnderTest]
) -> None:
    with ExitStack() as stack:
        small = start_hub(
            stack, tmp_path / "small", Limits(max_batch_events=3, max_body_bytes=6000)
        )
        small.load("catalog", CATALOG_CSV)
        small.load("orders", ORDERS_CSV)
        a = station_factory(small, "bench-1")
        a.sync()
        pack_so_1001(a)
        big = add_event(a.db, "note.added", {"station": "bench-1", "text": "x" * 7000})
        add_event(a.db, "note.added", {"station": "bench-1", "text": "after the big one"})
        with client_of(a) as client, pytest.raises(HubRefused) as refused:
            client.push(PushRequest(station="bench-1", events=outbox_events(a.db, 1, 7)))
        assert (refused.value.status, refused.value.error) == (413, "too_many_events")
        report = a.sync()
        # Batches shrank to what the hub takes. The event larger than any body went as a
        # stub under its seq (a hole would be a gap the hub refuses), which the hub rejected
        # with the station's reason; the event after it went on. (This used to loop forever.)
        assert (report.pushed, report.rejected, report.pending) == (8, 1, 0)
        assert a.outbox()[big - 1][2:] == ("rejected", "too_large")
        held = hub_events(small, "bench-1")
        assert [q for q, _, _, _ in held] == list(range(1, 10))
        assert held[big - 1][2:] == ("rejected", "too_large")


@BOTH
def test_malformed_events_sent_raw_are_rejected_one_by_one(
    hub: HubUnderTest, make_station: Make
) -> None:
    # What no station of ours writes, but a damaged database or another client might: the
    # batch is still taken, each bad event answered with its own rejection.
    a = make_station("bench-1")
    enrolment = load_enrolment(a.db)
    assert enrolment is not None
    ids = [f"0190a5a0-0000-7000-8000-00000000000{n}" for n in range(1, 6)]
    events: list[dict[str, object]] = [
        {"event_id": "x", "type": "note.added", "payload": {}},
        {"event_id": ids[1], "type": "note.added", "payload": {"w": "NAN-HERE"}},
        {"event_id": ids[2], "type": "t" * 300 + ".x", "payload": {}},
        {"event_id": ids[3], "type": "note.added", "payload": [1]},
        {"event_id": ids[4], "type": "note.added", "payload": {}},
    ]
    for seq, event in enumerate(events, start=1):
        event["station_seq"] = seq
    body = json.dumps({"station": "bench-1", "events": events}).replace('"NAN-HERE"', "NaN")
    headers = {"Authorization": f"Bearer {enrolment.token}", "Content-Type": "application/json"}
    first = httpx.post(f"{hub.url}/v1/sync/push", content=body, headers=headers)
    again = httpx.post(f"{hub.url}/v1/sync/push", content=body, headers=headers)
    assert first.status_code == 200 and again.json() == first.json()
    results = first.json()["results"]
    assert [(r["status"], r["code"]) for r in results] == [("rejected", "invalid_event")] * 4 + [
        ("acked", None)
    ]
    assert [q for q, _, _, _ in hub_events(hub, "bench-1")] == [1, 2, 3, 4, 5]
