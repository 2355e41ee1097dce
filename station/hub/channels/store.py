"""Taking shop orders into the hub's orders, through the hub's own import path.

Each order is first checked against what the hub knows, in the same write transaction that
then imports it (holding the feed lock, so nothing checked can change underneath):

- the same content from the same shop order again (webhook and poll, two polls): nothing;
- a line whose SKU (or barcode) the catalog does not know: the order is not taken, and a
  ``channel_unknown_sku`` conflict names it and the SKUs for a supervisor (never dropped
  silently, never guessed); the next sync tries again, so adding the product is enough;
- the hub order already packed (or being packed) and the shop's version changed since it
  was taken: a ``channel_changed_after_packing`` conflict, the hub order untouched;
- the number taken by another order (another shop's ``#1001``, a file import): a
  ``channel_number_taken`` conflict;
- otherwise the order goes through ``import_orders_in`` like a file's row, so it passes the
  same checks; an order the importer refuses becomes a ``channel_invalid_order`` conflict
  with the importer's reasons, and the others are taken.

A cancelled or held order changes the hub order's status, which reaches the stations through
the change feed like any imported status.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.hub.channels.order import ChannelOrder
from station.hub.db import HubDatabase
from station.hub.feed import live_records, lock_feed
from station.hub.imports import OrderScope, import_orders_in
from station.hub.models import HubChannel, HubChannelOrder, HubConflict, HubRecord, utcnow
from station.importers import ImportFailed

# The hub's statuses after which a shop's edit is no longer applied silently.
STARTED = frozenset({"in_progress", "packed", "shipped"})
_ROW = re.compile(r"^row (\d+): ")


@dataclass
class TakeReport:
    """What one batch of shop orders did at the hub."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # order number -> why

    def merge(self, other: TakeReport) -> None:
        """Add ``other``'s lists to this one's."""
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.refused.update(other.refused)


@dataclass(frozen=True)
class _Catalog:
    skus: dict[str, str | None]  # sku -> hs_code
    barcodes: dict[str, str]  # code as given -> sku


def _catalog(session: Session) -> _Catalog:
    skus: dict[str, str | None] = {}
    barcodes: dict[str, str] = {}
    for sku, data in live_records(session, "product"):
        skus[sku] = data.get("hs_code")
        for code in data.get("barcodes") or []:
            barcodes[str(code.get("raw"))] = sku
            barcodes[str(code.get("code"))] = sku
    return _Catalog(skus, barcodes)


def channel_row(session: Session, name: str) -> HubChannel:
    """The channel called ``name``; KeyError if none."""
    row = session.scalars(select(HubChannel).where(HubChannel.name == name)).one_or_none()
    if row is None:
        raise KeyError(f"no channel named {name!r}")
    return row


def take_orders(hub: HubDatabase, channel: str, orders: Sequence[ChannelOrder]) -> TakeReport:
    """Check and import ``orders`` from ``channel`` in one hub transaction."""
    with hub.write() as session:
        lock_feed(session)
        return take_orders_in(session, channel_row(session, channel), orders)


def take_orders_in(
    session: Session, channel: HubChannel, orders: Sequence[ChannelOrder]
) -> TakeReport:
    """``take_orders`` inside the caller's transaction (feed lock held)."""
    report = TakeReport()
    catalog = _catalog(session)
    links = {
        link.remote_id: link
        for link in session.scalars(
            select(HubChannelOrder).where(
                HubChannelOrder.channel_id == channel.id,
                HubChannelOrder.remote_id.in_([o.remote_id for o in orders]),
            )
        )
    }
    # One query for every order's current record, not one per order.
    current = {
        str(key): dict(data)
        for key, data in session.execute(
            select(HubRecord.key, HubRecord.data).where(
                HubRecord.entity == "order",
                HubRecord.deleted.is_(False),
                HubRecord.key.in_([o.number for o in orders]),
            )
        )
        if data is not None
    }
    rows: list[tuple[ChannelOrder, dict[str, Any], bool]] = []
    for order in orders:
        digest = order.content_sha256()
        link = links.get(order.remote_id)
        if link is not None and link.content_sha256 == digest:
            if order.remote_refs and order.remote_refs != link.remote_refs:
                link.remote_refs = order.remote_refs  # a poll after the webhook knows them
            report.unchanged.append(order.number)
            continue
        record = current.get(order.number)
        if record is None and order.status == "cancelled":
            report.unchanged.append(order.number)  # cancelled before the hub took it
            continue
        if record is not None and link is None:
            owner = session.scalars(
                select(HubChannelOrder).where(HubChannelOrder.order_number == order.number)
            ).first()
            where = "another shop" if owner is not None else "an order imported from a file"
            _refuse(
                session,
                report,
                channel,
                order,
                "channel_number_taken",
                f"order number {order.number} is already used by {where}",
            )
            continue
        if record is not None and (record.get("status") in STARTED or record.get("packed_by")):
            _refuse(
                session,
                report,
                channel,
                order,
                "channel_changed_after_packing",
                f"order {order.number} changed in the shop after it was packed "
                f"({record.get('status')}); the hub kept the packed version",
            )
            if link is not None:
                link.content_sha256 = digest  # raised once per edit, not once per poll
            continue
        resolved, unknown = _resolve_lines(order, catalog)
        if unknown:
            _refuse(
                session,
                report,
                channel,
                order,
                "channel_unknown_sku",
                f"order {order.number}: not in the catalog: {', '.join(unknown)}",
                {"skus": unknown},
            )
            continue
        rows.append(
            (
                order,
                {"order_number": order.number, **order.header, "lines": resolved},
                record is None,
            )
        )
    _import(session, channel, rows, report)
    return report


