"""A stored pack video ages like a photo: purged after ``[photos] retention_days``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
from sqlalchemy.orm import Session

from station.db.engine import reader
from station.evidence import gather
from station.photos import PhotoStore
from station.video.codec import MJPEG
from station.video.recorder import Recording, Take
from station.video.store import store_video
from tests.station.packfixtures import build_db

STARTED = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def recording(folder: Path) -> Recording:
    path = folder / "take.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 5.0, (64, 48))
    for n in range(3):
        writer.write(np.full((48, 64, 3), 40 * n, np.uint8))
    writer.release()
    take = Take("SO-1001", "alice", None, STARTED)
    return Recording(take, path, MJPEG, 3, 64, 48, 0.6, cut=False, completed=True)


def test_a_video_is_purged_with_the_photos_and_the_record_says_so(tmp_path: Path) -> None:
    db = build_db(tmp_path / "pack.sqlite")
    photos = tmp_path / "photos"
    try:
        stored = store_video(db, photos, recording(tmp_path), "bench-1", now=STARTED)
        assert (photos / stored.path).is_file()
        store = PhotoStore(photos)
        assert store.purge(db, 90, STARTED + timedelta(days=89)) == 0  # within retention
        assert store.purge(db, 90, STARTED + timedelta(days=91)) == 1
        assert not (photos / stored.path).exists()
        with Session(reader(db.engine)) as s:
            record = gather(s, "SO-1001", photos)
        assert record is not None
        (video,) = record.videos
        assert (video["sha256"], video["present"]) == (stored.sha256, False)
        assert video["purged_at"] is not None
    finally:
        db.close()
