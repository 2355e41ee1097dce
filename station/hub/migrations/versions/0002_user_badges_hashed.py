"""user badges hashed

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 03:45:00.000000

User records in the change feed carried badge codes in clear, and every station pulled
them. Each stored code becomes its 16-bit lookup tag and salted scrypt hash
(``station.credentials``), the code is dropped, and the record gets a new change number so
stations receive the hashed form (they hash their own copies in their migration 0007 too).
There is no way back to the codes: the downgrade does nothing.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from station.credentials import hash_badge

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


_UPDATE = sa.text("UPDATE hub_records SET data = :d, change_seq = :s WHERE id = :i").bindparams(
    sa.bindparam("d", type_=sa.JSON)
)


def upgrade() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, data FROM hub_records WHERE entity = 'user' AND data IS NOT NULL")
    ).all()
    hashed: list[tuple[int, dict[str, Any]]] = []
    for record_id, raw in rows:
        data = json.loads(raw) if isinstance(raw, str) else dict(raw)
        if "badge_code" not in data:
            continue
        code = data.pop("badge_code")
        if isinstance(code, str) and code.strip():
            data["badge_tag"], data["badge_hash"] = hash_badge(code)
        hashed.append((int(record_id), data))
    if not hashed:
        return
    # New change numbers from the feed's counter, as every change gets (station.hub.feed).
    last = conn.execute(sa.text("SELECT value FROM hub_counters WHERE name = 'change'"))
    seq = int(last.scalar_one())
    for record_id, data in hashed:
        seq += 1
        conn.execute(_UPDATE, {"d": data, "s": seq, "i": record_id})
    conn.execute(sa.text("UPDATE hub_counters SET value = :v WHERE name = 'change'"), {"v": seq})


def downgrade() -> None:
    pass  # the codes cannot come back from their hashes
