"""Stations' reports of themselves (device states, queue, last failure), kept for the console.

A station sends its report as a header of every pull (``protocol.REPORT_HEADER``). The hub
keeps the latest per station; it writes only when the report changed or the kept one is a
minute old, so a quiet network of benches pulling every 15 s does not write on every pull.
A report that cannot be read never fails the pull: it is kept as a last error naming why.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from station.hub.console.models import StationReportRow
from station.hub.db import HubDatabase
from station.hub.models import utcnow
from station.sync.protocol import MAX_REPORT_BYTES, StationReport

REFRESH = timedelta(minutes=1)


def parse_report(text: str) -> dict[str, Any]:
    """The report as stored: its fields, or only a last error saying why it is unreadable."""
    if len(text) > MAX_REPORT_BYTES:
        return {"last_error": f"the station's report is over {MAX_REPORT_BYTES} bytes"}
    try:
        return StationReport.model_validate_json(text).model_dump()
    except (ValidationError, ValueError) as exc:
        reason = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        return {"last_error": f"the station's report could not be read: {reason}"[:300]}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def is_news(kept: StationReportRow | None, report: dict[str, Any]) -> bool:
    """True when ``report`` should be written over what is kept."""
    if kept is None or kept.report != report:
        return True
    return _aware(kept.reported_at) < utcnow() - REFRESH


def keep_report(hub: HubDatabase, station_id: int, text: str) -> None:
    """Keep a station's report if it is news (a read, and a short write only then)."""
    report = parse_report(text)
    with hub.read() as session:
        news = is_news(session.get(StationReportRow, station_id), report)
    if not news:
        return
    with hub.write() as session:
        row = session.get(StationReportRow, station_id)
        if row is None:
            session.add(
                StationReportRow(station_id=station_id, report=report, reported_at=utcnow())
            )
        else:
            row.report, row.reported_at = report, utcnow()


def report_of(session: Session, station_id: int) -> dict[str, Any] | None:
    """The station's latest report with ``reported_at``, or None if it never sent one."""
    row = session.get(StationReportRow, station_id)
    if row is None:
        return None
    return {**row.report, "reported_at": _aware(row.reported_at)}
