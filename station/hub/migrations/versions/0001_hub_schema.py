"""hub schema

Revision ID: 0001
Revises:
Create Date: 2026-11-24 21:21:23.071623
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_counters",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hub_counters")),
    )
    op.create_table(
        "hub_enrol_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("station_name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_enrol_codes")),
        sa.UniqueConstraint("code_sha256", name=op.f("uq_hub_enrol_codes_code_sha256")),
    )
    op.create_table(
        "hub_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_hub_meta")),
    )
    op.create_table(
        "hub_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_records")),
        sa.UniqueConstraint("change_seq", name=op.f("uq_hub_records_change_seq")),
    )
    op.create_index("ix_hub_records_entity_key", "hub_records", ["entity", "key"], unique=True)

    op.create_table(
        "hub_stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_stations")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_stations_name")),
    )
    op.create_table(
        "hub_blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"], ["hub_stations.id"], name=op.f("fk_hub_blobs_station_id_hub_stations")
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hub_blobs")),
    )
    op.create_table(
        "hub_conflicts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_conflicts_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_conflicts")),
    )
    op.create_index(
        op.f("ix_hub_conflicts_order_number"), "hub_conflicts", ["order_number"], unique=False
    )

    op.create_table(
        "hub_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("station_seq", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("blob_hashes", sa.JSON(), nullable=False),
        sa.Column("device_time", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("conflict", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"], ["hub_stations.id"], name=op.f("fk_hub_events_station_id_hub_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_events")),
        sa.UniqueConstraint("station_id", "station_seq", name=op.f("uq_hub_events_station_id")),
    )
    op.create_index(op.f("ix_hub_events_event_id"), "hub_events", ["event_id"], unique=False)
    op.create_index(op.f("ix_hub_events_status"), "hub_events", ["status"], unique=False)
    op.create_index(op.f("ix_hub_events_type"), "hub_events", ["type"], unique=False)

    op.create_table(
        "hub_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["station_id"], ["hub_stations.id"], name=op.f("fk_hub_tokens_station_id_hub_stations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_hub_tokens_token_sha256")),
    )
    op.create_index(op.f("ix_hub_tokens_station_id"), "hub_tokens", ["station_id"], unique=False)

    # The feed's change counter starts at 0; the epoch makes cursors of another hub database
    # (or of this one restored from a backup) ask for a reset instead of skipping changes.
    counters = sa.table(
        "hub_counters", sa.column("name", sa.String), sa.column("value", sa.BigInteger)
    )
    op.bulk_insert(counters, [{"name": "change", "value": 0}])
    meta = sa.table("hub_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(
        meta,
        [{"key": "epoch", "value": uuid.uuid4().hex}, {"key": "tombstone_horizon", "value": "0"}],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_hub_tokens_station_id"), table_name="hub_tokens")

    op.drop_table("hub_tokens")
    op.drop_index(op.f("ix_hub_events_type"), table_name="hub_events")
    op.drop_index(op.f("ix_hub_events_status"), table_name="hub_events")
    op.drop_index(op.f("ix_hub_events_event_id"), table_name="hub_events")

    op.drop_table("hub_events")
    op.drop_index(op.f("ix_hub_conflicts_order_number"), table_name="hub_conflicts")

    op.drop_table("hub_conflicts")
    op.drop_table("hub_blobs")
    op.drop_table("hub_stations")
    op.drop_index("ix_hub_records_entity_key", table_name="hub_records")

    op.drop_table("hub_records")
    op.drop_table("hub_meta")
    op.drop_table("hub_enrol_codes")
    op.drop_table("hub_counters")
