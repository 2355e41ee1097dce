"""carrier labels awaiting

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-06 05:00:00.000000

Packages waiting for their carrier label from the hub (bought by the station's label buyer,
``station.ship.buyer``), and what was bought: carrier, service, price, weights, tracking number;
and the carrier service of an order imported with a carrier-supplied label.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carrier_labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("package_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("override_by", sa.Integer(), nullable=True),
        sa.Column("carrier", sa.String(length=32), nullable=True),
        sa.Column("service", sa.String(length=100), nullable=True),
        sa.Column("price", sa.Float(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("actual_weight_g", sa.Float(), nullable=True),
        sa.Column("billed_weight_g", sa.Float(), nullable=True),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("label_format", sa.String(length=8), nullable=True),
        sa.Column("label", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["package_id"], ["packages.id"]),
        sa.ForeignKeyConstraint(["override_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("package_id"),
    )
    op.create_index("ix_carrier_labels_status", "carrier_labels", ["status"])
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("service", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("service")
    op.drop_index("ix_carrier_labels_status", table_name="carrier_labels")
    op.drop_table("carrier_labels")
