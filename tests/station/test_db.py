"""The local database: pragmas, write locking, integrity check, migrations with a backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from station.db import DatabaseError, MigrationError, open_database, table_counts
from station.db.engine import make_engine
from station.db.migrate import backup_sqlite, current_revision, head_revision


def test_pragmas_and_schema(tmp_path: Path) -> None:
    db = open_database(tmp_path / "s.sqlite")
    with db.engine.connect() as conn:
        values = {
            p: conn.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    assert values == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 5000,
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
