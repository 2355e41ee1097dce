"""pack instructions, inserts and hazmat

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 06:30:00.000000

Per product: packing instructions, a picture (its bytes in ``product_images``, by SHA-256),
whether the packer must confirm the instructions, and a hazmat UN number (issue 18, points 2
and 4). Inserts (point 3): what was added to or missed from each pack, and the stock of each
insert.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("instructions", sa.Text(), nullable=True))
        batch.add_column(sa.Column("image_sha256", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column(
                "confirm_instruction", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("hazmat", sa.String(length=32), nullable=True))
    op.create_table(
        "product_images",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
    )
    op.create_table(
        "pack_inserts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["pack_sessions.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id", "code"),
    )
    op.create_index("ix_pack_inserts_at", "pack_inserts", ["at"])
    op.create_table(
        "insert_stock",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    op.drop_table("insert_stock")
    op.drop_index("ix_pack_inserts_at", table_name="pack_inserts")
    op.drop_table("pack_inserts")
    op.drop_table("product_images")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("hazmat")
        batch.drop_column("confirm_instruction")
        batch.drop_column("image_sha256")
        batch.drop_column("instructions")