def _resolve_lines(
    order: ChannelOrder, catalog: _Catalog
) -> tuple[list[dict[str, Any]], list[str]]:
    lines: list[dict[str, Any]] = []
    unknown: list[str] = []
    for line in order.lines:
        sku = line.sku if line.sku in catalog.skus else None
        if sku is None and line.barcode:
            sku = catalog.barcodes.get(line.barcode)
        if sku is None:
            unknown.append(line.sku or (f"barcode {line.barcode}" if line.barcode else "(no SKU)"))
            continue
        entry: dict[str, Any] = {"sku": sku, "quantity": line.quantity}
        hs = catalog.skus[sku]
        if hs and line.unit_value is not None:
            # Customs: the catalog's tariff code, the value the customer paid.
            entry.update(hs_code=hs, customs_value=line.unit_value)
        lines.append(entry)
    return lines, unknown


def _import(
    session: Session,
    channel: HubChannel,
    rows: list[tuple[ChannelOrder, dict[str, Any], bool]],
    report: TakeReport,
) -> None:
    """Import the rows; an order the importer refuses is set aside and the rest retried."""
    while rows:
        with tempfile.TemporaryDirectory(prefix="hub-channel-") as folder:
            path = Path(folder) / "orders.json"
            path.write_text(json.dumps([data for _, data, _ in rows]), encoding="utf-8")
            try:
                import_orders_in(session, path, _scope(data for _, data, _ in rows))
            except ImportFailed as exc:
                bad = _refused_rows(exc.problems, len(rows))
                for index in sorted(bad):
                    order = rows[index][0]
                    _refuse(
                        session,
                        report,
                        channel,
                        order,
                        "channel_invalid_order",
                        f"order {order.number}: " + "; ".join(bad[index])[:500],
                    )
                rows = [r for i, r in enumerate(rows) if i not in bad]
                continue
        break
    now = utcnow()
    existing = {
        link.remote_id: link
        for link in session.scalars(
            select(HubChannelOrder).where(
                HubChannelOrder.channel_id == channel.id,
                HubChannelOrder.remote_id.in_([o.remote_id for o, _, _ in rows]),
            )
        )
    }
    for order, _, created in rows:
        (report.created if created else report.updated).append(order.number)
        link = existing.get(order.remote_id)
        if link is None:
            session.add(
                HubChannelOrder(
                    channel_id=channel.id,
                    remote_id=order.remote_id,
                    order_number=order.number,
                    remote_refs=order.remote_refs,
                    content_sha256=order.content_sha256(),
                    updated_at=now,
                )
            )
        else:
            link.remote_refs = order.remote_refs
            link.content_sha256 = order.content_sha256()
            link.updated_at = now


def _scope(rows: Iterable[dict[str, Any]]) -> OrderScope:
    """The numbers and totes of the rows about to be imported: what the import checks."""
    numbers: set[str] = set()
    totes: set[str] = set()
    for data in rows:
        numbers.add(str(data["order_number"]))
        if data.get("tote"):
            totes.add(str(data["tote"]).strip())
    return OrderScope(frozenset(numbers), frozenset(totes))


def _refused_rows(problems: list[str], count: int) -> dict[int, list[str]]:
    """Problems by 0-based order index; a problem naming no row refuses them all."""
    bad: dict[int, list[str]] = {}
    for problem in problems:
        match = _ROW.match(problem)
        if match and 1 <= int(match.group(1)) <= count:
            bad.setdefault(int(match.group(1)) - 1, []).append(problem[match.end() :])
        else:
            for i in range(count):
                bad.setdefault(i, []).append(problem)
    return bad


def _refuse(
    session: Session,
    report: TakeReport,
    channel: HubChannel,
    order: ChannelOrder,
    kind: str,
    message: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Record a conflict for a supervisor (once while open) and note the refusal."""
    report.refused[order.number] = message
    open_already = session.scalars(
        select(HubConflict.id).where(
            HubConflict.kind == kind,
            HubConflict.order_number == order.number,
            HubConflict.resolved_at.is_(None),
        )
    ).first()
    if open_already is None:
        detail = {"channel": channel.name, "remote_id": order.remote_id, "message": message}
        session.add(
            HubConflict(kind=kind, order_number=order.number, detail={**detail, **(extra or {})})
        )
