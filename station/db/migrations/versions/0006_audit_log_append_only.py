"""audit log append only

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 23:55:00.000000

Triggers make ``audit_log`` append-only in the database itself: an UPDATE or DELETE of an
entry is refused whoever tries it (a bug, a script, a person with the sqlite3 shell and no
intention to go around triggers), so the record of overrides and approvals stays as written.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TRIGGERS = {
    "audit_log_no_update": ("UPDATE", "an entry cannot be changed"),
    "audit_log_no_delete": ("DELETE", "an entry cannot be deleted"),
}


def upgrade() -> None:
    for name, (event, why) in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {event} ON audit_log"
            f" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: {why}'); END"
        )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
