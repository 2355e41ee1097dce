"""Orders import: headers, ship-to, lines and customs lines, from CSV or JSON.

CSV has one row per order line; the order's own columns are taken from its first row, and a
later row of the same order may leave them empty or repeat them but not contradict them. JSON
has one object per order with a ``lines`` array. In problem lines a JSON line's column is a
path such as ``lines[0].sku`` (0-based, as in JSON tools) while ``row N`` is the 1-based
object.

An order already in the database is replaced (header, ship-to, lines, customs lines) unless
the bench has started or finished packing it. Its status is kept when the file gives none, so
a re-sent order never reopens one that was cancelled or put on hold at the station.

This path is written for volume (100,000 orders, 250,000 rows, in about six seconds): rows
are read as lists through ``itemgetter``, each order's header is validated once rather than
per line, every look-up is one query per 5,000 keys into a dict, and rows are written as
tuples with one executemany per table (see ``insert_rows``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from station.db import Database
from station.db.models import (
    AuditEntry,
    CustomsLine,
    Order,
    OrderLine,
    OrderStatus,
    PackSession,
    Product,
    ShipTo,
    utcnow,
)
from station.importers.common import (
    FieldError,
    ImportReport,
    Problems,
    check_keys,
    chunks,
    country,
    currency,
    file_format,
    hs_code,
    insert_rows,
    non_negative,
    optional_text,
    paused_gc,
    read_csv,
    read_json_array,
    read_text,
    required_text,
    text,
    update_rows,
    whole,
)
from station.importers.common import quantity as parse_quantity

# Columns of the order itself, in the order of the raw header tuple.
HEADER = (
    "channel",
    "priority",
    "status",
    "ship_method",
    "gift_note",
    "currency",
    "tote",
    "customer_name",
    "email",
    "phone",
    "company",
    "street1",
    "street2",
    "city",
    "postcode",
    "region",
    "country",
    "carrier",
    "tracking_number",
)
# Columns of one line, in the order of the raw line tuple.
LINE = ("sku", "quantity", "hs_code", "origin_country", "customs_value", "customs_description")
REQUIRED = ("order_number", "sku", "quantity")
OPTIONAL = HEADER + LINE[2:]

SHIP_TO = HEADER[7:17]  # customer_name .. country
# Where an address is given at all, a label needs at least these.
SHIP_TO_REQUIRED = ("customer_name", "street1", "city", "country")
# Statuses a file may set; in_progress, packed and shipped belong to the bench.
IMPORTABLE_STATUS = {
    s.value: s for s in (OrderStatus.OPEN, OrderStatus.ON_HOLD, OrderStatus.CANCELLED)
}
# A tote holding an order in one of these may not be given to another order.
ACTIVE_STATUS = (OrderStatus.OPEN, OrderStatus.IN_PROGRESS, OrderStatus.ON_HOLD)

# The Core tables, for executemany inserts and updates without per-row ORM objects.
_orders = cast(Table, Order.__table__)
_lines = cast(Table, OrderLine.__table__)
_customs = cast(Table, CustomsLine.__table__)
_ship_to = cast(Table, ShipTo.__table__)

_header_max = {
    "channel": 64,
    "ship_method": 64,
    "gift_note": 2000,
    "tote": 64,
    "customer_name": 200,
    "email": 200,
    "phone": 64,
    "company": 200,
    "street1": 200,
    "street2": 200,
    "city": 100,
    "postcode": 32,
    "region": 100,
    "carrier": 64,
    "tracking_number": 64,
}


def _status(value: object) -> OrderStatus | None:
    s = text(value).lower()
    if not s:
        return None
    try:
        return IMPORTABLE_STATUS[s]
    except KeyError:
        raise FieldError(f"not one of {', '.join(IMPORTABLE_STATUS)} ({s!r})") from None


# How each header column is parsed, by position in HEADER: text with a length limit, or a
# parser of its own.
_TEXT_FIELDS = tuple((i, c, _header_max[c]) for i, c in enumerate(HEADER) if c in _header_max)
_OTHER_FIELDS: tuple[tuple[int, str, Callable[[object], Any]], ...] = tuple(
    (HEADER.index(c), c, parse)
    for c, parse in (
        ("priority", whole),
        ("status", _status),
        ("currency", currency),
        ("country", country),
    )
)
# _validate unpacks the header by position and relies on this layout.
assert HEADER[7:17] == SHIP_TO and HEADER[-2:] == ("carrier", "tracking_number")

_CUSTOMS_COLUMNS = (
    "description",
    "hs_code",
    "origin_country",
    "quantity",
    "value",
    "currency",
    "weight_g",
)

# A validated line: row, column prefix ("" or "lines[i]."), sku, quantity, and the customs
# fields as given (hs_code, origin_country, value per unit, description), None when empty.
_Line = tuple[int, str, str, int, str | None, str | None, float | None, str | None]


@dataclass(slots=True)
class _Group:
    """The raw rows of one order as read: its first row, header values and lines."""

    row: int
    number: str
    header: tuple[Any, ...]
    lines: list[tuple[int, str, tuple[Any, ...]]]  # (row, column prefix, raw line values)


@dataclass(slots=True)
class _Draft:
    """One validated order, ready for the database checks."""

    row: int
    number: str
    values: dict[str, Any]  # orders columns except number, status, ship_to_id, timestamps
    status: OrderStatus | None  # None: keep the stored status, or open for a new order
    ship_to: dict[str, Any] | None
    lines: list[_Line]


def import_orders(db: Database, path: Path, *, station: str = "") -> ImportReport:
    """Import an orders file (.csv or .json) in one transaction, or raise ImportFailed."""
    with paused_gc():
        return _import_orders(db, path, station)


def _import_orders(db: Database, path: Path, station: str) -> ImportReport:
    started = time.perf_counter()
    fmt = file_format(path)
    source = read_text(path)
    problems = Problems()
    groups, rows = _read_csv(source, problems) if fmt == "csv" else _read_json(source, problems)
    drafts = [_validate(g, problems) for g in groups]
    with db.session() as session:
        # Database checks and writes share one write transaction (BEGIN IMMEDIATE): nothing
        # checked can change before it is written.
        products = _products(session, drafts, problems)
        existing = _existing_orders(session, drafts, problems)
        _check_totes(session, drafts, problems)
        customs = _customs_rows(drafts, products, problems)
        problems.raise_if_any()
        details = _write(session, drafts, products, existing, customs)
        created = len(drafts) - len(existing)
        session.add(
            AuditEntry(
                station=station,
                action="import.orders",
                detail={
                    "file": str(path),
                    "rows": rows,
                    "created": created,
                    "updated": len(existing),
                },
            )
        )
        session.commit()
    return ImportReport(
        kind="orders",
        file=str(path),
        rows=rows,
        created=created,
        updated=len(existing),
        seconds=time.perf_counter() - started,
        details=details,
    )


# ---- reading -------------------------------------------------------------------------------


def _read_csv(source: str, problems: Problems) -> tuple[list[_Group], int]:
    table = read_csv(source, REQUIRED, OPTIONAL, problems)
    if problems:
        return [], len(table.rows)
    (i_number,) = table.index(["order_number"])
    header_of = itemgetter(*table.index(HEADER))
    line_of = itemgetter(*table.index(LINE))
    groups: dict[str, _Group] = {}
    for n, row in enumerate(table.rows, start=1):
        number = row[i_number].strip()
        if not number or len(number) > 64:
            problems.add(
                n, "order_number", "required" if not number else "longer than 64 characters"
            )
            continue
        header = header_of(row)
        group = groups.get(number)
        if group is None:
            groups[number] = _Group(n, number, header, [(n, "", line_of(row))])
            continue
        if header != group.header:
            _check_repeated_header(n, header, group, problems)
        group.lines.append((n, "", line_of(row)))
    return list(groups.values()), len(table.rows)


def _check_repeated_header(
    n: int, header: tuple[Any, ...], group: _Group, problems: Problems
) -> None:
    """A later row of an order may leave its columns empty or repeat them, not change them."""
    for column, value, first in zip(HEADER, header, group.header, strict=True):
        later = value.strip()
        if later and later != first.strip():
            problems.add(
                n,
                column,
                f"{later!r} conflicts with {first.strip()!r} on row {group.row} "
                f"(order {group.number})",
            )


def _read_json(source: str, problems: Problems) -> tuple[list[_Group], int]:
    items = read_json_array(source)
    groups: list[_Group] = []
    first_row: dict[str, int] = {}
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.row(n, "expected an object")
            continue
        check_keys(item, n, ("order_number", "lines", *HEADER), problems)
        try:
            number = required_text(item.get("order_number"), 64)
        except FieldError as exc:
            problems.add(n, "order_number", str(exc))
            continue
        if number in first_row:
            problems.add(n, "order_number", f"{number!r} is also at row {first_row[number]}")
            continue
        first_row[number] = n
        raw_lines = item.get("lines")
        if not isinstance(raw_lines, list) or not raw_lines:
            problems.add(n, "lines", "an order needs a non-empty array of lines")
            continue
        lines: list[tuple[int, str, tuple[Any, ...]]] = []
        for i, line in enumerate(raw_lines):
            prefix = f"lines[{i}]."
            if not isinstance(line, dict):
                problems.add(n, f"lines[{i}]", "expected an object")
                continue
            check_keys(line, n, LINE, problems, prefix)
            lines.append((n, prefix, tuple(line.get(c) for c in LINE)))
        groups.append(_Group(n, number, tuple(item.get(c) for c in HEADER), lines))
    return groups, len(items)


# ---- validating (no database) --------------------------------------------------------------


def _validate(group: _Group, problems: Problems) -> _Draft:
    """Check an order's header and lines, recording problems."""
    n = group.row
    raw = group.header
    v: list[Any] = list(raw)
    # Positional, not by name: this runs once per order, 100,000 times for a large file.
    for i, column, max_len in _TEXT_FIELDS:
        value = raw[i]
        if type(value) is str:
            value = value.strip()
            if len(value) <= max_len:
                v[i] = value or None
                continue
        try:
            v[i] = optional_text(value, max_len)
        except FieldError as exc:
            problems.add(n, column, str(exc))
    for i, column, parse in _OTHER_FIELDS:
        try:
            v[i] = parse(raw[i])
        except FieldError as exc:
            problems.add(n, column, str(exc))
    (
        channel,
        priority,
        status,
        ship_method,
        gift_note,
        order_currency,
        tote,
        *ship_values,
        carrier,
        tracking_number,
    ) = v
    values = {
        "tote": tote,
        "channel": channel or "web",
        "priority": priority or 0,
        "ship_method": ship_method or "standard",
        "gift_note": gift_note,
        "currency": order_currency or "EUR",
        "carrier": carrier,
        "tracking_number": tracking_number,
    }
    ship_to = _ship_to_of(n, ship_values, problems) if any(ship_values) else None
    lines = [ln for ln in (_validate_line(*raw_line, problems) for raw_line in group.lines) if ln]
    # Returned even with problems (then it is checked against the database but never written).
    return _Draft(n, group.number, values, status, ship_to, lines)


