"""Tracking back to the shops: one fulfilment per shipped package, recorded then sent.

``package_shipped`` is the one hub-side entry point: whatever learns that a package of an order
left with a tracking number (the ingest of a station's ``pack.completed`` that carries one;
the hub's shipping service when it buys a label) calls it. It records the fulfilment in the
caller's transaction, once per (order, package): calling it again for the same package
changes nothing that was sent and fills in tracking that was not. Sending happens apart, in
``dispatch_fulfilments``, never inside a hub transaction: a slow shop must not hold the feed.

Never sent twice, with two commits per batch rather than one per fulfilment: a batch of
pending rows is first claimed (``sending``, one commit), then sent, then settled (``sent``,
back to ``pending`` or ``failed``, one commit). A hub stopped between the two leaves rows
``sending``: they are in doubt, since the shop may have created some of them. The next
dispatch asks the shop which of them it holds (Shopify: the fulfilment order's fulfilments
and their tracking numbers; WooCommerce: the order's shipment-tracking meta) and marks those
sent; only the others are sent again.

An order that came from no shop (a file import) records nothing.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from station.hub.channels.errors import ChannelAuthError, ChannelError
from station.hub.channels.secrets import channel_secrets
from station.hub.channels.shopify import ShopifyClient
from station.hub.channels.webhooks_out import emit
from station.hub.channels.woocommerce import WooClient
from station.hub.db import HubDatabase
from station.hub.models import HubChannel, HubChannelFulfilment, HubChannelOrder, utcnow

MAX_ATTEMPTS = 8  # then the fulfilment is marked failed, for a supervisor to look at
# Fulfilments claimed in one commit and settled in one: the commits are the hub's cost per
# fulfilment (a durable commit each was 33 ms at p99), and a batch is what a stop leaves in
# doubt, to be asked of the shop.
BATCH_SIZE = 100


def package_shipped(
    session: Session,
    order_number: str,
    package_no: int,
    carrier: str | None,
    tracking_number: str | None,
    tracking_url: str | None = None,
) -> int | None:
    """Record that package ``package_no`` of ``order_number`` shipped; the fulfilment's id, or
    None if the order came from no shop.

    The hub's ``package.shipped`` webhook is queued too (for any order), once per package and
    again only if the tracking number changes. Plain statements, not ORM objects: this runs
    once per package in the ingest of a push, and one joined read plus one write is what it
    needs (the ORM's three round trips and a flush were most of the hub's time per
    fulfilment).
    """
    f = HubChannelFulfilment.__table__
    o = HubChannelOrder.__table__
    found = session.execute(
        select(
            o.c.channel_id, f.c.id, f.c.status, f.c.carrier, f.c.tracking_number, f.c.tracking_url
        )
        .select_from(
            o.outerjoin(f, (f.c.order_number == o.c.order_number) & (f.c.package_no == package_no))
        )
        .where(o.c.order_number == order_number)
        .limit(1)
    ).first()
    if found is None:
        _announce(session, order_number, package_no, carrier, tracking_number, tracking_url, None)
        return None
    channel_id, row_id, status, *stored = found
    created = row_id is None
    if created:
        now = [carrier, tracking_number, tracking_url]
        row_id = session.execute(
            insert(HubChannelFulfilment)
            .values(
                channel_id=channel_id,
                order_number=order_number,
                package_no=package_no,
                carrier=carrier,
                tracking_number=tracking_number,
                tracking_url=tracking_url,
                status="pending",
                attempts=0,
                created_at=utcnow(),
            )
            .returning(HubChannelFulfilment.id)
        ).scalar_one()
    elif status != "sent":  # what was sent stays; tracking not yet sent is filled in
        given = (carrier, tracking_number, tracking_url)
        now = [new or old for new, old in zip(given, stored, strict=True)]
        if now != stored:
            session.execute(
                update(HubChannelFulfilment)
                .where(HubChannelFulfilment.id == row_id)
                .values(carrier=now[0], tracking_number=now[1], tracking_url=now[2])
            )
    else:
        now = list(stored)
    previous = None if created else stored[1]
    if created or now[1] != previous:
        _announce(session, order_number, package_no, now[0], now[1], now[2], previous)
    return int(row_id)


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
    # In doubt after a stop mid-batch, and found already at the shop: marked sent, not resent.
    reconciled: list[str] = field(default_factory=list)
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

    @property
    def key(self) -> str:
        return f"{self.order_number}/{self.package_no}"


@dataclass(frozen=True)
class _Outcome:
    id: int
    sent_id: str | None = None
    error: str | None = None
    final: bool = False


def _select(
    session: Session, channel: str | None, status: str, after: int = 0, limit: int | None = None
) -> list[_Pending]:
    query = (
        select(HubChannelFulfilment, HubChannel, HubChannelOrder.remote_refs)
        .join(HubChannel, HubChannel.id == HubChannelFulfilment.channel_id)
        .outerjoin(
            HubChannelOrder,
            (HubChannelOrder.channel_id == HubChannel.id)
            & (HubChannelOrder.order_number == HubChannelFulfilment.order_number),
        )
        .where(HubChannelFulfilment.status == status, HubChannelFulfilment.id > after)
        .order_by(HubChannelFulfilment.id)
        .limit(limit)
    )
    if channel is not None:
        query = query.where(HubChannel.name == channel)
    return [
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
            list(refs or []),
        )
        for row, chan, refs in session.execute(query)
    ]


def _claim(hub: HubDatabase, channel: str | None, after: int, size: int) -> list[_Pending]:
    """The next ``size`` pending rows after id ``after``, marked ``sending`` in one commit."""
    with hub.write() as session:
        batch = _select(session, channel, "pending", after, size)
        if batch:
            session.execute(
                update(HubChannelFulfilment)
                .where(HubChannelFulfilment.id.in_([b.id for b in batch]))
                .values(status="sending", attempts=HubChannelFulfilment.attempts + 1)
            )
        return batch


def _settle(hub: HubDatabase, outcomes: list[_Outcome]) -> None:
    """Store a batch's outcomes in one commit."""
    if not outcomes:
        return
    with hub.write() as session:
        rows = session.scalars(
            select(HubChannelFulfilment).where(
                HubChannelFulfilment.id.in_([o.id for o in outcomes])
            )
        )
        by_id = {row.id: row for row in rows}
        now = utcnow()
        for outcome in outcomes:
            row = by_id[outcome.id]
            if outcome.sent_id is not None:
                row.status, row.remote_id, row.sent_at = "sent", outcome.sent_id, now
                row.last_error = None
            else:
                row.last_error = outcome.error
                final = outcome.final or row.attempts >= MAX_ATTEMPTS
                row.status = "failed" if final else "pending"


