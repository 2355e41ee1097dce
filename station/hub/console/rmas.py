"""RMAs created and edited in the console, through the same checks as an RMA file.

A form is turned into the object an RMA file's JSON entry is (``rma_format``) and put by
``station.hub.imports.put_rma_drafts`` under the feed lock, so a typed RMA passes every
check a file's does (known order, SKUs on it, no more than ordered) and reaches the
stations through the change feed like an imported one. An RMA whose parcel a bench has
already received is no longer edited here: the bench's inspection stands, and stations keep
such an RMA as it is anyway (``station.returns.rmas.upsert_rmas``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.hub.console.jsontext import JsonText, printable
from station.hub.feed import get_record, lock_feed
from station.hub.imports import put_rma_drafts
from station.hub.models import HubEvent, HubRecord, HubStation
from station.hub.rma_format import parse_rma_object
from station.importers.common import ImportFailed, Problems

LISTED = 100
MAX_ITEMS = 50
RECEIVED_TYPES = ("return.inspection_started", "return.scan", "return.inspection_completed")
FIELDS = ("rma_number", "order_number", "status", "return_label", "tracking_number", "note")


class RmaRefused(ValueError):  # noqa: N818 - an answer to the form, like ConsoleRefused
    """The form cannot become an RMA; ``problems`` says why, one reason a line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RmaRow:
    """An RMA in the console's list."""

    number: str
    order_number: str
    status: str
    items: int
    tracking_number: str | None
    station: str | None


def rma_rows(session: Session, order: str | None = None) -> list[RmaRow]:
    """The newest RMAs (or those of ``order``), newest change first."""
    query = select(HubRecord.key, HubRecord.data).where(
        HubRecord.entity == "rma", HubRecord.deleted.is_(False)
    )
    if order:
        query = query.where(JsonText(HubRecord.data, "order_number") == order)
    rows = []
    # "+ 0": the RMAs are found by an index on their entity and then sorted; a planner that
    # walked the change numbers' index for the ORDER BY would pass every order of the hub.
    newest = (HubRecord.change_seq + 0).desc()
    for key, data in session.execute(query.order_by(newest).limit(LISTED)):
        d: dict[str, Any] = data or {}
        rows.append(
            RmaRow(
                number=str(key),
                order_number=str(d.get("order_number") or ""),
                status=str(d.get("status") or "open"),
                items=sum(int(i.get("quantity") or 0) for i in d.get("items") or []),
                tracking_number=d.get("tracking_number"),
                station=d.get("station"),
            )
        )
    return rows


def rma_record(session: Session, number: str) -> dict[str, Any] | None:
    """The RMA's record as the change feed holds it, or None."""
    return get_record(session, "rma", number)


def received_by(session: Session, number: str) -> str | None:
    """The station that has received this RMA's parcel, or None if none has yet."""
    name = session.scalar(
        select(HubStation.name)
        .join(HubEvent, HubEvent.station_id == HubStation.id)
        .where(
            HubEvent.status == "acked",
            HubEvent.type.in_(RECEIVED_TYPES),
            JsonText(HubEvent.payload, "rma") == number,
        )
        .limit(1)
    )
    return None if name is None else str(name)


def items_text(record: dict[str, Any] | None) -> str:
    """An RMA's items as the form's text: ``SKU, quantity, reason`` a line."""
    lines = []
    for item in (record or {}).get("items") or []:
        parts = [str(item.get("sku") or ""), str(item.get("quantity") or "")]
        if item.get("reason"):
            parts.append(str(item["reason"]))
        lines.append(", ".join(parts))
    return "\n".join(lines)


def _items(text: str, problems: list[str]) -> list[dict[str, str]]:
    rows = [r for r in csv.reader(line for line in text.splitlines() if line.strip())]
    if len(rows) > MAX_ITEMS:
        problems.append(f"items: at most {MAX_ITEMS} lines")
        return []
    items = []
    for n, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if len(cells) < 2:
            problems.append(f"items line {n}: write SKU, quantity (and a reason if any)")
            continue
        item = {"sku": cells[0], "quantity": cells[1]}
        reason = ", ".join(c for c in cells[2:] if c)
        if reason:
            item["reason"] = reason
        items.append(item)
    return items


def save_rma(session: Session, form: dict[str, str], *, number: str | None = None) -> bool:
    """Create (``number`` None) or edit the RMA of ``form``; True if it is new.

    In the caller's write transaction. RmaRefused naming every problem; nothing is written
    then.
    """
    problems = [
        f"{key}: holds a control character"
        for key, value in form.items()
        if key in (*FIELDS, "items") and not printable(value)
    ]
    if number is not None and not printable(number):
        problems.append("rma_number: holds a control character")
    if problems:
        raise RmaRefused(problems)
    item = {k: form.get(k, "").strip() for k in FIELDS}
    if number is not None:
        item["rma_number"] = number
    item["status"] = item["status"] or "open"
    payload: dict[str, Any] = {k: v for k, v in item.items() if v}
    payload["items"] = _items(form.get("items", ""), problems)
    lock_feed(session)
    before = rma_record(session, item["rma_number"]) if item["rma_number"] else None
    if number is None and before is not None:
        problems.append(f"rma_number: RMA {item['rma_number']} exists already: edit it instead")
    if number is not None and before is None:
        problems.append(f"there is no RMA {number} to edit")
    if number is not None and before is not None:
        station = received_by(session, number)
        if station:
            problems.append(
                f"{station} has received this RMA's parcel: it can no longer be changed here"
            )
    checks = Problems()
    for problem in problems:
        checks.row(1, problem)
    draft = parse_rma_object(1, payload, checks)
    try:
        if draft is None:
            checks.raise_if_any()
            raise ImportFailed(["the form holds no RMA"])  # parse_rma_object says why
        # With problems already found, this checks the order too, then refuses: every
        # problem is named at once, and nothing is written.
        created = put_rma_drafts(session, [draft], checks)
    except ImportFailed as exc:
        raise RmaRefused(_without_row(exc.problems)) from None
    return created == 1


def _without_row(problems: list[str]) -> list[str]:
    # One form is "row 1" of the file format: the row says nothing here.
    return [p.removeprefix("row 1: ") for p in problems]