def _ship_to_of(n: int, values: list[Any], problems: Problems) -> dict[str, Any] | None:
    ship = dict(zip(SHIP_TO, values, strict=True))
    ok = True
    for column in SHIP_TO_REQUIRED:
        if not ship[column]:
            problems.add(n, column, "required when an address is given")
            ok = False
    email = ship["email"]
    if email and ("@" not in email or email.startswith("@") or email.endswith("@")):
        problems.add(n, "email", f"not an e-mail address ({email!r})")
        ok = False
    if not ok:
        return None
    # Non-null columns of ship_to are "" rather than None when not given.
    ship["postcode"] = ship["postcode"] or ""
    return ship


def _validate_line(n: int, prefix: str, raw: tuple[Any, ...], problems: Problems) -> _Line | None:
    """Parse one line; None only when it has no SKU to check against the catalog.

    A line with other problems is still returned, so that its SKU is looked up too and the
    file's problems are reported all at once; nothing is written while any problem stands.
    """
    sku_raw, qty_raw, hs_raw, origin_raw, value_raw, desc_raw = raw
    # Fast path for the usual CSV cell ("2"); anything else goes through the full parsers.
    if type(qty_raw) is str and qty_raw.isdigit() and qty_raw.isascii() and qty_raw[0] != "0":
        qty = int(qty_raw)
    else:
        try:
            qty = parse_quantity(qty_raw)
        except FieldError as exc:
            problems.add(n, prefix + "quantity", str(exc))
            qty = 0
    if type(sku_raw) is str and sku_raw and not sku_raw[0].isspace() and len(sku_raw) <= 64:
        sku = sku_raw.rstrip()
    else:
        try:
            sku = required_text(sku_raw, 64)
        except FieldError as exc:
            problems.add(n, prefix + "sku", str(exc))
            sku = ""
    hs = origin = desc = None
    value = None
    if hs_raw or origin_raw or value_raw or desc_raw:
        ok = True
        try:
            hs = hs_code(hs_raw)
        except FieldError as exc:
            problems.add(n, prefix + "hs_code", str(exc))
            ok = False
        try:
            origin = country(origin_raw)
        except FieldError as exc:
            problems.add(n, prefix + "origin_country", str(exc))
            ok = False
        try:
            value = non_negative(value_raw)
        except FieldError as exc:
            problems.add(n, prefix + "customs_value", str(exc))
            ok = False
        try:
            desc = optional_text(desc_raw, 200)
        except FieldError as exc:
            problems.add(n, prefix + "customs_description", str(exc))
            ok = False
        if ok and hs is None:
            # Customs data without an HS code would be silently dropped: say so instead.
            problems.add(n, prefix + "hs_code", "required when customs columns are given")
    if not sku:
        return None
    return (n, prefix, sku, qty, hs, origin, value, desc)


