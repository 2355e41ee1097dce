"""The dashboard's SQL: each figure summed in SQLite per (user, bench) over a period.

Every query is a range on an indexed time column (migration 0005 adds the indexes), so a
week on a database of years reads that week's rows only; the rows come back already summed
per user and bench, and ``station.dashboard.load`` adds them up into the total, the users
and the benches. Times are the UTC text of ``station.outbox.sql_time``, which orders as it
reads.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from station.dashboard.figures import UTILISATION_EDGES
from station.dashboard.period import Period
from station.packing.boxes import SMALL_ITEM_MM
from station.packing.verdicts import Verdict

# Scans that decided on an item: counted, or refused because the item was wrong for the box.
# Prompts (a serial is needed, a supervisor must come) decide nothing and are left out.
WRONG_VERDICTS = (
    Verdict.WRONG_ITEM,
    Verdict.OVER_SCAN,
    Verdict.UNKNOWN_CODE,
    Verdict.DUPLICATE_SERIAL,
    Verdict.EXPIRED_LOT,
)
ITEM_VERDICTS = (Verdict.ACCEPTED, *WRONG_VERDICTS)

# A product the catalog gives no size for counts as the box suggestion counts it.
_SMALL_MM3 = SMALL_ITEM_MM[0] * SMALL_ITEM_MM[1] * SMALL_ITEM_MM[2]


def _quoted(verdicts: Sequence[Verdict]) -> str:
    return ", ".join(f"'{v.value}'" for v in verdicts)


# A unary + keeps SQLite off the status indexes: nearly every session is completed and nearly
# every unit assessed, so a status index would read the whole table; the time index reads
# only the period.
_COMPLETED = "+ps.status = 'completed'"

Who = tuple[int | None, str | None]  # user id, bench


@dataclass(frozen=True)
class Row:
    """One summed row: whose it is, an optional key (hour, kind, mix...) and the numbers."""

    who: Who
    key: object
    values: tuple[float, ...]


def _rows(cur: sqlite3.Cursor, sql: str, args: Sequence[object], keyed: int) -> list[Row]:
    """Rows of ``user_id, station, key columns (``keyed``), numbers...``."""
    out = []
    for row in cur.execute(sql, args).fetchall():
        key = row[2] if keyed == 1 else tuple(row[2 : 2 + keyed]) if keyed else None
        values = tuple(float(v or 0) for v in row[2 + keyed :])
        out.append(Row((row[0], row[1]), key, values))
    return out


def packs_by_hour(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Completed orders per local hour of the period (key: the hour's index)."""
    marks = ", ".join("(?, ?, ?)" for _ in period.hours)
    args: list[object] = []
    for n, hour in enumerate(period.hours):
        args += [n, hour.lo, hour.hi]
    sql = (
        f"WITH h(i, lo, hi) AS (VALUES {marks})"
        " SELECT ps.user_id, ps.station, h.i, count(*) FROM h"
        " JOIN pack_sessions ps ON ps.ended_at >= h.lo AND ps.ended_at < h.hi"
        f" WHERE {_COMPLETED} GROUP BY ps.user_id, ps.station, h.i"
    )
    return _rows(cur, sql, args, 1)


# Materialized: the mix is worked out once per order, not once for the SELECT and again for
# the GROUP BY. Several SKUs is min < max of the lines' products (a DISTINCT count would
# build a temporary B-tree per order).
_ORDER_TIME = (
    "WITH o AS MATERIALIZED (SELECT ps.user_id, ps.station,"
    " (SELECT CASE WHEN min(l.product_id) < max(l.product_id) THEN 'mixed'"
    " WHEN sum(l.quantity) > 1 THEN 'multi_unit' ELSE 'single' END"
    " FROM order_lines l WHERE l.order_id = ps.order_id) AS mix,"
    " (julianday(ps.ended_at) - julianday(ps.started_at)) * 86400.0 AS seconds"
    f" FROM pack_sessions ps WHERE {_COMPLETED} AND ps.ended_at >= ? AND ps.ended_at < ?)"
    " SELECT user_id, station, mix, seconds FROM o"
)


