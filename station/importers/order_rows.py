"""The columns of an orders file, and its rows read into one group per order (CSV or JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from station.importers.common import (
    FieldError,
    Problems,
    check_keys,
    read_csv,
    read_json_array,
    required_text,
)

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
    "site",
    "service",
    "carrier_label",
)
# Columns of one line, in the order of the raw line tuple.
LINE = ("sku", "quantity", "hs_code", "origin_country", "customs_value", "customs_description")
REQUIRED = ("order_number", "sku", "quantity")
OPTIONAL = HEADER + LINE[2:]

SHIP_TO = HEADER[7:17]  # customer_name .. country


@dataclass(slots=True)
class _Group:
    """The raw rows of one order as read: its first row, header values and lines."""

    row: int
    number: str
    header: tuple[Any, ...]
    lines: list[tuple[int, str, tuple[Any, ...]]]  # (row, column prefix, raw line values)


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
