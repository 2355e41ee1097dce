"""Validating an order's header, ship-to and lines as read, without the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from station.db.models import OrderStatus
from station.importers.common import (
    FieldError,
    Problems,
    country,
    currency,
    hs_code,
    non_negative,
    optional_text,
    required_text,
    text,
    whole,
)
from station.importers.common import quantity as parse_quantity
from station.importers.order_rows import HEADER, SHIP_TO, _Group

# Where an address is given at all, a label needs at least these.
SHIP_TO_REQUIRED = ("customer_name", "street1", "city", "country")
# Statuses a file may set; in_progress, packed and shipped belong to the bench.
IMPORTABLE_STATUS = {
    s.value: s for s in (OrderStatus.OPEN, OrderStatus.ON_HOLD, OrderStatus.CANCELLED)
}

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
    "site": 64,
    "service": 100,
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
assert HEADER[7:17] == SHIP_TO and HEADER[17:] == (
    "carrier", "tracking_number", "site", "service", "carrier_label",
)  # fmt: skip

# A validated line: row, column prefix ("" or "lines[i]."), sku, quantity, and the customs
# fields as given (hs_code, origin_country, value per unit, description), None when empty.
_Line = tuple[int, str, str, int, str | None, str | None, float | None, str | None]


@dataclass(slots=True)
class _Draft:
    """One validated order, ready for the database checks."""

    row: int
    number: str
    values: dict[str, Any]  # orders columns except number, status, ship_to_id, timestamps
    status: OrderStatus | None  # None: keep the stored status, or open for a new order
    ship_to: dict[str, Any] | None
    lines: list[_Line]
    carrier_label: object = None  # the cell as given; read by station.importers.orders


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
        site,
        service,
        carrier_label,
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
        "site": site,
        "service": service,
        "carrier_label_format": None,  # set when the carrier_label cell is read and kept
        "carrier_label_sha256": None,
    }
    if carrier_label not in (None, "") and not (carrier and tracking_number):
        for column, given in (("carrier", carrier), ("tracking_number", tracking_number)):
            if not given:
                problems.add(n, column, "required with carrier_label")
    ship_to = _ship_to_of(n, ship_values, problems) if any(ship_values) else None
    lines = [ln for ln in (_validate_line(*raw_line, problems) for raw_line in group.lines) if ln]
    # Returned even with problems (then it is checked against the database but never written).
    return _Draft(n, group.number, values, status, ship_to, lines, carrier_label)


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
    # Fast path for the usual CSV cell ("2"); anything else goes through the full parsers
    # (which refuse what SQLite cannot store: a 20-digit quantity failed the whole import).
    if (
        type(qty_raw) is str
        and qty_raw.isdigit()
        and qty_raw.isascii()
        and qty_raw[0] != "0"
        and len(qty_raw) < 10
    ):
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
