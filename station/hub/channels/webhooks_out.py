"""The hub's own webhooks: ``order.packed``, ``package.shipped``, ``return.inspected``.

``emit`` records one delivery per subscriber in the caller's transaction, so an event is
queued exactly when the fact it tells is committed (at least once, never for a rolled-back
fact). ``deliver_due`` posts what is due, outside any transaction:

- body: ``{"id", "event", "created_at", "data"}`` as JSON;
- ``Webhook-Id``: the delivery's idempotency id (the same on every retry: receivers drop
  repeats by it); ``Webhook-Timestamp``: Unix seconds of this attempt;
  ``Webhook-Signature``: ``v1=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"`` under the
  subscriber's secret, so a captured request cannot be replayed later with a new timestamp;
- a 2xx answer delivers it; anything else is retried after 30 s, 1, 2, 4 ... minutes (at most
  an hour apart); after ``MAX_ATTEMPTS`` it is dead, listed, and ``replay`` queues it again.

Secrets come from ``STATION_WEBHOOK_<NAME>_SECRET`` or ``webhooks.<name>.secret`` in the
secrets file, like the channels' credentials; they are never stored or printed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from station.hub.db import HubDatabase
from station.hub.models import HubWebhookDelivery, HubWebhookSubscription, utcnow

EVENTS = ("order.packed", "package.shipped", "return.inspected")
MAX_ATTEMPTS = 10
FIRST_RETRY_S = 30.0
MAX_RETRY_S = 3600.0


def webhook_secret(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """The signing secret of subscription ``name`` (environment first, then the secrets file)."""
    env = os.environ if environ is None else environ
    key = "STATION_WEBHOOK_" + re.sub(r"[^A-Z0-9]", "_", name.upper()) + "_SECRET"
    if env.get(key):
        return env[key]
    path = env.get("STATION_HUB_SECRETS")
    if not path:
        return None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    entry = (data.get("webhooks") or {}).get(name) if isinstance(data, dict) else None
    secret = entry.get("secret") if isinstance(entry, dict) else None
    return secret if isinstance(secret, str) and secret else None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=`` and the hex HMAC-SHA256 of ``"{timestamp}.{body}"``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


@dataclass(frozen=True)
class SubscriptionInfo:
    """A subscription as configured (no secret)."""

    name: str
    url: str
    events: list[str]
    pending: int
    dead: int


def add_subscription(hub: HubDatabase, name: str, url: str, events: list[str]) -> None:
    """Add or change a subscription; ValueError naming the field if one is unacceptable."""
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise ValueError(f"event: not one of {', '.join(EVENTS)} ({', '.join(unknown)})")
    parts = urlsplit(url)
    loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
    if parts.scheme != "https" and not (parts.scheme == "http" and loopback):
        raise ValueError(f"url: webhooks are sent over https only ({url!r})")
    if not name or len(name) > 64:
        raise ValueError("name: 1 to 64 characters")
    with hub.write() as session:
        row = session.scalars(
            select(HubWebhookSubscription).where(HubWebhookSubscription.name == name)
        ).one_or_none()
        if row is None:
            session.add(HubWebhookSubscription(name=name, url=url, events=events or list(EVENTS)))
        else:
            row.url, row.events = url, events or list(EVENTS)


def list_subscriptions(hub: HubDatabase) -> list[SubscriptionInfo]:
    """Every subscription with its pending and dead deliveries."""
    with hub.read() as session:
        result = []
        for sub in session.scalars(
            select(HubWebhookSubscription).order_by(HubWebhookSubscription.name)
        ):
            statuses = list(
                session.scalars(
                    select(HubWebhookDelivery.status).where(
                        HubWebhookDelivery.subscription_id == sub.id
                    )
                )
            )
            result.append(
                SubscriptionInfo(
                    sub.name,
                    sub.url,
                    list(sub.events),
                    statuses.count("pending"),
                    statuses.count("dead"),
                )
            )
        return result


_SUBSCRIBED = "hub.webhooks.subscribed"  # session.info key: (id, events) of each subscription


def emit(session: Session, event: str, data: dict[str, Any]) -> int:
    """Queue ``event`` for every subscriber to it, in the caller's transaction; how many.

    Plain statements (one read of the subscriptions, one insert for all their deliveries):
    this runs for every shipped package in the ingest of a push."""
    subscribed = session.info.get(_SUBSCRIBED)
    if subscribed is None:
        # Read once per session (a transaction): an ingest of 500 events reads them once.
        # Subscriptions change in their own transaction, so none changes under this one.
        subs = HubWebhookSubscription.__table__
        rows = session.execute(select(subs.c.id, subs.c.events))
        subscribed = session.info[_SUBSCRIBED] = [(i, list(e or [])) for i, e in rows]
    wanted = [sub_id for sub_id, events in subscribed if event in events]
    if wanted:
        now = utcnow()
        session.execute(
            insert(HubWebhookDelivery),
            [
                {
                    "subscription_id": sub_id,
                    "delivery_id": str(uuid.uuid4()),
                    "event": event,
                    "payload": data,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for sub_id in wanted
            ],
        )
    return len(wanted)


@dataclass
class DeliveryReport:
    """What one delivery run did: delivered ids, retried and dead ones with the reason."""

    delivered: list[str] = field(default_factory=list)
    retrying: dict[str, str] = field(default_factory=dict)
    dead: dict[str, str] = field(default_factory=dict)


def backoff(attempts: int) -> timedelta:
    """The pause after the ``attempts``-th failure: 30 s doubling, at most an hour."""
    return timedelta(seconds=min(MAX_RETRY_S, FIRST_RETRY_S * 2 ** max(0, attempts - 1)))


def deliver_due(
    hub: HubDatabase,
    environ: Mapping[str, str] | None = None,
    now: datetime | None = None,
    timeout_s: float = 10.0,
) -> DeliveryReport:
    """Post every delivery that is due; each outcome is stored before the next is sent."""
    now = now or utcnow()
    with hub.read() as session:
        due = [
            (d.id, d.delivery_id, d.event, d.payload, d.created_at, s.name, s.url)
            for d, s in session.execute(
                select(HubWebhookDelivery, HubWebhookSubscription)
                .join(HubWebhookSubscription)
                .where(
                    HubWebhookDelivery.status == "pending",
                    HubWebhookDelivery.next_attempt_at <= now,
                )
                .order_by(HubWebhookDelivery.id)
            )
        ]
    report = DeliveryReport()
    with httpx.Client(timeout=timeout_s, follow_redirects=False) as client:
        for row_id, delivery_id, event, payload, created_at, name, url in due:
            error = _post(client, name, url, delivery_id, event, payload, created_at, environ)
            with hub.write() as session:
                row = session.get(HubWebhookDelivery, row_id)
                assert row is not None
                row.attempts += 1
                if error is None:
                    row.status, row.delivered_at, row.last_error = "delivered", utcnow(), None
                    report.delivered.append(delivery_id)
                    continue
                row.last_error = error
                if row.attempts >= MAX_ATTEMPTS:
                    row.status = "dead"
                    report.dead[delivery_id] = error
                else:
                    row.next_attempt_at = now + backoff(row.attempts)
                    report.retrying[delivery_id] = error
    return report


def _post(
    client: httpx.Client,
    name: str,
    url: str,
    delivery_id: str,
    event: str,
    payload: dict[str, Any],
    created_at: datetime,
    environ: Mapping[str, str] | None,
) -> str | None:
    secret = webhook_secret(name, environ)
    if not secret:
        return f"{name}: no signing secret configured"
    body = json.dumps(
        {"id": delivery_id, "event": event, "created_at": created_at.isoformat(), "data": payload},
        separators=(",", ":"),
    ).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "Webhook-Id": delivery_id,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": sign(secret, timestamp, body),
    }
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return f"{name}: cannot reach the endpoint ({type(exc).__name__})"
    if 200 <= response.status_code < 300:
        return None
    return f"{name}: the endpoint answered HTTP {response.status_code}"


def replay(hub: HubDatabase, delivery_ids: list[str] | None = None) -> int:
    """Queue dead deliveries again (the given ones, or all); how many."""
    with hub.write() as session:
        query = (
            update(HubWebhookDelivery)
            .where(HubWebhookDelivery.status == "dead")
            .values(status="pending", attempts=0, next_attempt_at=utcnow())
        )
        if delivery_ids is not None:
            query = query.where(HubWebhookDelivery.delivery_id.in_(delivery_ids))
        return int(session.execute(query).rowcount)  # type: ignore[attr-defined]


def dead_letters(hub: HubDatabase) -> list[tuple[str, str, str, str | None]]:
    """(delivery id, subscription, event, last error) of every dead delivery."""
    with hub.read() as session:
        return [
            (d.delivery_id, s.name, d.event, d.last_error)
            for d, s in session.execute(
                select(HubWebhookDelivery, HubWebhookSubscription)
                .join(HubWebhookSubscription)
                .where(HubWebhookDelivery.status == "dead")
                .order_by(HubWebhookDelivery.id)
            )
        ]
