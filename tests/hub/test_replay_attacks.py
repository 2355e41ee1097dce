"""A replayed seq and event id with changed content (issue 12, point 5): refused with a clear
409 and recorded as a conflict at the hub; an identical replay is still answered as stored.

Against a real hub on 127.0.0.1 (SQLite and PostgreSQL), with a real enrolled station's token.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from sqlalchemy import select, update

from station.hub.models import HubConflict, HubEvent
from station.sync.protocol import PUSH
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.pgcluster import BOTH


def event(event_id: str, seq: int, **changes: Any) -> dict[str, Any]:
    base = {
        "event_id": event_id,
        "station_seq": seq,
        "type": "note.added",  # well formed, not acted on: acked and stored as sent
        "schema_version": 1,
        "payload": {"station": "bench-1", "text": "ok", "grams": 350.5, "items": [1, 2]},
        "blob_hashes": [],
        "device_time": "2026-12-06T03:00:00+00:00",
    }
    return {**base, **changes}


@BOTH
def test_a_replay_with_changed_content_is_refused_and_recorded(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest]
) -> None:
    token = make_station("bench-1").syncer().enrolment().token
    first = [event(str(uuid.uuid4()), 1), event(str(uuid.uuid4()), 2)]
    tampered = [
        {**first[0], "payload": {**first[0]["payload"], "grams": 1.0}},
        {**first[0], "type": "note.removed"},
        {**first[0], "device_time": None},
        {**first[0], "schema_version": 2},
    ]
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as client:
        stored = client.post(PUSH, json={"station": "bench-1", "events": first})
        # The same content, keys in another order: an honest replay (a lost reply).
        reordered = {k: first[0][k] for k in reversed(first[0])}
        reordered["payload"] = dict(reversed(first[0]["payload"].items()))
        replay = client.post(PUSH, json={"station": "bench-1", "events": [reordered, first[1]]})
        refused = [
            client.post(PUSH, json={"station": "bench-1", "events": [changed, first[1]]})
            for changed in tampered
        ]
    assert stored.status_code == 200 and replay.status_code == 200
    assert replay.json() == stored.json()
    assert [r.status_code for r in refused] == [409] * 4
    fields = ["payload", "type", "device_time", "schema_version"]
    for answer, field in zip(refused, fields, strict=True):
        body = answer.json()
        assert body["error"] == "replay_changed"
        assert body["message"] == (
            f"seq 1 (event {first[0]['event_id']}) was stored with another {field}; "
            "a replay must be identical"
        )
    with hub.db.read() as session:
        conflicts = list(session.scalars(select(HubConflict).order_by(HubConflict.id)))
        kept = session.scalars(select(HubEvent.payload).where(HubEvent.station_seq == 1)).one()
    assert [(c.kind, c.event_id) for c in conflicts] == [
        ("replay_changed", first[0]["event_id"])
    ] * 4
    assert [c.detail["changed"] for c in conflicts if c.detail] == [
        ["payload"],
        ["type"],
        ["device_time"],
        ["schema_version"],
    ]
    assert conflicts[0].detail and conflicts[0].detail["station"] == "bench-1"
    assert kept == first[0]["payload"]  # the first version stays, untouched


def test_a_replay_of_an_unstorable_event_still_matches(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest]
) -> None:
    # A payload with Infinity was stored as a marker: its replay cannot be compared by
    # payload and must not be refused for that.
    token = make_station("bench-1").syncer().enrolment().token
    body = (
        '{"station":"bench-1","events":[{"event_id":"' + str(uuid.uuid4()) + '",'
        '"station_seq":1,"type":"note.added","payload":{"station":"bench-1","g":Infinity}}]}'
    )
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    with httpx.Client(base_url=hub.url, headers=headers) as client:
        first, again = client.post(PUSH, content=body), client.post(PUSH, content=body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["results"][0]["code"] == "invalid_event"


def test_a_replay_is_compared_as_sent_not_as_the_database_kept_it(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest]
) -> None:
    # Found by the fuzz run: SQLite keeps 2**63 in a JSON column as a float, so comparing
    # with the stored payload refused an honest replay. The digest of what was sent decides.
    token = make_station("bench-1").syncer().enrolment().token
    batch = {"station": "bench-1", "events": [event(str(uuid.uuid4()), 1, payload=2**63)]}
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as client:
        first, again = client.post(PUSH, json=batch), client.post(PUSH, json=batch)
    assert first.status_code == again.status_code == 200, again.text
    assert first.json() == again.json()


def test_events_stored_before_digests_are_compared_field_by_field(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest]
) -> None:
    token = make_station("bench-1").syncer().enrolment().token
    sent = event(str(uuid.uuid4()), 1)
    batch = {"station": "bench-1", "events": [sent]}
    changed = {"station": "bench-1", "events": [{**sent, "payload": {"x": 1}}]}
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.post(PUSH, json=batch).status_code == 200
        with hub.db.write() as session:  # as a row migrated from before 0003 has it
            session.execute(update(HubEvent).values(content_sha256=None))
        same, other = client.post(PUSH, json=batch), client.post(PUSH, json=changed)
    assert same.status_code == 200
    assert (other.status_code, other.json()["error"]) == (409, "replay_changed")
    assert "another payload" in other.json()["message"]
