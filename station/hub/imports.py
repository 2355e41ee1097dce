"""``station hub import {catalog,orders,rmas}``: files into the change feed, all or nothing.

Catalog and orders are validated by the station's own importers in a scratch database (see
``station.importers.scratch``), so a file the hub takes is one a station would take. The whole
import runs inside one hub write transaction holding the feed lock: nothing it checked against can
change before its records are numbered, and stations see the file's records all at once.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.hub.db import HubDatabase
from station.hub.feed import get_record, live_records, lock_feed, put_records
from station.hub.models import HubCatalogImage, HubRecord
from station.hub.rma_format import RmaDraft, parse_rmas
from station.hub.sites import known_sites
from station.importers import ImportReport, import_catalog, import_orders
from station.importers.common import ImportFailed, Problems
from station.importers.images import Fetch
from station.importers.scratch import (
    imported_images,
    imported_orders,
    imported_products,
    scratch_database,
    seed_catalog,
    seed_orders,
)
from station.sync.records import ProductRecord, RmaItemRecord, RmaRecord

# Keys per IN list: under SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 1000


def _catalog(session: Session) -> list[ProductRecord]:
    return [ProductRecord.model_validate(data) for _, data in live_records(session, "product")]


def import_catalog_file(hub: HubDatabase, path: Path, fetch: Fetch | None = None) -> ImportReport:
    """Import a catalog file; ImportFailed (nothing changed) if any row is wrong.

    ``fetch`` reads an ``image`` given as a URL (``station.hub.image_fetch``: allowed hosts
    only); the pictures are kept in ``hub_catalog_images`` for the stations to download.
    """
    with hub.write() as session:
        lock_feed(session)
        with scratch_database() as scratch:
            seed_catalog(scratch, _catalog(session), barcodes=True)
            report = import_catalog(scratch, path, station="hub", fetch=fetch)
            records = imported_products(scratch)
            images = imported_images(scratch)
        have = set(
            session.scalars(
                select(HubCatalogImage.sha256).where(HubCatalogImage.sha256.in_(list(images)))
            )
        )
        for sha, (media, data) in images.items():
            if sha not in have:
                session.add(HubCatalogImage(sha256=sha, media_type=media, data=data))
        put_records(session, "product", [(r.sku, r.model_dump()) for r in records])
    return report


def import_orders_file(hub: HubDatabase, path: Path) -> ImportReport:
    """Import an orders file (a ``status`` column cancels or holds centrally)."""
    with hub.write() as session:
        lock_feed(session)
        return import_orders_in(session, path)


def import_orders_in(session: Session, path: Path, scope: OrderScope | None = None) -> ImportReport:
    """Import an orders file inside the caller's write transaction, which holds the feed lock.

    The shop connectors (``station.hub.channels``) take their orders through here too, so an
    order from a shop is checked by the same rules as one from a file. They pass ``scope``
    (the file's order numbers and totes, which they wrote): the importer is then given only
    the hub orders it can check against, not every order the hub holds (see ``OrderScope``).
    """
    with scratch_database() as scratch:
        seed_catalog(scratch, _catalog(session), barcodes=False)
        seed_orders(scratch, _order_headers(session, scope))
        report = import_orders(scratch, path, station="hub")
        records = imported_orders(scratch)
    sites = known_sites(session)
    unknown = sorted({r.site for r in records if r.site is not None and r.site not in sites})
    if unknown:
        raise ImportFailed(
            [f"site: unknown site {s!r} (known: {', '.join(sorted(sites))})" for s in unknown]
        )
    before = _packed_fields(session, [r.number for r in records])
    items = []
    for record in records:
        # What the hub learnt from the stations survives a re-import.
        record.packed_by, record.packed_at = before.get(record.number, (None, None))
        items.append((record.number, record.model_dump()))
    put_records(session, "order", items)
    return report


@dataclass(frozen=True)
class OrderScope:
    """The order numbers and totes a file holds: all an orders import checks the hub against.

    The importer looks existing orders up by the file's numbers (update, or refuse one the
    bench has started) and active orders up by the file's totes (a tote holds one order);
    no other order can change its verdict. Seeding only these keeps a shop's batch of 1,000
    orders as fast with 100,000 orders at the hub as with none: the whole list of headers
    (one JSON read per order held, and one scratch row each) grew with every order taken.
    """

    numbers: frozenset[str]
    totes: frozenset[str] = frozenset()


def _order_headers(session: Session, scope: OrderScope | None) -> list[tuple[str, str, str | None]]:
    """(number, status, tote) of the hub orders the import is checked against."""
    query = select(
        HubRecord.key,
        HubRecord.data["status"].as_string(),
        HubRecord.data["tote"].as_string(),
    ).where(HubRecord.entity == "order", HubRecord.deleted.is_(False))
    found: dict[str, tuple[str, str, str | None]] = {}
    if scope is None:
        parts: list[Any] = [query]
    else:
        numbers = sorted(scope.numbers)
        # By the (entity, key) index, in chunks that stay under any bound-parameter limit.
        parts = [
            query.where(HubRecord.key.in_(numbers[i : i + _CHUNK]))
            for i in range(0, len(numbers), _CHUNK)
        ]
        if scope.totes:
            # No index on a record's tote: only a file that gives totes pays for this scan.
            parts.append(query.where(HubRecord.data["tote"].as_string().in_(sorted(scope.totes))))
    for part in parts:
        for key, status, tote in session.execute(part):
            found[str(key)] = (str(key), status or "open", tote)
    return list(found.values())


def _packed_fields(session: Session, numbers: list[str]) -> dict[str, tuple[Any, Any]]:
    """(packed_by, packed_at) the hub holds for each of ``numbers`` that it has (one query per
    chunk, not one per order)."""
    found: dict[str, tuple[Any, Any]] = {}
    for i in range(0, len(numbers), _CHUNK):
        for key, data in session.execute(
            select(HubRecord.key, HubRecord.data).where(
                HubRecord.entity == "order",
                HubRecord.deleted.is_(False),
                HubRecord.key.in_(numbers[i : i + _CHUNK]),
            )
        ):
            if data is not None:
                found[str(key)] = (data.get("packed_by"), data.get("packed_at"))
    return found


def import_rmas_file(hub: HubDatabase, path: Path) -> ImportReport:
    """Import return authorisations: each names a known order and SKUs it holds."""
    started = time.perf_counter()
    problems = Problems()
    drafts = parse_rmas(path, problems)
    with hub.write() as session:
        lock_feed(session)
        created = put_rma_drafts(session, drafts, problems)
    return ImportReport(
        kind="rmas",
        file=str(path),
        rows=sum(len(d.lines) for d in drafts),
        created=created,
        updated=len(drafts) - created,
        seconds=time.perf_counter() - started,
    )


def put_rma_drafts(session: Session, drafts: list[RmaDraft], problems: Problems) -> int:
    """Check RMAs against their orders and put them in the change feed; how many are new.

    In the caller's write transaction, which holds the feed lock. ImportFailed (nothing put)
    if ``problems`` holds anything afterwards. The console's RMA form comes through here too,
    so an RMA typed in is checked like one from a file.
    """
    created = 0
    items = []
    for d in drafts:
        order = get_record(session, "order", d.order_number)
        if order is None:
            problems.add(d.row, "order_number", f"unknown order {d.order_number!r}")
            continue
        ordered: dict[str, int] = {}
        for line in order.get("lines", []):
            ordered[line["sku"]] = ordered.get(line["sku"], 0) + int(line["quantity"])
        returned: dict[str, int] = {}
        for row, sku, qty, _ in d.lines:
            returned[sku] = returned.get(sku, 0) + qty
            if sku not in ordered:
                problems.add(row, "sku", f"{sku!r} is not on order {d.order_number}")
            elif returned[sku] > ordered[sku]:
                problems.add(
                    row, "quantity", f"{returned[sku]} is more than the {ordered[sku]} ordered"
                )
        before = get_record(session, "rma", d.number)
        record = RmaRecord(
            number=d.number,
            order_number=d.order_number,
            status=d.status,
            items=[
                RmaItemRecord(sku=sku, quantity=qty, reason=reason)
                for _, sku, qty, reason in d.lines
            ],
            # An RMA a bench created keeps the name of that bench through an edit.
            station=(before or {}).get("station"),
            **d.labels,
        )
        created += before is None
        items.append((d.number, record.model_dump()))
    problems.raise_if_any()
    put_records(session, "rma", items)
    return created