def dispatch_fulfilments(
    hub: HubDatabase,
    channel: str | None = None,
    environ: Mapping[str, str] | None = None,
    hub_ms: list[float] | None = None,
    batch_size: int = BATCH_SIZE,
) -> DispatchReport:
    """Send every pending fulfilment (of ``channel``, or all); each outcome is stored.

    Rows left in doubt by a dispatch that stopped mid-batch are first settled with what the
    shop holds. ``hub_ms``, if given, receives the hub's own time per fulfilment in
    milliseconds (its share of its batch's claim and settle), the shop's time excluded.
    """
    report = DispatchReport()
    clients: dict[str, ShopifyClient | WooClient] = {}
    try:
        _reconcile(hub, channel, environ, clients, report)
        after = 0
        while True:
            t0 = time.perf_counter()
            batch = _claim(hub, channel, after, batch_size)
            claim_ms = (time.perf_counter() - t0) * 1000
            if not batch:
                break
            after = batch[-1].id
            outcomes = [_attempt(item, clients, environ, report) for item in batch]
            t0 = time.perf_counter()
            _settle(hub, outcomes)
            settle_ms = (time.perf_counter() - t0) * 1000
            if hub_ms is not None:
                hub_ms += [(claim_ms + settle_ms) / len(batch)] * len(batch)
    finally:
        for client in clients.values():
            client.close()
    report.throttle_wait_s = sum(
        c.throttle.waited_s for c in clients.values() if isinstance(c, ShopifyClient)
    )
    return report


