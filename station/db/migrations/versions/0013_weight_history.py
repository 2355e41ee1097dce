"""weight history

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:30:00.000000

The weight of every verified package (a pass, or a supervisor's override) by the SKU set it
held and the box it went in (``station.packing.history``): the history a package of the same
SKU set in the same box is checked against once it has enough packs. One row per package, so a
package weighed again replaces its row; the index answers "the last N packs of this set in this
box" without reading any other row.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "weight_history",
        sa.Column("package_id", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=500), nullable=False),
        sa.Column("box", sa.String(length=40), nullable=False),
        sa.Column("weight_g", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["package_id"], ["packages.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("package_id"),
    )
    op.create_index(
        "ix_weight_history_set_box", "weight_history", ["signature", "box", "package_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_weight_history_set_box", table_name="weight_history")
    op.drop_table("weight_history")
