"""The dashboard on a day of demo activity, for ``station-screenshot --screen dashboard``."""

from __future__ import annotations

from collections.abc import Callable

from station.config import Settings
from station.db import Database
from station.tools.demo import seed_demo
from station.tools.demo.activity import seed_activity
from ui.composition import Station
from ui.dashboard.screen import DashboardScreen

Wait = Callable[[Callable[[], bool]], None]
SUPERVISOR_BADGE = "BADGE-SAM"


def drive_dashboard(
    station: Station, db: Database, settings: Settings, wait: Wait, *, days: int = 1
) -> None:
    """Pack and inspect the demo orders of today's working hours (or of the last ``days``),
    sign a supervisor in, open the dashboard on today."""
    seed_demo(db, orders=25 * days, products=40, seed=3)
    seed_activity(db, settings, days=days)
    window = station.window
    window.submit_code(SUPERVISOR_BADGE)
    wait(lambda: window.current_screen() == "pack")
    window.show_screen("dashboard")
    screen = window.findChild(DashboardScreen)
    if screen is None:
        raise RuntimeError("this station has no dashboard screen")
    wait(lambda: screen.board is not None)