def order_time(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Each order completed: its mix (the key) and its seconds from open to complete.

    One row per order, not a sum: the dashboard shows the median, which a sum cannot give
    (one order left open over a break would otherwise make a packer look several times
    slower). A period's rows are its orders, a few thousand for a busy week.
    """
    return _rows(cur, _ORDER_TIME, (period.lo, period.hi), 1)


_SCANS = (
    "SELECT user_id, station, count(*),"
    f" sum(verdict IN ({_quoted(WRONG_VERDICTS)})) FROM scans"
    " WHERE created_at >= ? AND created_at < ? AND undone = 0"
    f" AND verdict IN ({_quoted(ITEM_VERDICTS)}) GROUP BY user_id, station"
)


def scans(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Item scans and wrong ones, by who scanned at which bench.

    An undone scan decided nothing (the unit went back out of the box), so it is left out
    here as the box-use query leaves it out.
    """
    return _rows(cur, _SCANS, (period.lo, period.hi), 0)


_EXCEPTIONS = (
    "SELECT e.requested_by, ps.station, e.kind, count(*) FROM exceptions e"
    " LEFT JOIN pack_sessions ps ON ps.id = e.session_id"
    " WHERE e.created_at >= ? AND e.created_at < ? GROUP BY e.requested_by, ps.station, e.kind"
)


def exceptions(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Exceptions (short-ship, damage, quantity and weight overrides) by kind and requester."""
    return _rows(cur, _EXCEPTIONS, (period.lo, period.hi), 1)


_WEIGHT = (
    "SELECT ps.user_id, ps.station, count(*), sum(w.failed) FROM"
    " (SELECT package_id, max(decision = 'fail') AS failed FROM weight_readings"
    " WHERE created_at >= ? AND created_at < ? AND decision IN ('pass', 'fail')"
    " GROUP BY package_id) w"
    " JOIN packages p ON p.id = w.package_id JOIN pack_sessions ps ON ps.id = p.session_id"
    " GROUP BY ps.user_id, ps.station"
)


def weighings(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Packages weighed (a pass or a fail) and those that failed at least once."""
    return _rows(cur, _WEIGHT, (period.lo, period.hi), 0)


def _bands(column: str) -> str:
    """``sum(...)`` per utilisation band: below the first edge, between edges, above the last."""
    edges = UTILISATION_EDGES
    parts = [f"sum({column} < {edges[0]})"]
    parts += [f"sum({column} >= {lo} AND {column} < {hi})" for lo, hi in pairwise(edges)]
    parts.append(f"sum({column} >= {edges[-1]})")
    return ", ".join(parts)


# Materialized: each package's utilisation is worked out once, not once per band.
_BOXES = (
    "WITH x AS MATERIALIZED (SELECT p.session_id, coalesce((SELECT sum(s.quantity * CASE"
    " WHEN pr.length_mm > 0 AND pr.width_mm > 0 AND pr.height_mm > 0"
    f" THEN pr.length_mm * pr.width_mm * pr.height_mm ELSE {_SMALL_MM3} END)"
    " FROM scans s JOIN products pr ON pr.id = s.product_id"
    " WHERE s.package_id = p.id AND s.verdict = 'accepted' AND s.undone = 0), 0)"
    " / (b.inner_length_mm * b.inner_width_mm * b.inner_height_mm) AS u"
    " FROM packages p JOIN box_types b ON b.id = p.box_type_id"
    " WHERE +p.status = 'closed' AND p.closed_at >= ? AND p.closed_at < ?"
    " AND b.inner_length_mm * b.inner_width_mm * b.inner_height_mm > 0)"
    f" SELECT ps.user_id, ps.station, count(*), sum(x.u), {_bands('x.u')} FROM x"
    " JOIN pack_sessions ps ON ps.id = x.session_id GROUP BY ps.user_id, ps.station"
)


def boxes(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Packages closed with a box type: count, summed utilisation, and count per band."""
    return _rows(cur, _BOXES, (period.lo, period.hi), 0)


_RETURNS = (
    "SELECT i.user_id, i.station, ri.grade, coalesce(ri.disposition, ''), count(*)"
    " FROM return_items ri JOIN inspections i ON i.id = ri.inspection_id"
    " WHERE ri.created_at >= ? AND ri.created_at < ? AND +ri.status IN ('assessed', 'disposed')"
    " AND ri.grade IS NOT NULL GROUP BY i.user_id, i.station, ri.grade, ri.disposition"
)


def returns(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Returned units graded, by grade and disposition (key: (grade, disposition))."""
    return _rows(cur, _RETURNS, (period.lo, period.hi), 2)


# A batch pack: a completed session opened by the item itself (batch mode, issue 18 point 1),
# so its first scan is the item's; a session opened by its order or tote starts with that scan.
_BATCH = (
    "SELECT ps.user_id, ps.station, count(*) FROM pack_sessions ps"
    f" WHERE {_COMPLETED} AND ps.ended_at >= ? AND ps.ended_at < ?"
    " AND (SELECT s.kind FROM scans s WHERE s.session_id = ps.id ORDER BY s.id LIMIT 1)"
    " IN ('product', 'other') GROUP BY ps.user_id, ps.station"
)


def batch_packs(cur: sqlite3.Cursor, period: Period) -> list[Row]:
    """Orders completed in single-item batch mode (picked by the scan of their item)."""
    return _rows(cur, _BATCH, (period.lo, period.hi), 0)


def user_names(cur: sqlite3.Cursor) -> dict[int, str]:
    """Every user's name by id."""
    return {int(i): str(n) for i, n in cur.execute("SELECT id, name FROM users")}


QUERIES = (
    packs_by_hour,
    order_time,
    scans,
    exceptions,
    weighings,
    boxes,
    returns,
    batch_packs,
)
