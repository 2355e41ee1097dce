"""catalog images

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06 06:50:00.000000

Product pictures of the catalog (issue 18, point 2), by the SHA-256 of their bytes: read or
fetched at import, downloaded by stations in chunks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_catalog_images",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )


def downgrade() -> None:
    op.drop_table("hub_catalog_images")
