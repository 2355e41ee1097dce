"""console: carrier account checks, station reports

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-06 06:40:00.000000

The console's shipping page tests a carrier account on demand (a rate from the site to
itself) and keeps each outcome (``hub_carrier_checks``), so the page shows every account's
last test result; never a credential. Each station's latest report of itself (device
states, queue, last failure), sent with its pulls, is kept in ``hub_station_reports`` for
the network page.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_carrier_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(length=64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_carrier_checks")),
    )
    op.create_index(
        op.f("ix_hub_carrier_checks_account"), "hub_carrier_checks", ["account"], unique=False
    )
    op.create_table(
        "hub_station_reports",
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["hub_stations.id"],
            name=op.f("fk_hub_station_reports_station_id_hub_stations"),
        ),
        sa.PrimaryKeyConstraint("station_id", name=op.f("pk_hub_station_reports")),
    )


def downgrade() -> None:
    op.drop_table("hub_station_reports")
    op.drop_index(op.f("ix_hub_carrier_checks_account"), table_name="hub_carrier_checks")
    op.drop_table("hub_carrier_checks")
