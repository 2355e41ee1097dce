"""Shop connectors and outgoing webhooks with their health, as the console shows them.

Read from the channel tables (``station.hub.channels``): when each shop was last synced and
last gave an order, its open conflicts (orders it could not give, with the newest reason),
the tracking still to send back to it (pending, failed, the last error); and for each
webhook subscription the deliveries waiting and dead. Tokens and webhook secrets live in the
hub's secrets file, never in these tables, so none can reach a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.hub.models import (
    HubChannel,
    HubChannelFulfilment,
    HubChannelOrder,
    HubConflict,
    HubWebhookDelivery,
    HubWebhookSubscription,
)

CHANNEL_CONFLICTS = "channel_"


@dataclass(frozen=True)
class ChannelRow:
    """One shop connector and its backlog."""

    name: str
    kind: str
    host: str
    last_sync_at: datetime | None
    last_order_at: datetime | None
    orders: int
    open_conflicts: int
    last_conflict: str | None
    fulfilments_pending: int
    fulfilments_failed: int
    last_error: str | None

    @property
    def health(self) -> str:
        """One word for the table: ok, failing (tracking not sent) or attention (conflicts)."""
        if self.fulfilments_failed:
            return "failing"
        if self.open_conflicts:
            return "attention"
        return "ok"


@dataclass(frozen=True)
class WebhookRow:
    """One subscription to the hub's events, with its deliveries' backlog."""

    name: str
    host: str
    pending: int
    dead: int
    last_error: str | None


def _host(url: str) -> str:
    # The address without any path or query: a shop's URL may carry a key in its query.
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"


def channels(session: Session) -> list[ChannelRow]:
    """Every channel by name, with its last sync, conflicts and tracking backlog."""
    rows = []
    for ch in session.scalars(select(HubChannel).order_by(HubChannel.name)):
        orders, last_order = session.execute(
            select(func.count(), func.max(HubChannelOrder.updated_at)).where(
                HubChannelOrder.channel_id == ch.id
            )
        ).one()
        conflicts = [
            c
            for c in session.scalars(
                select(HubConflict)
                .where(
                    HubConflict.kind.startswith(CHANNEL_CONFLICTS),
                    HubConflict.resolved_at.is_(None),
                )
                .order_by(HubConflict.id.desc())
            )
            if (c.detail or {}).get("channel") == ch.name
        ]
        counts = dict(
            session.execute(
                select(HubChannelFulfilment.status, func.count())
                .where(HubChannelFulfilment.channel_id == ch.id)
                .group_by(HubChannelFulfilment.status)
            ).all()
        )
        last_error = session.scalar(
            select(HubChannelFulfilment.last_error)
            .where(
                HubChannelFulfilment.channel_id == ch.id,
                HubChannelFulfilment.last_error.is_not(None),
                HubChannelFulfilment.status != "sent",
            )
            .order_by(HubChannelFulfilment.id.desc())
            .limit(1)
        )
        rows.append(
            ChannelRow(
                name=ch.name,
                kind=ch.kind,
                host=_host(ch.base_url),
                last_sync_at=ch.last_sync_at,
                last_order_at=last_order,
                orders=int(orders or 0),
                open_conflicts=len(conflicts),
                last_conflict=(conflicts[0].detail or {}).get("message") if conflicts else None,
                fulfilments_pending=int(counts.get("pending", 0)),
                fulfilments_failed=int(counts.get("failed", 0)),
                last_error=last_error,
            )
        )
    return rows


def webhooks(session: Session) -> list[WebhookRow]:
    """Every webhook subscription by name, with deliveries waiting and dead."""
    rows = []
    for sub in session.scalars(
        select(HubWebhookSubscription).order_by(HubWebhookSubscription.name)
    ):
        mine = HubWebhookDelivery.subscription_id == sub.id
        counts = dict(
            session.execute(
                select(HubWebhookDelivery.status, func.count())
                .where(mine)
                .group_by(HubWebhookDelivery.status)
            ).all()
        )
        last_error = session.scalar(
            select(HubWebhookDelivery.last_error)
            .where(mine, HubWebhookDelivery.status != "delivered")
            .where(HubWebhookDelivery.last_error.is_not(None))
            .order_by(HubWebhookDelivery.id.desc())
            .limit(1)
        )
        rows.append(
            WebhookRow(
                name=sub.name,
                host=_host(sub.url),
                pending=int(counts.get("pending", 0)),
                dead=int(counts.get("dead", 0)),
                last_error=last_error,
            )
        )
    return rows
