"""The local database: pragmas, write locking, integrity check, migrations with a backup."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from station.db import Database, DatabaseError, MigrationError, open_database, table_counts
from station.db.care import check_database
from station.db.checkpoint import Checkpointer
from station.db.engine import WAL_SIZE_LIMIT_BYTES, make_engine
from station.db.migrate import alembic_config, backup_sqlite, current_revision, head_revision
from station.users import find_by_badge


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


# One packed order as a station of the first schema (0001) wrote it: a row in every table.
FIRST_SCHEMA_ROWS = {
    "products": [
        "(1, 'MUG', 'Mug', 350.0, 100, 90, 95, 'none', 0, 'home', 7.5, '691200', 'DE', '{t}')",
        "(2, 'PHONE', 'Phone', 180.0, NULL, NULL, NULL, 'serial', 0, NULL, 199.0, NULL, NULL,"
        " '{t}')",
        "(3, 'SET', 'Mug set', NULL, NULL, NULL, NULL, 'none', 1, NULL, NULL, NULL, NULL, '{t}')",
    ],
    "product_barcodes": [
        "(1, 1, '04000000000010', '4000000000010')",
        "(2, 2, '04000000000027', '4000000000027')",
        "(3, 1, 'INT-MUG-01', 'INT-MUG-01')",
    ],
    "kit_components": ["(1, 3, 1, 2)"],
    "ship_to": [
        "(1, 'Ann Smit', 'ann@example.com', NULL, NULL, 'Keizersgracht 1', NULL, 'Amsterdam',"
        " '1015 CJ', NULL, 'NL')"
    ],
    "orders": [
        "(1, 'SO-1', 'TOTE-7', 'web', 2, 'packed', 'std', 'Happy birthday', 'EUR', 1, 'PostNL',"
        " '3SABC123', NULL, NULL, '{t}', '{t}')",
        "(2, 'SO-2', NULL, 'web', 0, 'open', 'std', NULL, 'EUR', NULL, NULL, NULL, NULL, NULL,"
        " '{t}', '{t}')",
    ],
    "order_lines": ["(1, 1, 1, 1, 2)", "(2, 1, 2, 2, 2)", "(3, 2, 1, 3, 1)"],
    "customs_lines": ["(1, 1, 'Mugs', '691200', 'DE', 2, 15.0, 'EUR', 700.0)"],
    "box_types": ["(1, 'BOX-M', 'Medium box', 300, 200, 150, 180, 10000)"],
    "users": [
        "(1, 'alice', 'packer', NULL, 'BADGE-ALICE', 1)",
        "(2, 'sam', 'supervisor', 'scrypt$x', 'BADGE-SAM', 1)",
    ],
    "pack_sessions": ["(1, 1, 1, 'bench-1', 'completed', NULL, '{t}', '{t}')"],
    "packages": ["(1, 1, 1, 1, 'closed', 1, '00106141410000000016', 1060.0, '{t}', '{t}')"],
    "scans": [
        "(1, 1, 1, 1, 'bench-1', 'SO-1', NULL, 'order', '{{}}', 'order_opened', NULL, NULL, 0,"
        " NULL, NULL, NULL, 0, '{t}')",
        "(2, 1, 1, 1, 'bench-1', '4000000000010', ']E0', 'product', '{{}}', 'accepted', 1, 1,"
        " 2, NULL, NULL, NULL, 0, '{t}')",
        "(3, 1, 1, 1, 'bench-1', '4000000000027', ']E0', 'product', '{{}}', 'accepted', 2, 2,"
        " 1, 'SN1', NULL, NULL, 0, '{t}')",
    ],
    "exceptions": ["(1, 1, 1, 2, 'short_ship', 'out_of_stock', 1, 'one left', 1, 2, '{t}')"],
    "audit_log": [
        "(1, '{t}', 2, 'bench-1', 'approve.short_ship', 'order_line', '2', '{{\"qty\": 1}}')"
    ],
    "outbox": [
        "(1, 'e1', 1, 'pack.started', 1, '{{\"session_id\": 1}}', '[]', 'sent', 1, NULL, NULL,"
        " '{t}')",
        "(2, 'e2', 2, 'scan.recorded', 1, '{{\"scan_id\": 1}}', '[]', 'sent', 1, NULL, NULL,"
        " '{t}')",
        "(3, 'e3', 3, 'scan.recorded', 1, '{{\"scan_id\": 2}}', '[]', 'pending', 0, NULL, NULL,"
        " '{t}')",
        "(4, 'e4', 4, 'scan.recorded', 1, '{{\"scan_id\": 3}}', '[]', 'pending', 0, NULL, NULL,"
        " '{t}')",
        "(5, 'e5', 5, 'pack.completed', 1, '{{\"session_id\": 1}}', '[]', 'pending', 0, NULL,"
        " NULL, '{t}')",
    ],
    "counters": ["('station_seq', 5)"],
    "settings": ["('station_name', 'bench-1')", "('hub_token', 'tok')"],
}


def test_upgrade_from_the_first_schema_keeps_every_row_of_every_table(tmp_path: Path) -> None:
    path = tmp_path / "first.sqlite"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0001")
    engine.dispose()
    con = sqlite3.connect(path)
    tables = [
        str(r[0])
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
            " AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    assert sorted(FIRST_SCHEMA_ROWS) == tables  # every table of the first schema gets rows
    for table, rows in FIRST_SCHEMA_ROWS.items():
        for row in rows:
            con.execute(f"INSERT INTO {table} VALUES {row.format(t='2026-01-01 00:00:00.000000')}")
    con.commit()
    columns = {t: [str(c[1]) for c in con.execute(f"PRAGMA table_info({t})")] for t in tables}
    columns["users"].remove("badge_code")  # kept only as a slow hash since 0007: see below

    def contents(c: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
        return {
            t: c.execute(f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY 1, 2").fetchall()
            for t in tables
        }

    before = contents(con)
    con.close()

    db = open_database(path)  # the station starting on it: backup, then every migration
    assert current_revision(db.engine) == head_revision(db.engine)
    db.close()
    con = sqlite3.connect(path)
    after = contents(con)
    new_columns = con.execute("SELECT weight_status, label_confirmed FROM packages").fetchall()
    con.close()
    for table in tables:  # every row, every value of the first schema's columns
        assert after[table] == before[table], table
    assert new_columns == [("pending", 0)]  # added columns take their defaults
    report = check_database(path)
    assert report.ok, report  # integrity, foreign keys, outbox sequence, nothing half-written


def test_upgrade_keeps_todays_users_able_to_sign_in_by_badge(tmp_path: Path) -> None:
    path = tmp_path / "before-0007.sqlite"
    engine = make_engine(path)
    command.upgrade(alembic_config(engine), "0006")
    engine.dispose()
    con = sqlite3.connect(path)
    for row in FIRST_SCHEMA_ROWS["users"]:
        con.execute(f"INSERT INTO users VALUES {row}")
    con.execute("INSERT INTO users VALUES (3, 'nobadge', 'packer', NULL, NULL, 1)")
    con.commit()
    con.close()
    db = open_database(path)
    try:
        with db.session() as s:
            sam = find_by_badge(s, "BADGE-SAM")
            alice = find_by_badge(s, "BADGE-ALICE")
            assert sam is not None and (sam.name, sam.pin_hash) == ("sam", "scrypt$x")
            assert alice is not None and alice.name == "alice"
            assert find_by_badge(s, "BADGE-BOB") is None
            s.rollback()
    finally:
        db.close()
    # Not a trace of the codes in the file (the backup taken before keeps them: it is the
    # old database, restored only on purpose).
    assert b"BADGE-SAM" not in path.read_bytes() and b"BADGE-ALICE" not in path.read_bytes()


def _write_rows(db: Database, count: int, start: int = 0) -> None:
    """``count`` rows of 4 KB each, one transaction each, as scans are written."""
    for i in range(start, start + count):
        with db.engine.begin() as conn:
            conn.execute(
                text("INSERT INTO audit_log_probe (n, pad) VALUES (:n, :pad)"),
                {"n": i, "pad": "x" * 4096},
            )


def _wal_bytes(path: Path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_an_idle_wal_is_emptied_and_a_reset_one_cut_to_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    db.checkpointer.stop()  # driven by hand: no timing in the test
    with db.engine.begin() as conn:
        conn.execute(text("CREATE TABLE audit_log_probe (n INTEGER, pad TEXT)"))
    # A reader's open snapshot holds every checkpoint back while 12 MB of writes go on, as
    # a long read did in the shift that left a 34 MB WAL behind.
    reader_con = sqlite3.connect(path, isolation_level=None)
    reader_con.execute("BEGIN")
    reader_con.execute("SELECT count(*) FROM counters").fetchone()
    _write_rows(db, 3000)
    con = sqlite3.connect(path, isolation_level=None)
    checkpoints = Checkpointer(path, interval_s=0.5, idle_s=1.0)
    checkpoints.tick(con)
    grown = _wal_bytes(path)
    assert grown > 3 * WAL_SIZE_LIMIT_BYTES
    reader_con.execute("COMMIT")
    reader_con.close()
    # Everything copied; the next writer starts the log again and cuts it to the limit.
    busy, frames, copied = checkpoints.checkpoint(con)
    assert (busy, copied) == (0, frames)
    _write_rows(db, 1, start=3000)
    assert _wal_bytes(path) <= WAL_SIZE_LIMIT_BYTES
    # No new frames for idle_s (two ticks of 0.5 s): the WAL is emptied.
    checkpoints.tick(con)
    assert _wal_bytes(path) > 0 and checkpoints.truncations == 0
    checkpoints.tick(con)
    checkpoints.tick(con)
    assert checkpoints.truncations == 1 and _wal_bytes(path) == 0
    assert con.execute("SELECT count(*) FROM audit_log_probe").fetchone() == (3001,)
    con.close()
    db.close()


def test_truncating_gives_way_to_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    db = open_database(path)
    db.checkpointer.stop()
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('a', 1)"))
    con = sqlite3.connect(path, isolation_level=None)
    checkpoints = Checkpointer(path)
    with db.engine.begin() as conn:  # a scan being written holds the write lock
        conn.execute(text("INSERT INTO counters (name, value) VALUES ('b', 1)"))
        assert checkpoints.truncate(con) is False
    assert checkpoints.truncate(con) is True
    assert _wal_bytes(path) == 0
    con.close()
    db.close()
