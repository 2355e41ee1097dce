"""The photo store: content-addressed, captioned, atomic, purged by retention, clear on failure."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.db import Database
from station.photos import PhotoStore, PhotoStoreError, caption_strip, record_photo
from tests.station.packfixtures import FIXED_NOW
from tests.station.proof.prooffixtures import frame, read_only, rows

CAPTION = ["Order SO-1001  package 1  station bench-1", "alice  2026-11-24 12:00:00 UTC  495 g"]


def test_stored_under_the_hash_of_its_bytes(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    photo = store.store(frame(), CAPTION)
    data = (tmp_path / "photos" / photo.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == photo.sha256
    assert photo.path == f"{photo.sha256[:2]}/{photo.sha256}.jpg"
    assert photo.size_bytes == len(data)
    # The same bytes again: the same file, nothing new.
    again = store.store(frame(), CAPTION)
    assert again == photo
    assert [p.name for p in (tmp_path / "photos").rglob("*") if p.is_file()] == [
        f"{photo.sha256}.jpg"
    ]


def test_caption_strip_below_the_full_frame(tmp_path: Path) -> None:
    picture = frame(800, 600)
    captioned = caption_strip(picture, CAPTION)
    assert captioned.shape[1] == 800 and captioned.shape[0] > 600
    assert np.array_equal(captioned[:600], picture)  # the frame itself is untouched
    strip = captioned[600:]
    assert strip.min() < 100 and np.median(strip) == 255  # black text on white
    photo = PhotoStore(tmp_path).store(picture, CAPTION)
    decoded = cv2.imread(str(tmp_path / photo.path))
    assert decoded is not None
    assert (photo.width, photo.height) == (800, captioned.shape[0])
    assert decoded.shape[:2] == (captioned.shape[0], 800)
    # A grey camera frame is captioned too.
    assert caption_strip(picture[..., 0], CAPTION).ndim == 3


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path)
    photo = store.store(frame(), CAPTION)
    names = sorted(p.name for p in (tmp_path / photo.sha256[:2]).iterdir())
    assert names == [f"{photo.sha256}.jpg"]


def test_disk_full_is_a_clear_error_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    folder = tmp_path / "photos"
    with pytest.raises(PhotoStoreError, match="No space left on device") as err:
        PhotoStore(folder).store(frame(), CAPTION)
    assert str(folder) in str(err.value) and err.value.errno == errno.ENOSPC
    assert [p for p in folder.rglob("*") if p.is_file()] == []


def test_read_only_folder_gives_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "photos"
    folder.mkdir()
    with read_only(folder):
        with pytest.raises(PhotoStoreError, match="cannot store photo in") as err:
            PhotoStore(folder).store(frame(), CAPTION)
        assert str(folder) in str(err.value)


def test_purge_by_retention(tmp_path: Path, db: Database) -> None:
    store = PhotoStore(tmp_path / "photos")
    old = store.store(frame(320, 240), ["old"])
    new = store.store(frame(400, 300), ["new"])
    con = db.engine.raw_connection()
    try:
        cur = con.cursor()
        cur.execute("BEGIN IMMEDIATE")
        for photo, age in ((old, 120), (new, 10)):
            record_photo(
                cur,  # type: ignore[arg-type]
                photo,
                kind="completion",
                caption="",
                order_id=None,
                package_id=None,
                user_id=None,
                now=FIXED_NOW - timedelta(days=age),
                event={},
            )
        cur.execute("COMMIT")
    finally:
        con.close()
    assert store.purge(db, retention_days=90, now=FIXED_NOW) == 1
    assert not store.path_of(old.path).exists()
    assert store.path_of(new.path).exists()
    marks = rows(db, "SELECT sha256, purged_at IS NOT NULL FROM photos ORDER BY id")
    assert marks == [(old.sha256, 1), (new.sha256, 0)]
    blobs = rows(db, "SELECT blob_hashes FROM outbox WHERE type = 'photo.taken' ORDER BY id")
    assert blobs == [(f'["{old.sha256}"]',), (f'["{new.sha256}"]',)]
    # Nothing left to purge: a second run deletes nothing.
    assert store.purge(db, retention_days=90, now=FIXED_NOW) == 0


def test_a_full_hd_frame_is_stored_at_most_100_kb_and_its_codes_stay_readable(
    tmp_path: Path,
) -> None:
    from drivers.camera.decode import make_decoder
    from drivers.camera.synth import make_frame, same_text
    from station.tools.simulate.rig import synthetic_frame

    store = PhotoStore(tmp_path / "photos")  # the defaults of [photos]
    picture = store.store(synthetic_frame(1920, 1080, seed=1), CAPTION)
    assert (picture.width, picture.size_bytes <= 100_000) == (1280, True)
    assert picture.height > 720  # 1080 scaled by 1280/1920, and the caption below it
    # Frames of a label under the camera (1280x720, 3 px modules, heavy sensor noise, which
    # costs JPEG more bytes than a real camera's): still decoded from the stored photo.
    for kind in ("code128", "ean13", "upca", "gs1-128"):
        shot = make_frame(5, kind, 3, 10.0)
        colour = np.asarray(cv2.cvtColor(shot.image, cv2.COLOR_GRAY2BGR), np.uint8)
        stored = store.store(colour, CAPTION)
        image = cv2.imread(str(store.path_of(stored.path)), cv2.IMREAD_GRAYSCALE)
        assert image is not None
        texts = [code.text for code in make_decoder("zxing").decode(np.asarray(image, np.uint8))]
        assert texts and same_text(shot.codes[0], texts[0])


def test_width_and_quality_come_from_the_settings(tmp_path: Path) -> None:
    from station.config import PhotoSettings

    big = frame(1920, 1080)
    fine = PhotoStore.from_settings(tmp_path / "a", PhotoSettings(jpeg_quality=95, max_width=1920))
    small = PhotoStore.from_settings(tmp_path / "b", PhotoSettings(jpeg_quality=40, max_width=640))
    full, reduced = fine.store(big, []), small.store(big, [])
    assert (full.width, full.height, reduced.width, reduced.height) == (1920, 1080, 640, 360)
    assert reduced.size_bytes < full.size_bytes / 4


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("jpeg_quality = 0", "[photos] jpeg_quality: expected 1 to 100"),
        ("jpeg_quality = 101", "[photos] jpeg_quality: expected 1 to 100"),
        ("max_width = 100", "[photos] max_width: expected at least 320 pixels"),
    ],
)
def test_bad_photo_sizes_are_refused_by_name(tmp_path: Path, table: str, message: str) -> None:
    from station.config import ConfigError, load_settings

    config = tmp_path / "station.toml"
    config.write_text(f"[photos]\n{table}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config, env={})
