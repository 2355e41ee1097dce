"""Alembic environment: runs against the engine the station hands in (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from station.db.models import Base

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only when run as `alembic` by hand
    raise RuntimeError("run migrations through station.db.migrate.upgrade()")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
