"""dashboard time indexes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 23:40:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, column): the shift dashboard reads each by a time range (station.dashboard.queries).
INDEXES = (
    ("pack_sessions", "ended_at"),
    ("scans", "created_at"),
    ("exceptions", "created_at"),
    ("weight_readings", "created_at"),
    ("packages", "closed_at"),
    ("return_items", "created_at"),
)


def upgrade() -> None:
    for table, column in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade() -> None:
    for table, column in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f"ix_{table}_{column}")
