"""``station db check | backup | restore`` on real files, with a real station process running."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic import command

from station.cli.main import main
from station.db import open_database
from station.db.care import head_revision
from station.db.engine import make_engine
from station.db.migrate import alembic_config
from tests import stationproc
from tests.station.packfixtures import MUG, TEE, build_db, make_service

STATION = "bench-care"


@pytest.fixture
def packed_db(tmp_path: Path) -> Path:
    """A database with an order packed and another begun (scans, packages, outbox events)."""
    path = tmp_path / "station.sqlite"
    db = build_db(path)
    service = make_service(db, station=STATION)
    for code in ("SO-1001", MUG, MUG, TEE, "CMD-COMPLETE", "SO-1007", MUG, MUG):
        service.scan(code)
    service.close()
    db.close()
    return path


def run(path: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["--db", str(path), "db", *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def last_json(out: str) -> dict[str, object]:
    decoded: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return decoded


def sql(path: Path, query: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_check_passes_a_sound_database(packed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(packed_db, "check", "--json", capsys=capsys)
    report = last_json(out)
    assert status == 0
    assert report["ok"] is True and report["integrity"] == "ok"
    assert report["outbox_gaps"] == 0 and report["outbox_missing"] == []
    assert report["foreign_key_check"] == [] and report["half_written"] == []
    assert report["schema"] == report["head"] == head_revision()
    assert (
        report["outbox_seq"]
        == report["outbox_events"]
        == sql(packed_db, "SELECT count(*) FROM outbox")[0][0]
    )


def test_check_finds_a_lost_event_and_a_dangling_key(
    packed_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    con = sqlite3.connect(packed_db)
    (seq, scan_id) = con.execute(
        "SELECT station_seq, json_extract(payload, '$.scan_id') FROM outbox"
        " WHERE type = 'scan.recorded' ORDER BY station_seq LIMIT 1 OFFSET 2"
    ).fetchone()
    con.execute("DELETE FROM outbox WHERE station_seq = ?", (seq,))
    con.execute("PRAGMA foreign_keys = OFF")  # how a hand edit or a broken tool gets one in
    con.execute(
        "INSERT INTO order_lines (order_id, line_no, product_id, quantity) VALUES (99, 1, 1, 1)"
    )
    con.commit()
    con.close()
    status, out, _ = run(packed_db, "check", "--json", capsys=capsys)
    report = last_json(out)
    assert status == 1 and report["ok"] is False
    assert report["integrity"] == "ok"
    assert report["outbox_gaps"] == 1 and report["outbox_missing"] == [[seq, seq]]
    (line_id,) = sql(packed_db, "SELECT max(id) FROM order_lines")[0]
    assert report["foreign_key_check"] == [
        {"table": "order_lines", "rowid": line_id, "parent": "orders", "fkid": 1}
    ]
    assert report["half_written"] == [f"scans without their scan.recorded event: {scan_id}"]
    assert "NOT OK" in out


def test_check_reports_a_damaged_file(packed_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    con = sqlite3.connect(packed_db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = int(con.execute("PRAGMA page_size").fetchone()[0])
    root = int(con.execute("SELECT rootpage FROM sqlite_master WHERE name = 'scans'").fetchone()[0])
    con.close()
    with packed_db.open("r+b") as f:  # scribble over the scans table's root page
        f.seek((root - 1) * page + 8)
        f.write(b"\xff" * 64)
    status, out, _ = run(packed_db, "check", "--json", capsys=capsys)
    report = last_json(out)
    assert status == 1 and report["ok"] is False
    assert report["integrity"] != "ok" and str(report["integrity"]).strip()


def test_check_without_a_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(tmp_path / "none.sqlite", "check", "--json", capsys=capsys)
    assert status == 1
    assert last_json(out)["integrity"] == f"no database at {tmp_path / 'none.sqlite'}"
    assert not (tmp_path / "none.sqlite").exists()  # a check never creates the file


def test_backup_while_a_station_packs_is_whole(
    packed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    proc = stationproc.start(packed_db, "pack", STATION)
    try:
        reported = [stationproc.send(proc, code)["scan_id"] for code in ("SO-1007", MUG, MUG)]
        target = tmp_path / "copy.sqlite"
        status, out, _ = run(packed_db, "backup", str(target), "--json", capsys=capsys)
        assert status == 0
        result = last_json(out)
        assert result["backup"] == str(target) and result["integrity"] == "ok"
        assert result["schema"] == head_revision()
        # The station goes on packing after the copy.
        assert stationproc.send(proc, MUG)["verdict"] == "accepted"
    finally:
        stationproc.kill(proc)
    ids = {r[0] for r in sql(target, "SELECT id FROM scans")}
    assert set(reported) <= ids  # every verdict shown before the backup is in it
    assert sql(target, "PRAGMA integrity_check") == [("ok",)]
    assert not list(tmp_path.glob(".copy.sqlite.*"))  # no temporary copy left behind
    # A backup never overwrites.
    status, _, err = run(packed_db, "backup", str(target), capsys=capsys)
    assert status == 1 and "exists" in err


def test_restore_puts_a_backup_back_and_keeps_the_replaced_one(
    packed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "monday.sqlite"
    assert run(packed_db, "backup", str(backup), capsys=capsys)[0] == 0
    scans_then = int(str(sql(backup, "SELECT count(*) FROM scans")[0][0]))
    live = open_database(packed_db)
    service = make_service(live, station=STATION)
    service.scan(MUG)  # after the backup: only in the database being replaced
    service.close()
    live.close()
    scans_now = sql(packed_db, "SELECT count(*) FROM scans")[0][0]
    assert scans_now == scans_then + 1

    status, out, err = run(packed_db, "restore", str(backup), "--json", capsys=capsys)
    assert status == 0, err
    result = last_json(out)
    assert sql(packed_db, "SELECT count(*) FROM scans")[0][0] == scans_then
    kept = Path(str(result["kept"]))
    assert kept.name.endswith(".before-restore") and kept.parent == packed_db.parent
    assert sql(kept, "SELECT count(*) FROM scans")[0][0] == scans_now
    # The events only the replaced database holds are named: the hub may have them already.
    assert "warning" in err and str(kept) in err
    assert run(packed_db, "check", capsys=capsys)[0] == 0


def test_restore_refuses_what_is_not_a_sound_station_database(
    packed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = packed_db.read_bytes()
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all, but long enough to have a header\n" * 10)
    future = tmp_path / "future.sqlite"
    shutil.copy(packed_db, future)
    con = sqlite3.connect(future)
    con.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    con.commit()
    con.close()
    foreign = tmp_path / "foreign.sqlite"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()
    for source, why in (
        (text, "is not an SQLite database"),
        (future, "revision ffff_future, unknown to this station"),
        (foreign, "is not a station database"),
        (tmp_path / "missing.sqlite", "No such file"),
    ):
        status, _, err = run(packed_db, "restore", str(source), capsys=capsys)
        assert status == 1 and why in err, err
    assert packed_db.read_bytes() == before
    assert not list(tmp_path.glob("*.before-restore"))


def test_restore_refuses_while_the_station_runs_unless_forced(
    packed_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "copy.sqlite"
    assert run(packed_db, "backup", str(backup), capsys=capsys)[0] == 0
    proc = stationproc.start(packed_db, "pack", STATION)
    try:
        stationproc.send(proc, "SO-1007")  # the station is up and has the database open
        status, _, err = run(packed_db, "restore", str(backup), capsys=capsys)
        assert status == 1 and "open in another process" in err
    finally:
        stationproc.kill(proc)
    assert run(packed_db, "restore", str(backup), capsys=capsys)[0] == 0
    # --force: even with a connection open (here an idle one), which then sees the backup.
    other = sqlite3.connect(packed_db)
    other.execute("SELECT count(*) FROM scans").fetchone()
    status, _, err = run(packed_db, "restore", str(backup), "--force", capsys=capsys)
    assert status == 0, err
    assert other.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    other.close()


def test_restore_migrates_a_backup_of_the_first_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite"
    engine = make_engine(old)
    command.upgrade(alembic_config(engine), "0001")
    engine.dispose()
    con = sqlite3.connect(old)
    con.execute("INSERT INTO counters (name, value) VALUES ('station_seq', 0)")
    con.execute(
        "INSERT INTO products (sku, name, tracking, is_kit, updated_at)"
        " VALUES ('MUG', 'Mug', 'none', 0, '2026-01-01 00:00:00.000000')"
    )
    con.commit()
    con.close()
    live = tmp_path / "station.sqlite"
    build_db(live).close()
    status, out, err = run(live, "restore", str(old), "--json", capsys=capsys)
    assert status == 0, err
    result = last_json(out)
    assert result["schema_before"] == "0001" and result["schema"] == head_revision()
    assert sql(live, "SELECT sku FROM products") == [("MUG",)]
    assert "migrated 0001 ->" in out
