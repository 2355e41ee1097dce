"""hub_events.content_sha256: the digest a replay's content is compared with

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 04:00:00

Events stored before it have none; a replay of one is compared field by field instead.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_events") as batch:
        batch.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("hub_events") as batch:
        batch.drop_column("content_sha256")
