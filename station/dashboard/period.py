"""The dashboard's period: today or the last 7 days in the station's local time, as UTC bounds.

The database stores UTC (``station.outbox.sql_time``); a shift lives in local time. So the
period and its hours are cut at local midnights and local hours and then turned into the UTC
text the columns hold, which keeps every query a plain range on an indexed column. Hours are
stepped in UTC from local midnight, so a day with a daylight-saving change has 23 or 25 of
them, each a real hour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from station.outbox import sql_time

PERIOD_DAYS = (1, 7)
HOUR = timedelta(hours=1)


def local_midnight(day: date, tz: tzinfo | None) -> datetime:
    """The UTC moment local ``day`` begins (``tz`` None: the machine's own zone)."""
    naive = datetime.combine(day, time())
    # A naive datetime's astimezone() reads it as the machine's local time (DST included).
    local = naive if tz is None else naive.replace(tzinfo=tz)
    return local.astimezone(UTC)


def to_local(moment: datetime, tz: tzinfo | None) -> datetime:
    """A UTC moment in the station's zone (aware)."""
    return moment.astimezone(tz) if tz is not None else moment.astimezone()


@dataclass(frozen=True)
class Hour:
    """One hour of the period: its local start and its UTC bounds as stored text."""

    start: datetime  # local, aware
    lo: str  # UTC, sql_time form, inclusive
    hi: str  # exclusive


@dataclass(frozen=True)
class Period:
    """Today (``days`` 1) or today and the six days before (``days`` 7), local time."""

    days: int
    first_day: date
    start: datetime  # UTC
    end: datetime  # UTC: the local midnight after today
    hours: tuple[Hour, ...]
    until: datetime  # UTC: the moment the figures are seen at (nothing later counts)

    @property
    def lo(self) -> str:
        """Start as stored text (inclusive)."""
        return sql_time(self.start)

    @property
    def hi(self) -> str:
        """End as stored text (exclusive): the local midnight, or ``until`` if earlier."""
        return sql_time(min(self.end, self.until))

    @property
    def day_list(self) -> tuple[date, ...]:
        """The local days of the period, oldest first."""
        return tuple(self.first_day + timedelta(days=n) for n in range(self.days))


def period_for(days: int, now: datetime, tz: tzinfo | None = None) -> Period:
    """The period of ``days`` (1 or 7) ending with the local day of ``now``.

    The period's days run to the next local midnight (the chart shows the whole day), but
    its queries stop at ``now``: the figures "as seen at 12:00" leave out the afternoon.
    """
    if days not in PERIOD_DAYS:
        raise ValueError(f"days must be 1 (today) or 7 (the last 7 days), not {days}")
    today = to_local(now, tz).date()
    first = today - timedelta(days=days - 1)
    start = local_midnight(first, tz)
    end = local_midnight(today + timedelta(days=1), tz)
    hours = []
    lo = start
    until = now.astimezone(UTC)
    while lo < end:
        hi = min(lo + HOUR, end)
        # An hour after ``now`` gets an empty range (lo == hi), so it counts nothing.
        hours.append(Hour(to_local(lo, tz), sql_time(lo), sql_time(max(lo, min(hi, until)))))
        lo = hi
    return Period(days, first, start, end, tuple(hours), until)