def _attempt(
    item: _Pending,
    clients: dict[str, ShopifyClient | WooClient],
    environ: Mapping[str, str] | None,
    report: DispatchReport,
) -> _Outcome:
    try:
        if not item.refs:
            raise ChannelError(
                f"{item.channel}: order {item.order_number} has no fulfilment order yet"
                " (poll first)"
            )
        client = _client(item, clients, environ)
        if isinstance(client, WooClient):
            remote_id = client.complete(
                item.refs[0],
                carrier=item.carrier,
                number=item.tracking_number,
                url=item.tracking_url,
            )
        else:
            remote_id = client.fulfillment_create(
                item.refs, company=item.carrier, number=item.tracking_number, url=item.tracking_url
            )
    except ChannelAuthError as exc:
        report.retrying[item.key] = str(exc)  # a fixed token sends it next time
        return _Outcome(item.id, error=str(exc))
    except ChannelError as exc:
        permanent = "refused" in str(exc)
        (report.failed if permanent else report.retrying)[item.key] = str(exc)
        return _Outcome(item.id, error=str(exc), final=permanent)
    report.sent.append(item.key)
    return _Outcome(item.id, sent_id=remote_id)


def _client(
    item: _Pending, clients: dict[str, ShopifyClient | WooClient], environ: Mapping[str, str] | None
) -> ShopifyClient | WooClient:
    client = clients.get(item.channel)
    if client is None:
        token = channel_secrets(item.channel, environ).token
        if not token:
            raise ChannelAuthError(f"{item.channel}: no token configured")
        opener = ShopifyClient.open if item.kind == "shopify" else WooClient.open
        client = clients[item.channel] = opener(item.channel, item.base_url, token)
    return client


def _reconcile(
    hub: HubDatabase,
    channel: str | None,
    environ: Mapping[str, str] | None,
    clients: dict[str, ShopifyClient | WooClient],
    report: DispatchReport,
) -> None:
    """Settle the rows a stopped dispatch left ``sending``: sent if the shop holds their
    tracking, else pending again. A shop that cannot be asked leaves them in doubt (never
    sent blind)."""
    with hub.read() as session:
        doubtful = _select(session, channel, "sending")
    outcomes: list[_Outcome] = []
    for item in doubtful:
        try:
            if not item.refs:
                raise ChannelError(f"{item.channel}: order {item.order_number} has no reference")
            client = _client(item, clients, environ)
            if isinstance(client, WooClient):
                held = client.tracking_of(item.refs[0])
                found = f"order:{item.refs[0]}" if item.tracking_number in held else None
            else:
                found = client.fulfilment_with(item.refs, item.tracking_number)
        except ChannelError as exc:
            report.retrying[item.key] = f"in doubt, not resent: {exc}"
            continue
        if found is not None:
            report.reconciled.append(item.key)
            outcomes.append(_Outcome(item.id, sent_id=found))
        else:
            outcomes.append(_Outcome(item.id, error="in doubt after a stop; not at the shop"))
    if outcomes:
        with hub.write() as session:
            for outcome in outcomes:
                row = session.get(HubChannelFulfilment, outcome.id)
                if row is None or row.status != "sending":
                    continue
                if outcome.sent_id is not None:
                    row.status, row.remote_id, row.sent_at = "sent", outcome.sent_id, utcnow()
                    row.last_error = None
                else:
                    row.status, row.last_error = "pending", outcome.error
