"""channels

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 04:20:00.000000

Shops the hub takes orders from (``hub_channels``), which shop order became which hub order
(``hub_channel_orders``), the tracking to send back per package (``hub_channel_fulfilments``),
and the hub's outgoing webhooks (``hub_webhooks``, ``hub_webhook_deliveries``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("location_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_channels")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_channels_name")),
    )
    op.create_table(
        "hub_channel_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("remote_refs", sa.JSON(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["hub_channels.id"],
            name=op.f("fk_hub_channel_orders_channel_id_hub_channels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_channel_orders")),
        sa.UniqueConstraint(
            "channel_id", "remote_id", name=op.f("uq_hub_channel_orders_channel_id")
        ),
    )
    op.create_index(
        op.f("ix_hub_channel_orders_order_number"), "hub_channel_orders", ["order_number"]
    )
    op.create_table(
        "hub_channel_fulfilments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("package_no", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("tracking_url", sa.String(length=500), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["hub_channels.id"],
            name=op.f("fk_hub_channel_fulfilments_channel_id_hub_channels"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_channel_fulfilments")),
        sa.UniqueConstraint(
            "order_number", "package_no", name=op.f("uq_hub_channel_fulfilments_order_number")
        ),
    )
    op.create_index(
        op.f("ix_hub_channel_fulfilments_status"), "hub_channel_fulfilments", ["status"]
    )
    op.create_table(
        "hub_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_webhooks")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_webhooks_name")),
    )
    op.create_table(
        "hub_webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.String(length=64), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["hub_webhooks.id"],
            name=op.f("fk_hub_webhook_deliveries_subscription_id_hub_webhooks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_webhook_deliveries")),
        sa.UniqueConstraint("delivery_id", name=op.f("uq_hub_webhook_deliveries_delivery_id")),
    )
    op.create_index(op.f("ix_hub_webhook_deliveries_status"), "hub_webhook_deliveries", ["status"])


def downgrade() -> None:
    op.drop_table("hub_webhook_deliveries")
    op.drop_table("hub_webhooks")
    op.drop_table("hub_channel_fulfilments")
    op.drop_table("hub_channel_orders")
    op.drop_table("hub_channels")
