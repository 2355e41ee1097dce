"""Photo proof: full-resolution frames with a caption strip, stored on disk under their SHA-256.

The file is named by the hash of its JPEG bytes (``ab/ab12....jpg``), so a photo cannot be
altered without its name no longer matching, the hub can ask for what it lacks by hash, and
storing the same bytes twice is a no-op. Files are written to a temporary name, fsynced and
renamed: a crash leaves either the whole photo or none, and a full disk (``ENOSPC``) leaves no
temporary file and says so ("No space left on device"). The database row (``photos``) and its
outbox event are written by the caller in one transaction, after the file is safe on disk; a
file whose row never committed is an orphan that costs only disk.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from drivers.camera.capture import CameraError
from station.config import PhotoSettings
from station.db import Database
from station.outbox import append_event, sql_time

Image = npt.NDArray[np.uint8]

_FONT = cv2.FONT_HERSHEY_SIMPLEX


class PhotoStoreError(OSError):
    """A photo could not be stored (disk full, folder not writable); nothing was recorded."""


@dataclass(frozen=True)
class StoredPhoto:
    """A photo safely on disk: its hash, path relative to the store, size and pixel size."""

    sha256: str
    path: str
    size_bytes: int
    width: int
    height: int


def caption_strip(image: Image, lines: Sequence[str]) -> Image:
    """The frame with a white strip below it holding ``lines`` in black (the frame untouched).

    Below rather than over the picture so the caption never hides what the photo proves.
    Hershey fonts draw ASCII only; anything else becomes ``?``.
    """
    frame = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    width = frame.shape[1]
    scale = max(0.4, width / 1600)
    thickness = max(1, round(scale * 2))
    line_h = int(40 * scale)
    strip = np.full((line_h * len(lines) + line_h // 2, width, 3), 255, np.uint8)
    for n, text in enumerate(lines):
        ascii_text = text.encode("ascii", "replace").decode("ascii")
        origin = (int(12 * scale), line_h * (n + 1))
        cv2.putText(strip, ascii_text, origin, _FONT, scale, (0, 0, 0), thickness, cv2.LINE_AA)
    return np.vstack([frame, strip])


def fit_width(image: Image, max_width: int) -> Image:
    """``image`` scaled down to ``max_width`` pixels wide (aspect kept); narrower ones as they are.

    INTER_AREA averages the pixels a smaller one covers: bars and text stay sharp where a
    nearest or linear resize would alias them.
    """
    height, width = image.shape[:2]
    if width <= max_width:
        return image
    size = (max_width, max(1, round(height * max_width / width)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)


class PhotoStore:
    """A folder of content-addressed JPEG photos, at most ``max_width`` pixels wide."""

    def __init__(
        self,
        folder: Path,
        jpeg_quality: int = PhotoSettings.jpeg_quality,
        max_width: int = PhotoSettings.max_width,
    ) -> None:
        self.folder = folder
        self.jpeg_quality = jpeg_quality
        self.max_width = max_width

    @classmethod
    def from_settings(cls, folder: Path, photos: PhotoSettings) -> PhotoStore:
        """The store of ``[photos]``: its quality and width."""
        return cls(folder, photos.jpeg_quality, photos.max_width)

    def path_of(self, relative: str) -> Path:
        """The absolute path of a stored photo."""
        return self.folder / relative

    def store(self, frame: Image, caption: Sequence[str]) -> StoredPhoto:
        """Scale, caption, encode and store a frame; PhotoStoreError (naming the folder) if not."""
        fitted = fit_width(frame, self.max_width)
        image = caption_strip(fitted, caption) if caption else fitted
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self.jpeg_quality])
        if not ok:
            raise PhotoStoreError(f"cannot encode the photo for {self.folder}")
        data = encoded.tobytes()
        sha = hashlib.sha256(data).hexdigest()
        relative = f"{sha[:2]}/{sha}.jpg"
        try:
            self._write(self.folder / relative, data)
        except OSError as exc:
            error = PhotoStoreError(f"cannot store photo in {self.folder}: {exc.strerror or exc}")
            error.errno = exc.errno
            raise error from exc
        return StoredPhoto(sha, relative, len(data), int(image.shape[1]), int(image.shape[0]))

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        if target.exists() and target.stat().st_size == len(data):
            return  # same hash, same bytes: already stored
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        # The rename is durable only once the directory entry is on disk too.
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def purge(self, db: Database, retention_days: int, now: datetime) -> int:
        """Delete photos older than ``retention_days``; their rows keep the hash, ``purged_at``.

        Rows are marked in one committed transaction first, files deleted after: a crash in
        between leaves a file no row needs, never a row pointing at a file that is gone
        without saying so. A file still used by a newer row is kept. Returns files deleted.
        """
        cutoff = sql_time(now - timedelta(days=retention_days))
        raw = db.engine.raw_connection()
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
            try:
                old = cur.execute(
                    "SELECT DISTINCT sha256, path FROM photos WHERE purged_at IS NULL"
                    " AND created_at < ?",
                    (cutoff,),
                ).fetchall()
                cur.execute(
                    "UPDATE photos SET purged_at = ? WHERE purged_at IS NULL AND created_at < ?",
                    (sql_time(now), cutoff),
                )
                kept = {
                    r[0]
                    for r in cur.execute(
                        "SELECT DISTINCT sha256 FROM photos WHERE purged_at IS NULL"
                    )
                }
                cur.execute("COMMIT")
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        finally:
            cur.close()
            raw.close()
        deleted = 0
        for sha, path in old:
            if sha in kept:
                continue
            target = self.path_of(str(path))
            if target.exists():
                target.unlink()
                deleted += 1
        return deleted


Snapshot = Callable[[], Image]


def photograph(
    cur: sqlite3.Cursor,
    store: PhotoStore | None,
    camera: Snapshot | None,
    *,
    lines: Sequence[str],
    kind: str,
    order_id: int | None,
    package_id: int | None,
    user_id: int | None,
    now: datetime,
    event: dict[str, object],
) -> str:
    """Take, caption, store and record a photo in the caller's transaction.

    Returns "" when the photo is recorded, else why not (no camera, camera error, disk error);
    a failure records nothing, so "required" can refuse and "optional" carry on.
    """
    if store is None or camera is None:
        return "no camera"
    try:
        frame = camera()
    except (CameraError, OSError) as exc:
        return f"camera: {exc}"
    try:
        stored = store.store(frame, lines)
    except PhotoStoreError as exc:
        return str(exc)
    record_photo(
        cur,
        stored,
        kind=kind,
        caption=" | ".join(lines),
        order_id=order_id,
        package_id=package_id,
        user_id=user_id,
        now=now,
        event=event,
    )
    return ""


def record_photo(
    cur: sqlite3.Cursor,
    photo: StoredPhoto,
    *,
    kind: str,
    caption: str,
    order_id: int | None,
    package_id: int | None,
    user_id: int | None,
    now: datetime,
    event: dict[str, object],
) -> int:
    """Insert the ``photos`` row and its outbox event in the caller's transaction."""
    row = cur.execute(
        "INSERT INTO photos (sha256, order_id, package_id, kind, path, width, height, size_bytes,"
        " caption, user_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
        (
            photo.sha256,
            order_id,
            package_id,
            kind,
            photo.path,
            photo.width,
            photo.height,
            photo.size_bytes,
            caption,
            user_id,
            sql_time(now),
        ),
    ).fetchone()
    photo_id = int(row[0])
    payload: dict[str, object] = {
        **event,
        "photo_id": photo_id,
        "sha256": photo.sha256,
        "kind": kind,
        "size_bytes": photo.size_bytes,
        "width": photo.width,
        "height": photo.height,
        "caption": caption,
        "at": now.isoformat(),
    }
    append_event(cur, "photo.taken", payload, now, blob_hashes=[photo.sha256])
    return photo_id
