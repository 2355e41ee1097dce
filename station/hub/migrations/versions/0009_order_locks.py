"""order locks

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:40:00.000000

An order open at one bench is locked for the others (``station.hub.locks``): one row per
locked order, naming the station that holds it and when the lock runs out unless renewed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_order_locks",
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_order_locks_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("order_number", name=op.f("pk_hub_order_locks")),
    )
    op.create_index(
        op.f("ix_hub_order_locks_expires_at"), "hub_order_locks", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_hub_order_locks_expires_at"), table_name="hub_order_locks")
    op.drop_table("hub_order_locks")
