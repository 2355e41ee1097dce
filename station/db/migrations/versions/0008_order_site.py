"""order site

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 04:00:00.000000

The hub's site an order ships from (import column ``site``); empty means the default site.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("site", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("site")
