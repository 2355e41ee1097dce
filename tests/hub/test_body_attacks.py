"""Bodies built to exhaust the hub (issue 12, point 2): size, JSON values, nesting, stalls.

Against a real hub on 127.0.0.1 with a real enrolled station's token. The outside trial: a push
of 8 MB of tiny JSON objects (1,000 events of ``{"a":[{},{},...x2728]}``) took the hub from
177 MB to 461 MB, parsed on the event loop.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from station.hub.bodies import json_values
from station.hub.context import Limits
from station.sync.protocol import BLOBS_MISSING, ENROLL, PUSH
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest, start_hub

HANG_S = 60.0  # a guard against a hang only


def tiny_objects_push(events: int = 1000, per_event: int = 2728) -> bytes:
    """The outside trial's push: each event's payload a list of ``per_event`` empty objects."""
    tiny = "[" + ",".join(["{}"] * per_event) + "]"
    items = [
        f'{{"event_id":"{uuid.uuid4()}","station_seq":{seq},"type":"note.added",'
        f'"payload":{{"a":{tiny}}}}}'
        for seq in range(1, events + 1)
    ]
    return ('{"station":"bench-1","events":[' + ",".join(items) + "]}").encode()


@pytest.fixture
def authorised(
    hub: HubUnderTest, make_station: Callable[[str], StationUnderTest]
) -> Iterator[httpx.Client]:
    token = make_station("bench-1").syncer().enrolment().token
    headers = {"Authorization": f"Bearer {token}", "content-type": "application/json"}
    with httpx.Client(base_url=hub.url, headers=headers, timeout=HANG_S) as client:
        yield client


def test_8_mb_of_tiny_objects_is_refused_before_it_is_parsed(authorised: httpx.Client) -> None:
    body = tiny_objects_push()
    assert len(body) < Limits().max_body_bytes  # within the size limit: the values are the point
    answer = authorised.post(PUSH, content=body)
    assert answer.status_code == 413, answer.text
    assert answer.json()["error"] == "too_many_values"
    # 2.7 million objects: counted (an upper bound: brackets and commas) before any is built.
    assert json_values(body) > 2 * 2728 * 1000
    assert answer.json()["message"] == (
        f"the body holds about {json_values(body)} JSON values; the hub takes 250000 per push"
    )


def test_a_real_full_batch_is_well_within_the_value_limit(authorised: httpx.Client) -> None:
    # 1,000 events shaped like a pack's: the limit leaves honest batches alone.
    events = [
        {
            "event_id": str(uuid.uuid4()),
            "station_seq": seq,
            "type": "note.added",
            "payload": {
                "station": "bench-1",
                "order": "SO-1001",
                "lines": [{"sku": "MUG", "qty": 2, "grams": [350.1, 349.8]} for _ in range(5)],
            },
            "device_time": "2026-12-06T03:00:00+00:00",
        }
        for seq in range(1, 1001)
    ]
    body = json.dumps({"station": "bench-1", "events": events}).encode()
    assert json_values(body) < Limits().max_json_values // 4
    answer = authorised.post(PUSH, content=body)
    assert answer.status_code == 200 and answer.json()["next_seq"] == 1001


def test_deep_nesting_is_refused_with_its_cause_everywhere(authorised: httpx.Client) -> None:
    deep = b"[" * 5000 + b"]" * 5000
    push = authorised.post(PUSH, content=b'{"station":"bench-1","events":[' + deep + b"]}")
    enrol = authorised.post(ENROLL, content=deep)
    missing = authorised.post(BLOBS_MISSING, content=b'{"hashes":' + deep + b"}")
    assert push.status_code == 422 and "recursion limit exceeded" in push.json()["message"]
    for answer in (enrol, missing):
        assert answer.status_code == 400
        assert answer.json() == {
            "error": "invalid_body",
            "message": "the body's JSON is nested too deeply",
        }


def test_small_bodies_are_limited_declared_or_streamed(authorised: httpx.Client) -> None:
    big = json.dumps({"code": "x" * 300_000, "station": "bench-1"}).encode()
    declared = authorised.post(ENROLL, content=big)

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked
        yield big[:100_000]
        yield big[100_000:]

    streamed = authorised.post(ENROLL, content=chunks())
    limit = Limits().max_small_body_bytes
    assert declared.status_code == streamed.status_code == 413
    assert declared.json()["message"] == f"body of {len(big)} bytes exceeds {limit}"
    assert streamed.json() == {"error": "too_large", "message": f"body exceeds {limit} bytes"}


def test_a_body_that_stops_arriving_is_refused_with_408(tmp_path: Path) -> None:
    with ExitStack() as stack:
        hub = start_hub(stack, tmp_path / "hub", Limits(body_idle_s=0.5))
        host, port = hub.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=HANG_S) as s:
            s.sendall(
                b"POST /v1/enroll HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\n"
                b'Content-Length: 100\r\n\r\n{"code":'
            )
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.endswith(b"}"):
                part = s.recv(4096)
                if not part:
                    break
                answer += part
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"error":"body_timeout"' in answer
    assert b"no part of the body arrived for 0.5 s" in answer
