"""The hub's outgoing webhooks, received by a real HTTP endpoint on 127.0.0.1."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.responses import Response

from station.hub.channels.outbound import package_shipped
from station.hub.channels.webhooks_out import (
    MAX_ATTEMPTS,
    add_subscription,
    backoff,
    dead_letters,
    deliver_due,
    list_subscriptions,
    replay,
)
from station.hub.models import utcnow
from tests.hub.hubfixtures import HubUnderTest, StationUnderTest
from tests.hub.server import running_hub
from tests.station.packfixtures import MUG
from tests.sync.test_pull import pack

SECRET = "endpoint-secret"
ENV = {"STATION_WEBHOOK_ERP_SECRET": SECRET}
Make = Callable[[str], StationUnderTest]


@dataclass
class Receiver:
    """What the endpoint got: (headers, body) per request; ``status`` is what it answers."""

    status: int = 200
    got: list[tuple[dict[str, str], bytes]] = field(default_factory=list)


@contextmanager
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()
    app = FastAPI()

    @app.post("/hook")
    async def hook(request: Request) -> Response:
        state.got.append((dict(request.headers), await request.body()))
        return Response(status_code=state.status)

    with running_hub(app) as url:
        yield state, f"{url}/hook"


def verified(headers: dict[str, str], body: bytes) -> bool:
    signed = f"{headers['webhook-timestamp']}.".encode() + body
    expected = "v1=" + hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers["webhook-signature"], expected)


def test_order_packed_is_posted_signed_with_an_idempotency_id(
    hub: HubUnderTest, make_station: Make
) -> None:
    with receiver() as (got, url):
        add_subscription(hub.db, "erp", url, ["order.packed"])
        station = make_station("bench-1")
        station.sync()
        pack(station, "SO-1002", MUG)
        station.sync()
        report = deliver_due(hub.db, ENV)
        assert deliver_due(hub.db, ENV).delivered == []  # delivered once
    assert len(report.delivered) == 1 and len(got.got) == 1
    headers, body = got.got[0]
    assert verified(headers, body)
    message = json.loads(body)
    assert (message["event"], message["data"]["order"]) == ("order.packed", "SO-1002")
    assert message["id"] == headers["webhook-id"] == report.delivered[0]
    assert message["data"]["station"] == "bench-1"


def test_failures_back_off_then_die_and_replay_delivers_the_same_id(hub: HubUnderTest) -> None:
    with receiver() as (got, url):
        add_subscription(hub.db, "erp", url, ["package.shipped"])
        with hub.db.write() as s:
            package_shipped(s, "SO-1003", 1, "DHL", "JD777", None)  # a file-imported order
        got.status = 503
        now = utcnow()
        first = deliver_due(hub.db, ENV, now=now)
        assert deliver_due(hub.db, ENV, now=now).retrying == {}  # not due before its backoff
        for attempt in range(1, MAX_ATTEMPTS):
            now += backoff(attempt) + timedelta(seconds=1)
            last = deliver_due(hub.db, ENV, now=now)
        assert list(last.dead.values()) == ["erp: the endpoint answered HTTP 503"]
        assert [d[0] for d in dead_letters(hub.db)] == list(first.retrying)
        assert list_subscriptions(hub.db)[0].dead == 1
        got.status = 200
        assert replay(hub.db) == 1
        done = deliver_due(hub.db, ENV)
    assert done.delivered == list(first.retrying)
    ids = {h["webhook-id"] for h, _ in got.got}
    assert len(got.got) == MAX_ATTEMPTS + 1 and len(ids) == 1
    message = json.loads(got.got[-1][1])
    assert message["data"]["tracking_number"] == "JD777"
    assert all(verified(h, b) for h, b in got.got)


def test_an_unsigned_subscription_is_never_posted(hub: HubUnderTest) -> None:
    with receiver() as (got, url):
        add_subscription(hub.db, "erp", url, ["package.shipped"])
        with hub.db.write() as s:
            package_shipped(s, "SO-1003", 1, "DHL", "JD777", None)
        report = deliver_due(hub.db, {})
    assert list(report.retrying.values()) == ["erp: no signing secret configured"]
    assert got.got == []