# ---- checks against the database -----------------------------------------------------------


@dataclass(frozen=True)
class _ProductInfo:
    id: int
    name: str
    weight_g: float | None
    unit_value: float | None
    origin_country: str | None


def _products(
    session: Session, drafts: Sequence[_Draft], problems: Problems
) -> dict[str, _ProductInfo]:
    """Product of every SKU the file names (one query per chunk); unknown SKUs are problems."""
    skus = sorted({ln[2] for d in drafts for ln in d.lines})
    found: dict[str, _ProductInfo] = {}
    for part in chunks(skus):
        for sku, pid, name, weight, value, origin in session.execute(
            select(
                Product.sku,
                Product.id,
                Product.name,
                Product.unit_weight_g,
                Product.unit_value,
                Product.origin_country,
            ).where(Product.sku.in_(part))
        ):
            found[sku] = _ProductInfo(pid, name, weight, value, origin)
    if len(found) < len(skus):
        for d in drafts:
            for ln in d.lines:
                if ln[2] not in found:
                    problems.add(ln[0], ln[1] + "sku", f"unknown SKU {ln[2]!r}")
    return found


@dataclass(frozen=True)
class _Existing:
    id: int
    status: OrderStatus
    ship_to_id: int | None


def _existing_orders(
    session: Session, drafts: Sequence[_Draft], problems: Problems
) -> dict[str, _Existing]:
    """Orders of the file already stored; those the bench has touched cannot be replaced."""
    found: dict[str, _Existing] = {}
    for part in chunks([d.number for d in drafts]):
        for number, oid, status, ship_to_id in session.execute(
            select(Order.number, Order.id, Order.status, Order.ship_to_id).where(
                Order.number.in_(part)
            )
        ):
            found[number] = _Existing(oid, OrderStatus(status), ship_to_id)
    if not found:
        return found
    # Scans and exceptions point at order lines; an order with a pack session (even a parked
    # one, whose status may still say open) keeps its lines.
    started: set[int] = set()
    for id_part in chunks([e.id for e in found.values()]):
        started.update(
            session.scalars(
                select(PackSession.order_id).where(PackSession.order_id.in_(id_part)).distinct()
            )
        )
    for d in drafts:
        e = found.get(d.number)
        if e is None:
            continue
        if e.status in (OrderStatus.PACKED, OrderStatus.SHIPPED):
            problems.add(d.row, "order_number", f"order {d.number} is already {e.status.value}")
        elif e.status is OrderStatus.IN_PROGRESS or e.id in started:
            problems.add(d.row, "order_number", f"order {d.number} is being packed at the bench")
    return found


