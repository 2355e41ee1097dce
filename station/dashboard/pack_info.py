"""The dashboard's counts of what packers read and added (issue 18, points 2-3): packing
instructions confirmed, and inserts added or missed, by who and at which bench."""

from __future__ import annotations

import sqlite3

from station.dashboard.period import Period
from station.dashboard.queries import Row, _rows

_CONFIRMATIONS = (
    "SELECT s.user_id, s.station, count(*) FROM scans s"
    " WHERE s.created_at >= ? AND s.created_at < ? AND s.verdict = 'instruction_confirmed'"
    " GROUP BY s.user_id, s.station"
)

_INSERTS = (
    "SELECT i.user_id, ps.station, i.status, count(*) FROM pack_inserts i"
    " JOIN pack_sessions ps ON ps.id = i.session_id"
    " WHERE i.at >= ? AND i.at < ? GROUP BY i.user_id, ps.station, i.status"
)


def instruction_confirmations(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Packing instructions confirmed (one per product and pack that required it)."""
    return _rows(cur, _CONFIRMATIONS, (period.lo, period.hi), 0)


def inserts(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Inserts by status (``added``, ``missing``): who packed, at which bench."""
    return _rows(cur, _INSERTS, (period.lo, period.hi), 1)
