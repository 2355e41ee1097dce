"""The hub's schema comes from its own migrations, which match its models exactly."""

from __future__ import annotations

import warnings
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from station.db import open_database
from station.hub.db import VERSION_TABLE, open_hub_database
from station.hub.models import HubBase


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    hub = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    try:
        with hub.engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "version_table": VERSION_TABLE}
            )
            with warnings.catch_warnings():
                # The console's expression indexes (migration 0006) are not reflected by
                # SQLAlchemy, so not compared; they are checked by name below.
                warnings.filterwarnings(
                    "ignore", "Skipped unsupported reflection of expression-based index"
                )
                assert compare_metadata(context, HubBase.metadata) == []
            assert context.get_current_revision() == "0011"
            indexes = text(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                " AND (name LIKE 'ix_hub_records_data_%' OR name LIKE 'ix_hub_events_payload_%')"
            )
            assert conn.execute(indexes).scalar_one() == 6
            assert conn.execute(text("SELECT value FROM hub_counters")).scalar_one() == 0
            epoch = conn.execute(text("SELECT value FROM hub_meta WHERE key = 'epoch'")).scalar()
            assert isinstance(epoch, str) and len(epoch) == 32
    finally:
        hub.close()
    # Opening again is a no-op; the epoch (cursors depend on it) stays.
    again = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    try:
        with again.engine.connect() as conn:
            assert (
                conn.execute(text("SELECT value FROM hub_meta WHERE key = 'epoch'")).scalar()
                == epoch
            )
    finally:
        again.close()


def test_hub_and_station_migrations_keep_to_their_own_tables(tmp_path: Path) -> None:
    station = open_database(tmp_path / "station.sqlite")
    try:
        tables = set(inspect(station.engine).get_table_names())
    finally:
        station.close()
    assert not any(t.startswith("hub_") for t in tables)
    hub = open_hub_database(f"sqlite:///{tmp_path / 'hub.sqlite'}")
    try:
        hub_tables = set(inspect(hub.engine).get_table_names())
    finally:
        hub.close()
    assert hub_tables == {t.name for t in HubBase.metadata.sorted_tables} | {VERSION_TABLE}
