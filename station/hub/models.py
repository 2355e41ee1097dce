"""ORM models of the hub's database (SQLite by default, PostgreSQL by URL).

The hub keeps its own metadata, apart from the station's: its tables are migrated by its own
Alembic scripts (``station/hub/migrations``) and never share a database with a station.
Times are the hub's clock (UTC); a station's clock is only ever stored as data.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The hub's clock, UTC."""
    return datetime.now(UTC)


class HubBase(DeclarativeBase):
    """Declarative base of the hub's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class HubMeta(HubBase):
    """Key/value facts about this hub database (its feed epoch, the tombstone horizon)."""

    __tablename__ = "hub_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HubCounter(HubBase):
    """Named counters; ``change`` numbers the feed under a row lock held until COMMIT."""

    __tablename__ = "hub_counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class HubStation(HubBase):
    """An enrolled station and the last ``station_seq`` the hub stored for it."""

    __tablename__ = "hub_stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The site it packs for; None: the default site (a station enrolled before sites existed).
    site: Mapped[str | None] = mapped_column(String(64))


class HubOrderLock(HubBase):
    """An order open at one bench (``station.hub.locks``): the others may not open it until the
    bench frees it, or its time runs out (``expires_at``, the hub's clock)."""

    __tablename__ = "hub_order_locks"

    order_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"))
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class HubSite(HubBase):
    """A site (micro-hub) with its ship-from address; one is the default.

    A single-site shop never names a site: orders without one, and stations enrolled
    without one, belong to the default site ``main`` that the migration creates.
    """

    __tablename__ = "hub_sites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    ship_from: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    is_default: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubToken(HubBase):
    """A station's bearer token, kept only as its SHA-256; revoked tokens stay for the record."""

    __tablename__ = "hub_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubEnrolCode(HubBase):
    """A one-time enrolment code for a named station, kept only as its SHA-256."""

    __tablename__ = "hub_enrol_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    station_name: Mapped[str] = mapped_column(String(64))
    site: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubEvent(HubBase):
    """An event as a station pushed it, with the result the hub gave (answered again on replay).

    Rejected events are kept too: their ``station_seq`` is taken, so the queue moves on, and a
    supervisor can read why.
    """

    __tablename__ = "hub_events"
    __table_args__ = (UniqueConstraint("station_id", "station_seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("hub_stations.id"))
    station_seq: Mapped[int] = mapped_column(BigInteger)
    # Not unique: a second event with a known id is stored as a rejection, under its own seq.
    event_id: Mapped[str] = mapped_column(String(64), index=True)
    type: Mapped[str] = mapped_column(String(200), index=True)
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[Any] = mapped_column(JSON)
    blob_hashes: Mapped[list[str]] = mapped_column(JSON)
    device_time: Mapped[str | None] = mapped_column(String(64))
    # SHA-256 of the event's content as pushed (eventrows.content_digest): a replay must match
    # it. Compared as sent, not as stored: a database may store a value otherwise (SQLite
    # turns 2**63 in a JSON column into a float). None for events stored before 0003.
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), index=True)  # acked | rejected
    code: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    conflict: Mapped[str | None] = mapped_column(String(64))


class HubRecord(HubBase):
    """The current version of one record of the change feed (product, order, user, RMA).

    ``change_seq`` is renumbered on every change, so the feed is compacted: a station pulling
    after ``cursor`` gets each record once, in its newest form. A deleted record stays as a
    tombstone until the retention passes.
    """

    __tablename__ = "hub_records"
    __table_args__ = (Index("ix_hub_records_entity_key", "entity", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    change_seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    deleted: Mapped[bool] = mapped_column(Boolean, server_default=false())
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubOrderCount(HubBase):
    """How many live orders are in each state at each site, kept by every write of an order.

    The network page counts from here instead of reading every order's JSON; an index on the
    status would serve the count but misled SQLite's planner (see docs/console.md, Speed).
    ``site`` is the order's own ``site`` ('' for none: the default site), ``state`` its
    ``status`` ('' for none).
    """

    __tablename__ = "hub_order_counts"

    site: Mapped[str] = mapped_column(Text, primary_key=True)
    state: Mapped[str] = mapped_column(Text, primary_key=True)
    count: Mapped[int] = mapped_column(BigInteger, default=0)


class HubConflict(HubBase):
    """Something the hub could not reconcile on its own; a supervisor resolves it."""

    __tablename__ = "hub_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    order_number: Mapped[str | None] = mapped_column(String(64), index=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hub_stations.id"))
    event_id: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubBlob(HubBase):
    """A complete, verified blob (a photo) in the blob store, by SHA-256."""

    __tablename__ = "hub_blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("hub_stations.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubCatalogImage(HubBase):
    """A product picture of the catalog (``image`` column), fetched or read at import, by the
    SHA-256 of its bytes; stations download it in chunks (``/v1/catalog/images/{sha256}``)."""

    __tablename__ = "hub_catalog_images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubChannel(HubBase):
    """A shop the hub takes orders from (Shopify, WooCommerce); its credentials live elsewhere.

    Tokens and webhook secrets are never stored here: they come from the hub's secrets file or
    environment (``station.hub.channels.secrets``), so a database dump carries none.
    """

    __tablename__ = "hub_channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # shopify | woocommerce
    base_url: Mapped[str] = mapped_column(String(500))
    location_ids: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubChannelOrder(HubBase):
    """Which shop order became which hub order, and the content last taken from the shop."""

    __tablename__ = "hub_channel_orders"
    __table_args__ = (UniqueConstraint("channel_id", "remote_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("hub_channels.id"))
    remote_id: Mapped[str] = mapped_column(String(200))
    order_number: Mapped[str] = mapped_column(String(64), index=True)
    # The shop's handles needed to send tracking back (Shopify: fulfilment order ids).
    remote_refs: Mapped[list[str]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubChannelFulfilment(HubBase):
    """A package's tracking to send back to its shop: one per (order, package), until sent."""

    __tablename__ = "hub_channel_fulfilments"
    __table_args__ = (UniqueConstraint("order_number", "package_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("hub_channels.id"))
    order_number: Mapped[str] = mapped_column(String(64))
    package_no: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    tracking_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    remote_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HubWebhookSubscription(HubBase):
    """An endpoint that receives the hub's events; its signing secret lives in the secrets."""

    __tablename__ = "hub_webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HubWebhookDelivery(HubBase):
    """One event for one subscriber: retried with backoff until delivered or dead."""

    __tablename__ = "hub_webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("hub_webhooks.id"))
    delivery_id: Mapped[str] = mapped_column(String(64), unique=True)  # the idempotency id
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | delivered | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# The shipping feature keeps its tables in its own folder; importing them here puts them on
# HubBase.metadata wherever the hub's models are (migrations, the schema check).
from station.hub.shipping import models as _shipping_models  # noqa: E402, F401
