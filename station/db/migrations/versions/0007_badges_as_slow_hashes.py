"""badges as slow hashes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 03:40:00.000000

A badge code is a credential: a stolen station database must not give every supervisor's
badge. Each stored code becomes its 16-bit lookup tag and its salted scrypt hash (see
``station.credentials``), and the code itself is dropped, so the users of today sign in with
the badges they carry. There is no way back to the codes: the downgrade restores the column
empty (badges must then be given again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from station.credentials import hash_badge

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("badge_tag", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("badge_hash", sa.String(length=200), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, badge_code FROM users WHERE badge_code IS NOT NULL")
    ).all()
    for user_id, code in rows:
        tag, slow = hash_badge(str(code))
        conn.execute(
            sa.text("UPDATE users SET badge_tag = :t, badge_hash = :h WHERE id = :i"),
            {"t": tag, "h": slow, "i": user_id},
        )
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint("uq_users_badge_code", type_="unique")
        batch.drop_column("badge_code")
        batch.create_index("ix_users_badge_tag", ["badge_tag"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_index("ix_users_badge_tag")
        batch.add_column(sa.Column("badge_code", sa.String(length=64), nullable=True))
        batch.create_unique_constraint("uq_users_badge_code", ["badge_code"])
        batch.drop_column("badge_hash")
        batch.drop_column("badge_tag")
