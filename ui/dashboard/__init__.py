"""The shift dashboard screen (supervisor): the figures of station.dashboard, charted."""

from station.dashboard import load_dashboard
from station.db import Database
from ui.dashboard.screen import DEFAULT_REFRESH_S, DashboardScreen
from ui.worker import DbWorker

__all__ = ["DashboardScreen", "build_dashboard"]


def build_dashboard(
    worker: DbWorker, db: Database, refresh_s: float = DEFAULT_REFRESH_S
) -> DashboardScreen:
    """The dashboard reading ``db`` (today in the machine's local time) on ``worker``."""
    return DashboardScreen(worker, lambda days: load_dashboard(db, days), refresh_s)
