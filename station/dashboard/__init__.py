"""The shift dashboard: packs per hour, scan accuracy, exceptions, weight mismatches, time per
order, box utilisation and returns, for today or the last 7 days, per user and per bench."""

from station.dashboard.figures import Dashboard, Figures, Group, OrderMix, OrderTime, Slot
from station.dashboard.load import compute, load_dashboard
from station.dashboard.period import Period, period_for

__all__ = [
    "Dashboard",
    "Figures",
    "Group",
    "OrderMix",
    "OrderTime",
    "Period",
    "Slot",
    "compute",
    "load_dashboard",
    "period_for",
]
