"""The local database: pragmas, write locking, integrity check, migrations with a backup."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from station.db import DatabaseError, MigrationError, open_database, table_counts
from station.db.checkpoint import Checkpointer
from station.db.engine import make_engine
from station.db.migrate import alembic_config, backup_sqlite, current_revision, head_revision


def test_pragmas_and_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite")
    with db.engine.connect() as conn:
        values = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in (
                "journal_mode",
                "synchronous",
                "foreign_keys",
                "busy_timeout",
                "wal_autocheckpoint",
            )
        }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
        "wal_autocheckpoint": 0,
    }
    assert current_revision(db.engine) == head_revision(db.engine)
    assert table_counts(db, "orders", "scans", "outbox") == {"orders": 0, "scans": 0, "outbox": 0}
    db.close()


def test_writes_take_the_lock_at_begin(tmp_path: Path) -> None:
    """A second writer waits at BEGIN (and times out there), never half-way through."""
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    other = sqlite3.connect(path, isolation_level=None, timeout=0.05)
    other.execute("BEGIN IMMEDIATE")
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA busy_timeout=50")  # not the 5 s default: keep the test quick
        with pytest.raises(Exception, match="locked") as failure:
            conn.execute(text("INSERT INTO counters (name, value) VALUES ('x', 1)"))
        assert "BEGIN IMMEDIATE" in str(failure.value)
    other.execute("ROLLBACK")
    other.close()
    db.close()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite")
    with pytest.raises(Exception, match="FOREIGN KEY"), db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO order_lines (order_id, line_no, product_id, quantity)"
                " VALUES (9, 1, 9, 1)"
            )
        )
    db.close()


def test_a_damaged_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match="cannot open database"):
        open_database(path)


def test_failed_migration_stops_and_names_the_backup(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('station_seq', 41)"))
        # A database written by a newer station: a revision this version does not know.
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    db.close()
    with pytest.raises(MigrationError, match=r"failed: .*the backup is .*\.bak"):
        open_database(path)
    backups = list(tmp_path.glob("s.sqlite.ffff_future.*.bak"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT value FROM counters").fetchall() == [(41,)]
    con.close()


def test_backup_is_consistent_while_a_writer_is_active(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('a', 1)"))
    # Committed rows still in the WAL file are in the backup (a file copy would miss them).
    target = backup_sqlite(path, tmp_path / "copy.sqlite")
    con = sqlite3.connect(target)
    assert con.execute("SELECT name, value FROM counters").fetchall() == [("a", 1)]
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
    db.close()


def test_make_engine_creates_the_folder(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "deep" / "er" / "s.sqlite")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()
    assert (tmp_path / "deep" / "er").is_dir()


def test_background_checkpoints_move_the_wal_into_the_database(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    db.checkpointer.stop()  # drive checkpoints by hand: no timing in the test
    with db.engine.begin() as conn:
        for i in range(200):
            conn.execute(text("INSERT INTO counters (name, value) VALUES (:n, 1)"), {"n": str(i)})
    con = sqlite3.connect(path, isolation_level=None)
    # Committed but not checkpointed: the rows live only in the WAL for now.
    busy, frames, copied = db.checkpointer.checkpoint(con)
    assert busy == 0 and frames > 0 and copied == frames
    assert con.execute("SELECT count(*) FROM counters").fetchone() == (200,)
    con.close()
    db.close()


def test_checkpointer_thread_runs_and_stops(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    open_database(path).close()
    worker = Checkpointer(path, interval_s=0.01).start()
    deadline = time.monotonic() + 5
    while worker.checkpoints == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.stop()
    assert worker.checkpoints > 0 and worker.last_error is None


def test_upgrade_from_the_first_schema_keeps_data_and_backs_up(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO products (sku, name, tracking, is_kit, updated_at)"
                " VALUES ('MUG', 'Mug', 'none', 0, '2026-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO product_barcodes (product_id, code, raw)"
                " VALUES (1, '04000000000010', '4000000000010')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO orders (number, channel, priority, status, ship_method, currency,"
                " created_at, updated_at) VALUES ('SO-1', 'web', 0, 'open', 'std', 'EUR',"
                " '2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO order_lines (order_id, line_no, product_id, quantity)"
                " VALUES (1, 1, 1, 2)"
            )
        )
    engine.dispose()
    db = open_database(path)
    assert current_revision(db.engine) == head_revision(db.engine) != "0001"
    # Rebuilding tables in batch mode must not cascade-delete rows that point at them.
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT quantity FROM order_lines")).all() == [(2,)]
        product = conn.execute(text("SELECT sku, weight_samples FROM products")).all()
    assert product == [("MUG", 0)]
    assert db.backup is not None and db.backup.name.startswith("old.sqlite.0001.")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT raw FROM product_barcodes")).all() == [("4000000000010",)]
        indexes = {r[1] for r in conn.exec_driver_sql("PRAGMA index_list(product_barcodes)")}
    assert "ix_product_barcodes_product_id" in indexes
    db.close()
    old = sqlite3.connect(db.backup)
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    old.close()
