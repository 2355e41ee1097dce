"""The shift dashboard screen (supervisor): the figures of station.dashboard, charted."""

from station.config import Settings
from station.dashboard import load_dashboard
from station.db import Database
from station.db.models import utcnow
from station.disk import DiskReport, disk_report
from ui.dashboard.screen import DEFAULT_REFRESH_S, DashboardScreen
from ui.worker import DbWorker

__all__ = ["DashboardScreen", "build_dashboard"]


def build_dashboard(
    worker: DbWorker,
    db: Database,
    refresh_s: float = DEFAULT_REFRESH_S,
    settings: Settings | None = None,
) -> DashboardScreen:
    """The dashboard reading ``db`` (today in the machine's local time) on ``worker``; with
    ``settings``, also the disk used per day and the days left (``station.disk``)."""

    def disk() -> DiskReport:
        assert settings is not None
        retention = settings.photos.retention_days
        return disk_report(db, settings.photo_dir, retention_days=retention, now=utcnow())

    return DashboardScreen(
        worker,
        lambda days: load_dashboard(db, days),
        refresh_s,
        disk=disk if settings is not None else None,
    )
