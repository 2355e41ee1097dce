"""Alembic environment of the hub: runs against the engine ``upgrade_hub`` hands in."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from station.hub.db import VERSION_TABLE
from station.hub.models import HubBase

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):  # pragma: no cover - only when run as `alembic` by hand
    raise RuntimeError("run hub migrations through station.hub.db.upgrade_hub()")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=HubBase.metadata,
        version_table=VERSION_TABLE,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
