"""Tracking back to the shops: one fulfilment per shipped package, recorded then sent.

``package_shipped`` is the one hub-side entry point: whatever learns that a package of an order
left with a tracking number (the ingest of a station's ``pack.completed`` that carries one;
the hub's shipping service when it buys a label) calls it. It records the fulfilment in the
caller's transaction, once per (order, package): calling it again for the same package
changes nothing that was sent and fills in tracking that was not. Sending happens apart, in
``dispatch_fulfilments``, never inside a hub transaction: a slow shop must not hold the feed.

An order that came from no shop (a file import) records nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.hub.channels.errors import ChannelAuthError, ChannelError
from station.hub.channels.secrets import channel_secrets
from station.hub.channels.shopify import ShopifyClient
from station.hub.channels.webhooks_out import emit
from station.hub.channels.woocommerce import WooClient
from station.hub.db import HubDatabase
from station.hub.models import HubChannel, HubChannelFulfilment, HubChannelOrder, utcnow

MAX_ATTEMPTS = 8  # then the fulfilment is marked failed, for a supervisor to look at


def package_shipped(
    session: Session,
    order_number: str,
    package_no: int,
    carrier: str | None,
    tracking_number: str | None,
    tracking_url: str | None = None,
) -> HubChannelFulfilment | None:
    """Record that package ``package_no`` of ``order_number`` shipped; None if no shop's order.

    The hub's ``package.shipped`` webhook is queued too (for any order), once per package and
    again only if the tracking number changes.
    """
    link = session.scalars(
        select(HubChannelOrder).where(HubChannelOrder.order_number == order_number)
    ).first()
    if link is None:
        _announce(session, order_number, package_no, carrier, tracking_number, tracking_url, None)
        return None
    row = session.scalars(
        select(HubChannelFulfilment).where(
            HubChannelFulfilment.order_number == order_number,
            HubChannelFulfilment.package_no == package_no,
        )
    ).one_or_none()
    created = row is None
    if row is None:
        row = HubChannelFulfilment(
            channel_id=link.channel_id,
            order_number=order_number,
            package_no=package_no,
            status="pending",
            attempts=0,
        )
        session.add(row)
    before = row.tracking_number
    if row.status != "sent":
        row.carrier = carrier or row.carrier
        row.tracking_number = tracking_number or row.tracking_number
        row.tracking_url = tracking_url or row.tracking_url
    session.flush()
    if created or row.tracking_number != before:
        _announce(
            session,
            order_number,
            package_no,
            row.carrier,
            row.tracking_number,
            row.tracking_url,
            before,
        )
    return row


def _announce(
    session: Session,
    order_number: str,
    package_no: int,
    carrier: str | None,
    tracking_number: str | None,
    tracking_url: str | None,
    previous: str | None,
) -> None:
    """Queue the ``package.shipped`` webhook (the hub's own subscribers)."""
    data: dict[str, object] = {
        "order": order_number,
        "package": package_no,
        "carrier": carrier,
        "tracking_number": tracking_number,
        "tracking_url": tracking_url,
    }
    if previous:
        data["previous_tracking_number"] = previous
    emit(session, "package.shipped", data)


@dataclass
class DispatchReport:
    """What one dispatch run did."""

    sent: list[str] = field(default_factory=list)  # "order/package"
    failed: dict[str, str] = field(default_factory=dict)
    retrying: dict[str, str] = field(default_factory=dict)
    throttle_wait_s: float = 0.0


@dataclass(frozen=True)
class _Pending:
    id: int
    channel: str
    kind: str
    base_url: str
    order_number: str
    package_no: int
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    refs: list[str]


def _pending(hub: HubDatabase, channel: str | None) -> list[_Pending]:
    with hub.read() as session:
        query = (
            select(HubChannelFulfilment, HubChannel)
            .join(HubChannel, HubChannel.id == HubChannelFulfilment.channel_id)
            .where(HubChannelFulfilment.status == "pending")
            .order_by(HubChannelFulfilment.id)
        )
        if channel is not None:
            query = query.where(HubChannel.name == channel)
        result = []
        for row, chan in session.execute(query):
            link = session.scalars(
                select(HubChannelOrder).where(
                    HubChannelOrder.channel_id == chan.id,
                    HubChannelOrder.order_number == row.order_number,
                )
            ).first()
            refs = list(link.remote_refs) if link is not None else []
            result.append(
                _Pending(
                    row.id,
                    chan.name,
                    chan.kind,
                    chan.base_url,
                    row.order_number,
                    row.package_no,
                    row.carrier,
                    row.tracking_number,
                    row.tracking_url,
                    refs,
                )
            )
        return result


def _mark(
    hub: HubDatabase,
    row_id: int,
    *,
    sent_id: str | None = None,
    error: str | None = None,
    final: bool = False,
) -> None:
    with hub.write() as session:
        row = session.get(HubChannelFulfilment, row_id)
        assert row is not None
        row.attempts += 1
        if sent_id is not None:
            row.status, row.remote_id, row.sent_at, row.last_error = "sent", sent_id, utcnow(), None
        else:
            row.last_error = error
            if final or row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"


def dispatch_fulfilments(
    hub: HubDatabase,
    channel: str | None = None,
    environ: Mapping[str, str] | None = None,
    hub_ms: list[float] | None = None,
) -> DispatchReport:
    """Send every pending fulfilment (of ``channel``, or all); each outcome is stored.

    ``hub_ms``, if given, receives the hub's own time per fulfilment in milliseconds (its
    share of reading the pending list, and storing the outcome), the shop's time excluded.
    """
    report = DispatchReport()
    clients: dict[str, ShopifyClient | WooClient] = {}
    started = time.perf_counter()
    pending = _pending(hub, channel)
    read_ms = (time.perf_counter() - started) * 1000 / max(1, len(pending))
    try:
        for item in pending:
            key = f"{item.order_number}/{item.package_no}"
            if hub_ms is not None:
                hub_ms.append(read_ms)
            try:
                remote_id = _send(item, clients, environ)
            except ChannelAuthError as exc:
                _mark(hub, item.id, error=str(exc))
                report.retrying[key] = str(exc)  # a fixed token sends it next time
            except ChannelError as exc:
                permanent = "refused" in str(exc)
                _mark(hub, item.id, error=str(exc), final=permanent)
                (report.failed if permanent else report.retrying)[key] = str(exc)
            else:
                t0 = time.perf_counter()
                _mark(hub, item.id, sent_id=remote_id)
                if hub_ms is not None:
                    hub_ms[-1] += (time.perf_counter() - t0) * 1000
                report.sent.append(key)
    finally:
        for client in clients.values():
            client.close()
    report.throttle_wait_s = sum(
        c.throttle.waited_s for c in clients.values() if isinstance(c, ShopifyClient)
    )
    return report


def _send(
    item: _Pending, clients: dict[str, ShopifyClient | WooClient], environ: Mapping[str, str] | None
) -> str:
    client = clients.get(item.channel)
    if client is None:
        token = channel_secrets(item.channel, environ).token
        if not token:
            raise ChannelAuthError(f"{item.channel}: no token configured")
        opener = ShopifyClient.open if item.kind == "shopify" else WooClient.open
        client = clients[item.channel] = opener(item.channel, item.base_url, token)
    if not item.refs:
        raise ChannelError(
            f"{item.channel}: order {item.order_number} has no fulfilment order yet (poll first)"
        )
    if isinstance(client, WooClient):
        return client.complete(
            item.refs[0], carrier=item.carrier, number=item.tracking_number, url=item.tracking_url
        )
    return client.fulfillment_create(
        item.refs, company=item.carrier, number=item.tracking_number, url=item.tracking_url
    )
