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
    raw = connection.connection.driver_connection
    assert raw is not None
    # Batch mode rebuilds a table by copy-and-drop; with foreign keys on, dropping the old
    # ``products`` would cascade into ``product_barcodes`` and delete rows. SQLite ignores this
    # pragma inside a transaction, so it is set on the raw connection before ours begins.
    raw.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        # Rebuilt tables must still satisfy every foreign key before the migration commits.
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
    connection.commit()
    raw.execute("PRAGMA foreign_keys=ON")
