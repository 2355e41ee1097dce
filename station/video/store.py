"""A finished pack video, kept as the photos are: by SHA-256 in the photo folder, one row.

The file is fsynced, hashed and renamed to ``ab/ab12....mp4`` (or ``.avi``) beside the
photos, then one transaction writes its ``photos`` row (kind ``video``, width and height of
the frames, the caption burnt in) and a ``video.recorded`` event naming the blob. Being a
``photos`` row is what makes a video travel and age like a photo: sync uploads the blobs an
event names, in resumable chunks (``station.sync.blobs``); the evidence record lists it;
``[photos] retention_days`` purges it (``station.photos.PhotoStore.purge``); the disk report
counts it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from station.db import Database
from station.outbox import append_event, sql_time
from station.video.recorder import Recording

KIND = "video"
EVENT = "video.recorded"


@dataclass(frozen=True)
class StoredVideo:
    """A video in the photo folder and its row."""

    photo_id: int
    sha256: str
    path: str
    """Relative to the photo folder."""
    size_bytes: int


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_file(recording: Recording, photo_dir: Path) -> tuple[str, str, int]:
    """Move the recording into the photo folder under its hash: (sha256, relative path, size).

    Fsynced before the rename and the folder after it, as photos are: a crash leaves the
    whole file or none under the name.
    """
    _fsync(recording.path)
    sha = file_sha256(recording.path)
    relative = f"{sha[:2]}/{sha}{recording.codec.suffix}"
    target = photo_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    size = recording.path.stat().st_size
    if target.exists() and target.stat().st_size == size:
        recording.path.unlink()  # the same bytes are there already
    else:
        os.replace(recording.path, target)
        _fsync(target.parent)
    return sha, relative, size


def store_video(
    db: Database, photo_dir: Path, recording: Recording, station: str, now: datetime | None = None
) -> StoredVideo:
    """Keep the file and record it (row and event in one transaction); OSError if the disk
    refuses (nothing is recorded then)."""
    sha, relative, size = keep_file(recording, photo_dir)
    now = now or datetime.now(UTC)
    take = recording.take
    caption = f"{take.order} | {take.user or '-'} | {station}"
    raw = db.engine.raw_connection()
    conn = raw.driver_connection
    assert isinstance(conn, sqlite3.Connection)
    cur = conn.cursor()
    try:
        cur.execute("BEGIN IMMEDIATE")
        try:
            photo_id = _record(cur, recording, sha, relative, size, caption, station, now)
            cur.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                cur.execute("ROLLBACK")
            raise
    finally:
        cur.close()
        raw.close()
    return StoredVideo(photo_id, sha, relative, size)


def _record(
    cur: sqlite3.Cursor,
    recording: Recording,
    sha: str,
    relative: str,
    size: int,
    caption: str,
    station: str,
    now: datetime,
) -> int:
    take = recording.take
    order = cur.execute("SELECT id FROM orders WHERE number = ?", (take.order,)).fetchone()
    row = cur.execute(
        "INSERT INTO photos (sha256, order_id, package_id, kind, path, width, height, size_bytes,"
        " caption, user_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (
            sha,
            order[0] if order else None,
            None,  # a video spans the order's packages
            KIND,
            relative,
            recording.width,
            recording.height,
            size,
            caption,
            take.user_id,
            sql_time(take.started),
        ),
    ).fetchone()
    photo_id = int(row[0])
    append_event(
        cur,
        EVENT,
        {
            "photo_id": photo_id,
            "station": station,
            "order": take.order,
            "user": take.user,
            "sha256": sha,
            "codec": recording.codec.name,
            "size_bytes": size,
            "width": recording.width,
            "height": recording.height,
            "frames": recording.frames,
            "duration_s": round(recording.duration_s, 3),
            "cut": recording.cut,
            "completed": recording.completed,
            "started_at": take.started.isoformat(),
            "at": now.isoformat(),
        },
        now,
        blob_hashes=[sha],
    )
    return photo_id
