"""How much disk the bench uses per day, and how many days are left at that rate.

Photos are the bulk: their sizes are in the ``photos`` rows, so the bytes stored per day are
summed exactly. The database grows with what is packed; its growth per day is its size in
proportion to the scans of the period (scans, their events, weights and packages make up
nearly all of it). Both are averaged over the last ``days`` days, or over the days since the
first scan if the bench is younger. Days left is the free space of each file system divided by
what is written to it per day; photos are purged after their retention, so the photo folder
levels off at ``photos_at_retention_bytes``, which this reports too.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from station.db import Database
from station.db.engine import reader
from station.outbox import sql_time

DAY_S = 86_400.0


@dataclass(frozen=True)
class DiskReport:
    """Disk use of the database and the photos, per day, and days left at that rate."""

    days: float  # the period the rates are averaged over
    database_bytes: int  # the file, its WAL and shared memory
    photo_bytes: int  # photos not yet purged
    photos_per_day_bytes: float
    database_per_day_bytes: float
    free_bytes: int  # on the fuller of the two file systems
    days_left: float | None  # None while nothing is being written
    retention_days: int
    photos_at_retention_bytes: float

    @property
    def per_day_bytes(self) -> float:
        """Everything written per day."""
        return self.photos_per_day_bytes + self.database_per_day_bytes

    def to_json(self) -> dict[str, object]:
        """The figures as one JSON object (bytes as integers)."""
        out: dict[str, object] = {k: _rounded(v) for k, v in asdict(self).items()}
        out["per_day_bytes"] = round(self.per_day_bytes)
        return out

    def summary(self) -> str:
        """One line: ``12.3 MB a day (photos 11.0 MB), 410 days left``."""
        left = "no growth" if self.days_left is None else f"{self.days_left:,.0f} days left"
        return (
            f"{megabytes(self.per_day_bytes)} a day (photos"
            f" {megabytes(self.photos_per_day_bytes)}), {left}"
        )

    def __str__(self) -> str:
        rows = (
            ("period", f"last {self.days:.1f} days"),
            ("database", megabytes(self.database_bytes)),
            ("photos", megabytes(self.photo_bytes)),
            ("written per day", self.summary()),
            ("free", megabytes(self.free_bytes)),
            (
                f"photos over {self.retention_days} days",
                f"{megabytes(self.photos_at_retention_bytes)} (then purged)",
            ),
        )
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def _rounded(value: object) -> object:
    return round(value, 1) if isinstance(value, float) else value


def megabytes(n: float) -> str:
    """``n`` bytes as ``12.3 MB``."""
    return f"{n / 1e6:,.1f} MB"


def disk_report(
    db: Database,
    photo_dir: Path,
    *,
    retention_days: int,
    now: datetime,
    days: int = 7,
) -> DiskReport:
    """The disk report at ``now``, averaged over the last ``days`` days."""
    since = now - timedelta(days=days)
    with reader(db.engine).connect() as conn:
        first = conn.execute(text("SELECT min(created_at) FROM scans")).scalar()
        scans_all = int(conn.execute(text("SELECT count(*) FROM scans")).scalar_one())
        scans_recent = int(
            conn.execute(
                text("SELECT count(*) FROM scans WHERE created_at >= :since"),
                {"since": sql_time(since)},
            ).scalar_one()
        )
        photos_recent = int(
            conn.execute(
                text("SELECT coalesce(sum(size_bytes), 0) FROM photos WHERE created_at >= :since"),
                {"since": sql_time(since)},
            ).scalar_one()
        )
        photos_kept = int(
            conn.execute(
                text(
                    "SELECT coalesce(sum(size_bytes), 0) FROM (SELECT DISTINCT sha256, size_bytes"
                    " FROM photos WHERE purged_at IS NULL)"
                )
            ).scalar_one()
        )
        # The pages the database holds, whether they sit in the main file or still in the WAL:
        # the files' sizes swing with every checkpoint (the WAL itself is kept under 4 MiB and
        # emptied when idle, station/db/checkpoint.py), the pages only with what is stored.
        pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar_one())
        page_size = int(conn.exec_driver_sql("PRAGMA page_size").scalar_one())
        conn.rollback()
    period = float(days)
    if isinstance(first, str):
        started = datetime.fromisoformat(first).replace(tzinfo=now.tzinfo)
        period = min(period, max((now - started).total_seconds() / DAY_S, 1.0))
    database = pages * page_size
    photos_per_day = photos_recent / period
    db_per_day = database * scans_recent / scans_all / period if scans_all else 0.0
    free_db = _free(db.path.parent)
    free_photos = _free(photo_dir)
    if _device(db.path.parent) == _device(photo_dir):
        left = _days(free_db, photos_per_day + db_per_day)
    else:
        left = _min_days(_days(free_db, db_per_day), _days(free_photos, photos_per_day))
    return DiskReport(
        days=round(period, 2),
        database_bytes=database,
        photo_bytes=photos_kept,
        photos_per_day_bytes=photos_per_day,
        database_per_day_bytes=db_per_day,
        free_bytes=min(free_db, free_photos),
        days_left=left,
        retention_days=retention_days,
        photos_at_retention_bytes=photos_per_day * retention_days,
    )


def _days(free: int, per_day: float) -> float | None:
    return free / per_day if per_day > 0 else None


def _min_days(a: float | None, b: float | None) -> float | None:
    known = [d for d in (a, b) if d is not None]
    return min(known) if known else None


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing parent (the photo folder may not exist yet)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _free(path: Path) -> int:
    return shutil.disk_usage(_existing(path)).free


def _device(path: Path) -> int:
    return _existing(path).stat().st_dev
