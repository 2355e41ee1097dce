"""Photos at completion: required, optional or off; a disk error records nothing."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path

import pytest

from station.db import Database
from station.packing.service import PackService
from station.packing.verdicts import Verdict
from tests.station.packfixtures import MUG, PHONE, TEE
from tests.station.proof.prooffixtures import prove, read_only, rows, stable


def weighed(svc: PackService) -> None:
    svc.scan("BADGE-ALICE")
    svc.scan("SO-1001")
    for code in (MUG, MUG, TEE):
        svc.scan(code)
    assert svc.record_weight(stable(496)).verdict is Verdict.WEIGHT_PASS


def test_required_photo_taken_at_completion(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="required", camera=True)
    weighed(svc)
    assert svc.complete().verdict is Verdict.COMPLETED
    (photo,) = rows(
        db, "SELECT sha256, path, kind, size_bytes, caption, width, height, package_id FROM photos"
    )
    sha, path, kind, size, caption, width, height, package_id = photo
    data = (tmp_path / "photos" / str(path)).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
    assert kind == "completion" and package_id == 1
    assert width == 640 and int(str(height)) > 480  # the caption strip below the frame
    for part in ("SO-1001", "package 1", "bench-1", "alice", "2026-11-24 12:00:00", "496 g"):
        assert part in str(caption)
    event = rows(db, "SELECT payload, blob_hashes FROM outbox WHERE type = 'photo.taken'")
    assert json.loads(str(event[0][1])) == [sha]
    assert json.loads(str(event[0][0]))["order"] == "SO-1001"
    svc.close()


def test_required_photo_without_a_camera_blocks_completion(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="required")
    weighed(svc)
    out = svc.complete()
    assert out.verdict is Verdict.PHOTO_REQUIRED and "no camera" in out.message
    assert rows(db, "SELECT status FROM orders WHERE number = 'SO-1001'") == [("in_progress",)]
    assert rows(db, "SELECT verdict FROM scans ORDER BY id DESC LIMIT 1") == [("photo_required",)]
    svc.close()


def test_disk_full_blocks_a_required_photo_and_records_nothing(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = prove(db, tmp_path, photo_mode="required", camera=True)
    weighed(svc)

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = svc.complete()
    assert out.verdict is Verdict.PHOTO_REQUIRED
    assert f"cannot store photo in {tmp_path / 'photos'}" in out.message
    assert "No space left on device" in out.message
    assert rows(db, "SELECT count(*) FROM photos") == [(0,)]
    assert rows(db, "SELECT count(*) FROM outbox WHERE type = 'photo.taken'") == [(0,)]
    monkeypatch.undo()
    assert svc.complete().verdict is Verdict.COMPLETED  # the disk has room again
    svc.close()


def test_read_only_photo_folder_blocks_a_required_photo(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="required", camera=True)
    weighed(svc)
    with read_only(tmp_path / "photos"):
        out = svc.complete()
    assert out.verdict is Verdict.PHOTO_REQUIRED
    assert f"cannot store photo in {tmp_path / 'photos'}" in out.message
    assert rows(db, "SELECT count(*) FROM photos") == [(0,)]
    svc.close()


def test_optional_photo_is_taken_when_a_camera_is_there(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="optional")
    weighed(svc)
    assert svc.complete().verdict is Verdict.COMPLETED  # no camera: completes without
    assert rows(db, "SELECT count(*) FROM photos") == [(0,)]
    svc.close()
    with_camera = prove(db, tmp_path, photo_mode="optional", camera=True, require_weight=False)
    with_camera.scan("SO-1002")
    for serial in ("SN-1", "SN-2"):
        with_camera.scan(f"]C101{PHONE.zfill(14)}21{serial}")
    assert with_camera.complete().verdict is Verdict.COMPLETED
    assert rows(db, "SELECT count(*) FROM photos") == [(1,)]
    with_camera.close()


def test_photos_off_never_takes_one(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="off", camera=True)
    weighed(svc)
    assert svc.complete().verdict is Verdict.COMPLETED
    assert rows(db, "SELECT count(*) FROM photos") == [(0,)]
    svc.close()


def test_a_photo_on_demand_for_an_exception(db: Database, tmp_path: Path) -> None:
    svc = prove(db, tmp_path, photo_mode="optional", camera=True)
    svc.scan("SO-1001")
    svc.scan(MUG)
    out = svc.take_photo("exception")
    assert out.verdict is Verdict.PHOTO_TAKEN
    assert rows(db, "SELECT kind, caption LIKE '%not weighed%' FROM photos") == [("exception", 1)]
    nocam = prove(db, tmp_path, photo_mode="optional")
    assert nocam.take_photo().verdict is Verdict.PHOTO_REQUIRED
    nocam.close()
    svc.close()


@pytest.mark.parametrize(
    ("mode", "has_camera", "expected"),
    [
        ("optional", False, "off"),  # no camera on the bench: nothing to take, nothing to warn
        ("optional", True, "optional"),
        ("required", False, "required"),  # still refuses to close without a photo
        ("off", True, "off"),
    ],
)
def test_photo_mode_of_a_bench(tmp_path: Path, mode: str, has_camera: bool, expected: str) -> None:
    from station.config import PhotoSettings, Settings
    from station.packing.proof import ProofOptions
    from station.photos import Image

    settings = Settings(db_path=tmp_path / "s.sqlite", photos=PhotoSettings(mode=mode))

    def camera() -> Image:
        raise AssertionError("not called here")

    options = ProofOptions.from_settings(settings, camera=camera if has_camera else None)
    assert options.photo_mode == expected
