"""console users, sessions, audit, dead-letter resolutions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 04:15:00.000000

The web console (``station.hub.console``): its own users (passwords as scrypt hashes, with
the lockout state), server-side sessions kept by the SHA-256 of their cookie, the audit
trail of every view and action, and who resolved a rejected event (a dead letter).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Expression indexes for the evidence search (station.hub.console.jsontext writes the same
# expressions): the order and RMA an event names, and an order's tracking number, customer
# name and e-mail, the RMA's order. Without them every search read every event.
_INDEXED = (
    ("ix_hub_events_payload_order", "hub_events", "payload", ("order",), False),
    ("ix_hub_events_payload_rma", "hub_events", "payload", ("rma",), False),
    ("ix_hub_records_data_tracking", "hub_records", "data", ("tracking_number",), False),
    ("ix_hub_records_data_order_number", "hub_records", "data", ("order_number",), False),
    ("ix_hub_records_data_customer", "hub_records", "data", ("ship_to", "customer_name"), True),
    ("ix_hub_records_data_email", "hub_records", "data", ("ship_to", "email"), True),
)


def _json_text(dialect: str, column: str, path: tuple[str, ...]) -> str:
    if dialect == "postgresql":
        return f"({column} #>> '{{{','.join(path)}}}')"
    return f"json_extract({column}, '$.{'.'.join(path)}')"


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for name, table, column, path, lowered in _INDEXED:
        expression = _json_text(dialect, column, path)
        if lowered:
            expression = f"lower({expression})"
        op.execute(f"CREATE INDEX {name} ON {table} (({expression}))")
    op.create_table(
        "hub_console_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_console_users")),
        sa.UniqueConstraint("name", name=op.f("uq_hub_console_users_name")),
    )
    op.create_table(
        "hub_console_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["hub_console_users.id"],
            name=op.f("fk_hub_console_sessions_user_id_hub_console_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_console_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_hub_console_sessions_token_sha256")),
    )
    op.create_index(
        op.f("ix_hub_console_sessions_user_id"), "hub_console_sessions", ["user_id"], unique=False
    )
    op.create_table(
        "hub_console_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_console_audit")),
    )
    op.create_index(op.f("ix_hub_console_audit_at"), "hub_console_audit", ["at"], unique=False)
    op.create_table(
        "hub_dead_letter_resolutions",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["hub_events.id"],
            name=op.f("fk_hub_dead_letter_resolutions_event_id_hub_events"),
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_hub_dead_letter_resolutions")),
    )


def downgrade() -> None:
    for name, *_rest in _INDEXED:
        op.execute(f"DROP INDEX {name}")
    op.drop_table("hub_dead_letter_resolutions")
    op.drop_index(op.f("ix_hub_console_audit_at"), table_name="hub_console_audit")
    op.drop_table("hub_console_audit")
    op.drop_index(op.f("ix_hub_console_sessions_user_id"), table_name="hub_console_sessions")
    op.drop_table("hub_console_sessions")
    op.drop_table("hub_console_users")
