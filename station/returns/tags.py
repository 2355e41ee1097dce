"""A tag per disposed unit (disposition, grade, destination) through the print queue.

The tag is the ``return-tag`` label template (``station.labels``), queued with a job key per
unit, so a retried disposal or the catch-up after a restart can never print it twice: only an
operator's reprint does (``PrintQueue.reprint``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from station.config import Settings
from station.config.returns import ReturnSettings
from station.db import Database
from station.labels.escpos import DEFAULT_PROFILE
from station.labels.render import render
from station.labels.rules import check_applies
from station.labels.service import render_order_label
from station.labels.templates import load_template
from station.outbox import sql_time
from station.printing.queue import PrintQueue

TEMPLATE = "return-tag"


@dataclass(frozen=True)
class TagRequest:
    """What a unit's tag says and where it is filed."""

    item_id: int
    rma: str
    order_number: str | None
    order_id: int | None
    sku: str | None
    grade: str | None
    disposition: str
    destination: str
    user_id: int | None = None


TagSink = Callable[[TagRequest], None]


def job_key(item_id: int) -> str:
    """The print job key of a unit's tag: one tag per unit."""
    return f"return-item:{item_id}:tag"


def tag_id(item_id: int) -> str:
    """The code on the tag (Code 128): finds the unit again at the next station."""
    return f"RI-{item_id}"


def tag_fields(tag: TagRequest) -> dict[str, str]:
    """The template's ``fields``."""
    return {
        "tag_id": tag_id(tag.item_id),
        "disposition": tag.disposition.replace("_", " ").upper(),
        "grade": tag.grade or "",
        "destination": tag.destination,
        "sku": tag.sku or "",
        "rma": tag.rma,
    }


def render_tag(db: Database, settings: Settings, tag: TagRequest, fmt: str) -> bytes:
    """The tag's bytes in ``fmt``; a unit with no local order gets the tag without it."""
    fields = tag_fields(tag)
    if tag.order_number is not None and tag.order_id is not None:
        return render_order_label(db, settings, tag.order_number, TEMPLATE, fmt, fields=fields)
    context = check_applies(TEMPLATE, {"order": {"number": ""}, "fields": fields})
    label = load_template(TEMPLATE).fill(context)
    profile = settings.devices.printer.profile or DEFAULT_PROFILE
    return render(label, fmt, dpi=settings.labels.dpi, profile=profile)


class QueuedTags:
    """A ``TagSink`` that renders each tag and puts it on the print queue."""

    def __init__(self, db: Database, settings: Settings, queue: PrintQueue) -> None:
        self._db = db
        self._settings = settings
        self._queue = queue
        returns = settings.returns
        self.printer = returns.tag_printer or settings.devices.printer.name
        self.language = returns.tag_language

    def __call__(self, tag: TagRequest) -> None:
        """Queue the tag (a second call for the same unit is a no-op)."""
        payload = render_tag(self._db, self._settings, tag, self.language)
        self._queue.enqueue(
            job_key(tag.item_id),
            TEMPLATE,
            self.language,
            self.printer,
            payload,
            order_id=tag.order_id,
            user_id=tag.user_id,
        )


def missing_tags(
    cur: sqlite3.Cursor, station: str, settings: ReturnSettings, since: datetime
) -> list[TagRequest]:
    """Units this station disposed of since ``since`` whose tag never reached the queue."""
    rows = cur.execute(
        "SELECT ri.id, r.number, r.order_number, i.order_id, ri.sku, ri.grade, ri.disposition,"
        " i.user_id FROM return_items ri JOIN inspections i ON i.id = ri.inspection_id"
        " JOIN rmas r ON r.id = ri.rma_id WHERE i.station = ? AND ri.status = 'disposed'"
        " AND ri.decided_at >= ? AND NOT EXISTS (SELECT 1 FROM print_jobs p"
        " WHERE p.job_key = 'return-item:' || ri.id || ':tag')",
        (station, sql_time(since)),
    ).fetchall()
    return [
        TagRequest(
            int(item_id),
            rma,
            order_number,
            order_id,
            sku,
            grade,
            disposition,
            settings.destination(disposition),
            user_id,
        )
        for item_id, rma, order_number, order_id, sku, grade, disposition, user_id in rows
    ]
