"""carrier label: the packer's rate choice, master tracking, box k of N

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 06:40:00.000000

The rate a packer chose at the bench (account and service, by whom; none: the rule's choice),
kept on the awaiting row so a restart between the choice and the buy buys what was chosen;
and, once bought, the shipment's master tracking number (multi-piece shipments) and how many
packages the order ships in (the screen and the evidence show "box k of N").
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carrier_labels") as batch:
        batch.add_column(sa.Column("chosen_account", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("chosen_service", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("chosen_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("master_tracking_number", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("package_count", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_carrier_labels_chosen_by", "users", ["chosen_by"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("carrier_labels") as batch:
        batch.drop_constraint("fk_carrier_labels_chosen_by", type_="foreignkey")
        batch.drop_column("package_count")
        batch.drop_column("master_tracking_number")
        batch.drop_column("chosen_by")
        batch.drop_column("chosen_service")
        batch.drop_column("chosen_account")
