"""returned units held

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-06 06:30:00.000000

A returned unit that arrived but cannot be finished at this bench (a grade needing a photo on a
bench without a camera, no supervisor to waive it) is set aside as ``held`` with its reason,
instead of being taken back as if it had never come. The status needs no change (no CHECK
constraint on it); the reason gets its column.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("return_items") as batch_op:
        batch_op.add_column(sa.Column("hold_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("return_items") as batch_op:
        batch_op.drop_column("hold_reason")
