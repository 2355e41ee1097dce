"""The dashboard of a period: the queries' rows added up for everyone, each user, each bench.

All queries run in one read transaction (``BEGIN`` deferred), so the figures are of one
moment even while a packer commits scans on another connection, and the write lock is never
taken.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo

from station.dashboard import pack_info, queries
from station.dashboard.figures import (
    UTILISATION_EDGES,
    Dashboard,
    Figures,
    Group,
    OrderMix,
    OrderTime,
    Slot,
)
from station.dashboard.period import Period, period_for
from station.db import Database

NO_USER = "(no user)"
NO_STATION = "(no bench)"


@dataclass
class _Tally:
    """The running sums of one scope."""

    packs: int = 0
    hours: set[int] = field(default_factory=set)
    scans: int = 0
    wrong: int = 0
    exceptions: Counter[str] = field(default_factory=Counter)
    weighed: int = 0
    mismatched: int = 0
    orders: dict[OrderMix, list[float]] = field(default_factory=dict)
    boxed: int = 0
    utilisation: float = 0.0
    bands: list[int] = field(default_factory=lambda: [0] * (len(UTILISATION_EDGES) + 1))
    grades: Counter[str] = field(default_factory=Counter)
    dispositions: Counter[str] = field(default_factory=Counter)
    batch: int = 0
    confirmations: int = 0
    inserts: Counter[str] = field(default_factory=Counter)

    def figures(self) -> Figures:
        return Figures(
            packs=self.packs,
            active_hours=len(self.hours),
            scans=self.scans,
            wrong_scans=self.wrong,
            exceptions=dict(self.exceptions),
            weighed_packages=self.weighed,
            mismatched_packages=self.mismatched,
            order_time={m: OrderTime(tuple(s)) for m, s in self.orders.items()},
            boxed_packages=self.boxed,
            utilisation_sum=self.utilisation,
            utilisation_bands=tuple(self.bands),
            return_grades=dict(self.grades),
            return_dispositions=dict(self.dispositions),
            batch_packs=self.batch,
            instruction_confirmations=self.confirmations,
            inserts_added=self.inserts["added"],
            inserts_missing=self.inserts["missing"],
        )


Apply = Callable[[_Tally, queries.Row], None]


def _hour(t: _Tally, r: queries.Row) -> None:
    t.packs += int(r.values[0])
    t.hours.add(int(str(r.key)))


def _order(t: _Tally, r: queries.Row) -> None:
    t.orders.setdefault(OrderMix(str(r.key)), []).append(r.values[0])


def _scan(t: _Tally, r: queries.Row) -> None:
    t.scans += int(r.values[0])
    t.wrong += int(r.values[1])


def _exception(t: _Tally, r: queries.Row) -> None:
    t.exceptions[str(r.key)] += int(r.values[0])


def _weight(t: _Tally, r: queries.Row) -> None:
    t.weighed += int(r.values[0])
    t.mismatched += int(r.values[1])


def _box(t: _Tally, r: queries.Row) -> None:
    t.boxed += int(r.values[0])
    t.utilisation += r.values[1]
    for n, count in enumerate(r.values[2:]):
        t.bands[n] += int(count)


def _return(t: _Tally, r: queries.Row) -> None:
    grade, disposition = r.key if isinstance(r.key, tuple) else (r.key, "")
    t.grades[str(grade)] += int(r.values[0])
    if disposition:
        t.dispositions[str(disposition)] += int(r.values[0])


def _batch(t: _Tally, r: queries.Row) -> None:
    t.batch += int(r.values[0])


def _confirmation(t: _Tally, r: queries.Row) -> None:
    t.confirmations += int(r.values[0])


def _insert(t: _Tally, r: queries.Row) -> None:
    t.inserts[str(r.key)] += int(r.values[0])


_APPLY: tuple[tuple[Callable[[sqlite3.Cursor, Period], list[queries.Row]], Apply], ...] = (
    (queries.packs_by_hour, _hour),
    (queries.order_time, _order),
    (queries.scans, _scan),
    (queries.exceptions, _exception),
    (queries.weighings, _weight),
    (queries.boxes, _box),
    (queries.returns, _return),
    (queries.batch_packs, _batch),
    (pack_info.instruction_confirmations, _confirmation),
    (pack_info.inserts, _insert),
)


def compute(cur: sqlite3.Cursor, period: Period, computed_at: datetime | None = None) -> Dashboard:
    """The dashboard of ``period`` from the database behind ``cur`` (in its transaction)."""
    names = queries.user_names(cur)
    total = _Tally()
    users: dict[str, _Tally] = {}
    stations: dict[str, _Tally] = {}
    slots = [0] * len(period.hours)
    for query, apply in _APPLY:
        for row in query(cur, period):
            user_id, station = row.who
            user = names.get(user_id, NO_USER) if user_id is not None else NO_USER
            for tally in (
                total,
                users.setdefault(user, _Tally()),
                stations.setdefault(station or NO_STATION, _Tally()),
            ):
                apply(tally, row)
            if query is queries.packs_by_hour:
                slots[int(str(row.key))] += int(row.values[0])
    return Dashboard(
        period=period,
        computed_at=computed_at or datetime.now(UTC),
        total=total.figures(),
        throughput=_throughput(period, slots),
        by_user=_groups(users.items()),
        by_station=_groups(stations.items()),
    )


def _groups(tallies: Iterable[tuple[str, _Tally]]) -> tuple[Group, ...]:
    return tuple(Group(name, t.figures()) for name, t in sorted(tallies))


def _throughput(period: Period, packs: list[int]) -> tuple[Slot, ...]:
    """Hours for today; for a week, one slot per day with its packs and active hours."""
    if period.days == 1:
        return tuple(Slot(h.start, n, int(n > 0)) for h, n in zip(period.hours, packs, strict=True))
    days: dict[object, tuple[datetime, int, int]] = {}
    for hour, n in zip(period.hours, packs, strict=True):
        day = hour.start.date()
        start, total, active = days.get(day, (hour.start, 0, 0))
        days[day] = (start, total + n, active + (n > 0))
    return tuple(Slot(start, n, active) for start, n, active in days.values())


def load_dashboard(
    db: Database, days: int, *, now: datetime | None = None, tz: tzinfo | None = None
) -> Dashboard:
    """The dashboard of today (``days`` 1) or the last 7 days, read in one snapshot.

    ``tz`` is the station's zone (None: the machine's); ``now`` is the moment "today" is
    taken from (tests fix it).
    """
    moment = now or datetime.now(UTC)
    period = period_for(days, moment, tz)
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        cur.execute("BEGIN")  # deferred: a read snapshot, never the write lock
        try:
            return compute(cur, period, moment)
        finally:
            cur.execute("ROLLBACK")
            cur.close()
    finally:
        raw.close()
