"""order counts per site and state

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-06 07:55:00.000000

The network page counted orders per state by reading every order's JSON (344 ms at 100,000
orders on PostgreSQL, on every 5-second refresh); an index on the status served the count but
made SQLite choose it for searches by tracking number. ``hub_order_counts`` keeps the number
of live orders per (site, state), moved by every write of an order in the same transaction
(``station.hub.order_counts``); this migration fills it from the orders already held.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def _slot(data: dict[str, Any] | None) -> tuple[str, str]:
    # The same rule as station.hub.order_counts.slot_of, frozen here as this revision had it.
    data = data or {}
    return (str(data.get("site") or ""), str(data.get("status") or ""))


def upgrade() -> None:
    counts = op.create_table(
        "hub_order_counts",
        sa.Column("site", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("site", "state", name=op.f("pk_hub_order_counts")),
    )
    records = sa.table(
        "hub_records",
        sa.column("entity", sa.String()),
        sa.column("deleted", sa.Boolean()),
        sa.column("data", sa.JSON()),
    )
    found: Counter[tuple[str, str]] = Counter()
    rows = op.get_bind().execute(
        sa.select(records.c.data).where(records.c.entity == "order", records.c.deleted.is_(False))
    )
    for (data,) in rows:
        found[_slot(data)] += 1
    if found:
        op.bulk_insert(
            counts,
            [{"site": site, "state": state, "count": n} for (site, state), n in found.items()],
        )


def downgrade() -> None:
    op.drop_table("hub_order_counts")
