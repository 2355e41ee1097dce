"""A full disk: the station says so, stores no half of anything, and recovers when space returns.

Two ways to fill the database's disk. Always: ``PRAGMA max_page_count`` on the engine's own
connections, SQLite's page limit, which fails a write exactly as a full file system does
(``SQLITE_FULL``). When this machine lets the test mount a small tmpfs (root, as here and in
the dev container): the database on a real 4 MB file system filled to the last byte, where the
WAL write of a COMMIT meets ENOSPC. Photos: on such a tmpfs when it can be mounted, else a
file system simulated full by an ``fsync`` that raises ``OSError(ENOSPC)`` (the write path of
``PhotoStore`` is the real one either way).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import event

from station.db import Database
from station.db.care import check_database
from station.db.engine import DiskFullError
from station.packing.proof import ProofOptions
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from station.photos import PhotoStore, PhotoStoreError
from tests.station.packfixtures import MUG, TEE, build_db, make_service

FRAME = np.full((240, 320, 3), 128, np.uint8)


class PageLimit:
    """``PRAGMA max_page_count`` on every connection the engine opens from now on."""

    def __init__(self, db: Database) -> None:
        self.connections: list[sqlite3.Connection] = []
        self.pages: int | None = None
        event.listen(db.engine, "connect", self._on_connect)
        db.engine.dispose()  # connections opened before the listener never saw it

    def _on_connect(self, dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        self.connections.append(dbapi_connection)
        if self.pages is not None:
            dbapi_connection.execute(f"PRAGMA max_page_count={self.pages}")

    def set(self, pages: int) -> None:
        """The file may grow to ``pages`` pages (no further than it is: the disk is full)."""
        self.pages = pages
        for con in self.connections:
            con.execute(f"PRAGMA max_page_count={pages}")


def stored(path: Path) -> tuple[list[int], int, int]:
    """(ids of the counted scans, outbox events, outbox counter), read by a fresh connection."""
    con = sqlite3.connect(path)
    try:
        ids = [
            int(r[0])
            for r in con.execute(
                "SELECT id FROM scans WHERE verdict = 'accepted' AND undone = 0 ORDER BY id"
            )
        ]
        events = int(con.execute("SELECT count(*) FROM outbox").fetchone()[0])
        counter = con.execute("SELECT value FROM counters WHERE name = 'station_seq'").fetchone()
        return ids, events, int(counter[0])
    finally:
        con.close()


def packed(service: PackService) -> int:
    assert service.state is not None
    return sum(line.packed for line in service.state.lines)


def scan_until_full(service: PackService, path: Path) -> DiskFullError:
    """Scan mugs until the disk refuses one; each refused scan leaves the database as it was."""
    for _ in range(29):
        before = stored(path)
        try:
            outcome = service.scan(MUG)
        except DiskFullError as exc:
            assert stored(path) == before, "a refused scan left something behind"
            return exc
        assert outcome.verdict is Verdict.ACCEPTED
    raise AssertionError("the disk never filled up")


def assert_sound(path: Path) -> None:
    report = check_database(path)
    assert report.integrity == "ok" and report.outbox_gaps == [] and report.half_written == []


def test_page_limit_refuses_the_scan_says_so_and_recovers(tmp_path: Path) -> None:
    path = tmp_path / "full.sqlite"
    db = build_db(path)
    limit = PageLimit(db)
    service = make_service(db)
    try:
        assert service.open_order("SO-1007").verdict is Verdict.ORDER_OPENED
        assert service.scan(MUG).verdict is Verdict.ACCEPTED
        db.checkpointer.stop()  # the page count below must not move under the test
        con = sqlite3.connect(path)
        pages = int(con.execute("PRAGMA page_count").fetchone()[0])
        con.close()
        limit.set(pages)

        error = scan_until_full(service, path)
        assert "the disk is full: scan not stored" in str(error)
        assert isinstance(error, OSError)  # callers that catch disk errors catch this one
        # The engine's memory is what the database holds: no verdict ran ahead of a COMMIT.
        ids, events, counter = stored(path)
        assert packed(service) == len(ids)
        assert events == counter
        # Still full: refused again, still nothing half-written.
        with pytest.raises(DiskFullError):
            service.scan(MUG)
        assert stored(path) == (ids, events, counter)

        limit.set(1_000_000)  # space returns
        outcome = service.scan(MUG)
        assert outcome.verdict is Verdict.ACCEPTED
        assert outcome.line is not None and outcome.line.packed == len(ids) + 1
        after, _, _ = stored(path)
        assert after[: len(ids)] == ids and len(after) == len(ids) + 1  # nothing lost
    finally:
        service.close()
        db.close()
    assert_sound(path)


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str = "4m") -> Iterator[Path | None]:
    """A tmpfs of ``size`` mounted at ``path``, or None where mounting is not allowed."""
    path.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            check=False,
        )
    except OSError:
        yield None
        return
    if mounted.returncode != 0:
        yield None
        return
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def fill(folder: Path) -> Path:
    """Write a file until the file system has no byte left; the file (delete it for room)."""
    filler = folder / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as f:
        for size in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    f.write(chunk[:size])
    return filler


def test_a_real_full_file_system_refuses_the_scan_and_recovers(tmp_path: Path) -> None:
    with small_tmpfs(tmp_path / "disk") as disk:
        if disk is None:
            pytest.skip("cannot mount a tmpfs here (needs root); the page-limit test stands")
        path = disk / "full.sqlite"
        db = build_db(path)
        db.checkpointer.stop()  # a checkpoint would free WAL space under the test
        service = make_service(db)
        try:
            assert service.open_order("SO-1007").verdict is Verdict.ORDER_OPENED
            filler = fill(disk)
            error = scan_until_full(service, path)
            assert "the disk is full: scan not stored" in str(error)
            ids, _, _ = stored(path)
            assert packed(service) == len(ids)

            filler.unlink()  # space returns
            outcome = service.scan(MUG)
            assert outcome.verdict is Verdict.ACCEPTED
            assert outcome.line is not None and outcome.line.packed == len(ids) + 1
        finally:
            service.close()
            db.close()
        assert_sound(path)


@pytest.fixture(params=["tmpfs", "simulated"])
def photo_disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Any]]:
    """A photo folder on a full disk, and the function that makes room on it again."""
    if request.param == "tmpfs":
        with small_tmpfs(tmp_path / "photos") as disk:
            if disk is None:
                pytest.skip("cannot mount a tmpfs here (needs root); the simulated disk stands")
            filler = fill(disk)  # a real small file system, filled
            yield disk, filler.unlink
        return
    # The disk simulated full where PhotoStore meets it, at the fsync of the data it wrote
    # (the rest of the write path is the real one).
    folder = tmp_path / "photos"
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    yield folder, lambda: monkeypatch.setattr(os, "fsync", real_fsync)


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_photo_on_a_full_disk_says_so_and_leaves_no_file(photo_disk: tuple[Path, Any]) -> None:
    folder, make_room = photo_disk
    store = PhotoStore(folder)
    before = files_in(folder)
    with pytest.raises(PhotoStoreError) as failure:
        store.store(FRAME, ["order SO-1"])
    assert failure.value.errno == errno.ENOSPC
    assert str(failure.value) == f"cannot store photo in {folder}: No space left on device"
    assert files_in(folder) == before  # no temporary file, no partial photo
    make_room()
    photo = store.store(FRAME, ["order SO-1"])
    assert (folder / photo.path).stat().st_size == photo.size_bytes


def test_a_required_photo_on_a_full_disk_keeps_the_package_open(
    tmp_path: Path, photo_disk: tuple[Path, Any]
) -> None:
    folder, make_room = photo_disk
    db = build_db(tmp_path / "pack.sqlite")
    proof = ProofOptions(photo_mode="required", photos=PhotoStore(folder), camera=lambda: FRAME)
    service = make_service(db, proof=proof)
    try:
        service.open_order("SO-1001")
        for code in (MUG, MUG, TEE):
            assert service.scan(code).verdict is Verdict.ACCEPTED
        refused = service.complete()
        assert refused.verdict is Verdict.PHOTO_REQUIRED
        why = f"photo required (cannot store photo in {folder}: No space left on device)"
        assert why in refused.message
        con = sqlite3.connect(db.path)
        rows = con.execute(
            "SELECT p.status, o.status, (SELECT count(*) FROM photos) FROM packages p"
            " JOIN orders o ON o.id = p.order_id WHERE o.number = 'SO-1001'"
        ).fetchall()
        con.close()
        assert rows == [("open", "in_progress", 0)]  # not closed without its photo

        make_room()
        assert service.complete().verdict is Verdict.COMPLETED
    finally:
        service.close()
        db.close()
    report = check_database(db.path, require_photo=True, photo_dir=folder, verify_photos=True)
    assert report.ok, report


def test_station_pack_says_disk_full_gives_no_verdict_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The headless bench: a scan it cannot store gets the reason on stderr and no verdict
    line; the bench reads on (a scan sent again after space returns is stored) and exits 1."""
    import io

    from sqlalchemy.engine import Engine

    from station.cli.main import main

    path = tmp_path / "station.sqlite"
    build_db(path).close()
    pages = int(sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0])

    def limit(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    event.listen(Engine, "connect", limit)
    try:
        monkeypatch.setattr("sys.stdin", io.StringIO("SO-1007\n" + f"{MUG}\n" * 30))
        status = main(["--db", str(path), "pack", "--json"])
    finally:
        event.remove(Engine, "connect", limit)
    out, err = capsys.readouterr()
    verdicts = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert status == 1
    assert "the disk is full: scan not stored" in err
    refused = err.count("the disk is full")
    con = sqlite3.connect(path)
    try:
        (scans,) = con.execute("SELECT count(*) FROM scans").fetchone()
    finally:
        con.close()
    # Every verdict printed is a stored scan, and every scan not stored was said on stderr.
    assert len(verdicts) == scans
    assert len(verdicts) + refused == 31
    assert check_database(path).ok
