"""Migration 0004 on a database made by the previous version (0003), with data in it."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from station.db import open_database
from station.db.engine import make_engine
from station.db.migrate import alembic_config, current_revision, head_revision


def test_upgrade_from_0003_keeps_orders_and_adds_the_returns_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0003")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO orders (number, channel, priority, status, ship_method, currency,"
                " tracking_number, created_at, updated_at) VALUES ('SO-1', 'web', 0, 'packed',"
                " 'std', 'EUR', 'TRK-1', '2026-01-01 00:00:00.000000',"
                " '2026-01-01 00:00:00.000000')"
            )
        )
    engine.dispose()
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision(db.engine) != "0003"
        assert db.backup is not None and db.backup.name.startswith("old.sqlite.0003.")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT number, tracking_number FROM orders")).all() == [
                ("SO-1", "TRK-1")
            ]
            tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
            order_indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list(orders)")}
            scan_indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list(scans)")}
    finally:
        db.close()
    assert {"rmas", "rma_items", "inspections", "return_scans", "return_items", "stock"} <= tables
    assert "return_item_photos" in tables
    assert "ix_orders_tracking_number" in order_indexes
    assert "ix_scans_package_id" in scan_indexes