def _check_totes(session: Session, drafts: Sequence[_Draft], problems: Problems) -> None:
    """A tote scan must find one order: two active orders may not share a tote."""
    holder: dict[str, _Draft] = {}
    for d in drafts:
        tote = d.values["tote"]
        if not tote or d.status is OrderStatus.CANCELLED:
            continue
        other = holder.get(tote)
        if other is not None:
            problems.add(d.row, "tote", f"{tote} is also given to order {other.number}")
        else:
            holder[tote] = d
    numbers = {d.number for d in drafts}
    for part in chunks(sorted(holder)):
        for number, tote in session.execute(
            select(Order.number, Order.tote).where(
                Order.tote.in_(part), Order.status.in_(ACTIVE_STATUS)
            )
        ):
            # An order re-imported by this file gives up its old tote.
            if number not in numbers and tote is not None:
                d = holder[tote]
                problems.add(d.row, "tote", f"{tote} holds order {number}, still to be packed")


def _customs_rows(
    drafts: Sequence[_Draft], products: Mapping[str, _ProductInfo], problems: Problems
) -> dict[str, list[dict[str, Any]]]:
    """Customs lines per order number; what a line leaves out comes from its product."""
    result: dict[str, list[dict[str, Any]]] = {}
    for d in drafts:
        for n, prefix, sku, qty, hs, given_origin, given_value, desc in d.lines:
            if hs is None:
                continue
            product = products.get(sku)
            if product is None:
                continue  # already reported as an unknown SKU
            origin = given_origin or product.origin_country
            value = given_value if given_value is not None else product.unit_value
            if origin is None:
                problems.add(n, prefix + "origin_country", f"required: SKU {sku!r} has none")
            if value is None:
                problems.add(n, prefix + "customs_value", f"required: SKU {sku!r} has no value")
            if origin is None or value is None:
                continue
            row = {
                "description": desc or product.name[:200],
                "hs_code": hs,
                "origin_country": origin,
                "quantity": qty,
                # customs_value is per unit; a CN22/CN23 line declares the line's total.
                "value": round(value * qty, 2),
                "currency": d.values["currency"],
                "weight_g": None if product.weight_g is None else product.weight_g * qty,
            }
            assert tuple(row) == _CUSTOMS_COLUMNS
            result.setdefault(d.number, []).append(row)
    return result


# ---- writing -------------------------------------------------------------------------------


def _write(
    session: Session,
    drafts: Sequence[_Draft],
    products: Mapping[str, _ProductInfo],
    existing: Mapping[str, _Existing],
    customs: Mapping[str, list[dict[str, Any]]],
) -> dict[str, int]:
    """Write every order in the open transaction; return secondary counts."""
    now = utcnow()
    # Ids are assigned here, not by SQLite, so lines and ship-to rows can be written with
    # plain executemany and no RETURNING round trip. The transaction holds the write lock,
    # so max(id) cannot move underneath.
    next_order = (session.scalar(select(func.max(Order.id))) or 0) + 1
    next_ship = (session.scalar(select(func.max(ShipTo.id))) or 0) + 1
    # Rows are tuples in the column order below: at 100,000 orders, a dict per row was a
    # measurable share of the import.
    ship_rows: list[tuple[Any, ...]] = []
    new_orders: list[tuple[Any, ...]] = []
    changed_orders: list[tuple[Any, ...]] = []
    line_rows: list[tuple[int, int, int, int]] = []
    customs_rows: list[tuple[Any, ...]] = []
    for d in drafts:
        ship_to_id = None
        if d.ship_to is not None:
            ship_to_id = next_ship
            next_ship += 1
            ship_rows.append((ship_to_id, *d.ship_to.values()))
        stored = existing.get(d.number)
        if stored is None:
            order_id = next_order
            next_order += 1
            status = d.status or OrderStatus.OPEN
            new_orders.append(
                (order_id, d.number, *d.values.values(), status, ship_to_id, now, now)
            )
        else:
            order_id = stored.id
            status = d.status or stored.status
            # The number, the key it was found by, is not SET: SQLite would rewrite its unique
            # index entry for nothing.
            changed_orders.append((order_id, *d.values.values(), status, ship_to_id, now))
        line_rows.extend(
            (order_id, line_no, products[ln[2]].id, ln[3])
            for line_no, ln in enumerate(d.lines, start=1)
        )
        customs_rows.extend((order_id, *row.values()) for row in customs.get(d.number, ()))

    if drafts:
        first = drafts[0]
        insert_rows(session, _ship_to, ("id", *SHIP_TO), ship_rows)
        order_columns = (
            "id",
            "number",
            *first.values,
            "status",
            "ship_to_id",
            "created_at",
            "updated_at",
        )
        insert_rows(session, _orders, order_columns, new_orders)
    if changed_orders:
        columns = (*drafts[0].values, "status", "ship_to_id", "updated_at")
        update_rows(session, _orders, columns, changed_orders)
        ids = [row[0] for row in changed_orders]
        for part in chunks(ids):
            session.execute(delete(_lines).where(_lines.c.order_id.in_(part)))
            session.execute(delete(_customs).where(_customs.c.order_id.in_(part)))
        # The replaced ship-to rows are personal data nobody points at any more.
        old_ship = [e.ship_to_id for e in existing.values() if e.ship_to_id is not None]
        for part in chunks(old_ship):
            session.execute(delete(_ship_to).where(_ship_to.c.id.in_(part)))
    insert_rows(session, _lines, ("order_id", "line_no", "product_id", "quantity"), line_rows)
    insert_rows(session, _customs, ("order_id", *_CUSTOMS_COLUMNS), customs_rows)
    return {
        "lines": len(line_rows),
        "customs_lines": len(customs_rows),
        "addresses": len(ship_rows),
    }
