"""Return authorisations file (CSV or JSON): parsed and checked with the importers' helpers.

CSV has one row per item: ``rma_number``, ``order_number``, ``sku``, ``quantity`` required;
per RMA ``status`` (``open`` or ``cancelled``), ``return_label``, ``tracking_number``, ``note``;
per item ``reason``. An RMA's own columns come from its first row; a later row may leave them
empty or repeat them but not change them. JSON is an array of ``{"rma_number",
"order_number", "status", "return_label", "tracking_number", "note", "items": [{"sku",
"quantity", "reason"}]}``.
Problems read ``row N: column: reason`` as in the other imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.importers.common import (
    FieldError,
    Problems,
    check_keys,
    file_format,
    optional_text,
    quantity,
    read_csv,
    read_json_array,
    read_text,
    required_text,
    text,
)

REQUIRED = ("rma_number", "order_number", "sku", "quantity")
HEADER = ("order_number", "status", "return_label", "tracking_number", "note")
OPTIONAL = ("status", "return_label", "tracking_number", "note", "reason")
# Receiving and received belong to the bench that opens the parcel.
STATUSES = ("open", "cancelled")


@dataclass
class RmaDraft:
    """One RMA as read: its first row, its own fields and (row, sku, quantity, reason) lines."""

    row: int
    number: str
    order_number: str
    status: str
    labels: dict[str, str | None] = field(default_factory=dict)  # return_label, tracking, note
    lines: list[tuple[int, str, int, str | None]] = field(default_factory=list)


def _status(value: object) -> str:
    s = text(value).lower() or "open"
    if s not in STATUSES:
        raise FieldError(f"not one of {', '.join(STATUSES)} ({s!r})")
    return s


def parse_rmas(path: Path, problems: Problems) -> list[RmaDraft]:
    """Every RMA of the file; what is wrong goes to ``problems``."""
    fmt = file_format(path)
    source = read_text(path)
    return _csv(source, problems) if fmt == "csv" else _json(source, problems)


def _field(
    n: int, column: str, parse: Callable[[object], Any], value: object, problems: Problems
) -> Any:
    try:
        return parse(value)
    except FieldError as exc:
        problems.add(n, column, str(exc))
        return None


def _header(n: int, get: Callable[[str], object], problems: Problems) -> RmaDraft | None:
    number = _field(n, "rma_number", lambda v: required_text(v, 64), get("rma_number"), problems)
    order = _field(n, "order_number", lambda v: required_text(v, 64), get("order_number"), problems)
    status = _field(n, "status", _status, get("status"), problems)
    labels = {
        column: _field(n, column, lambda v: optional_text(v, 64), get(column), problems)
        for column in ("return_label", "tracking_number")
    }
    labels["note"] = _field(n, "note", lambda v: optional_text(v, 2000), get("note"), problems)
    if number is None or order is None or status is None:
        return None
    return RmaDraft(n, number, order, status, labels)


def _line(
    n: int, prefix: str, get: Callable[[str], object], problems: Problems
) -> tuple[int, str, int, str | None] | None:
    sku = _field(n, prefix + "sku", lambda v: required_text(v, 64), get("sku"), problems)
    qty = _field(n, prefix + "quantity", quantity, get("quantity"), problems)
    reason = _field(n, prefix + "reason", lambda v: optional_text(v, 200), get("reason"), problems)
    if sku is None or qty is None:
        return None
    return (n, sku, qty, reason)


def _csv(source: str, problems: Problems) -> list[RmaDraft]:
    table = read_csv(source, REQUIRED, OPTIONAL, problems)
    if problems:
        return []
    drafts: dict[str, RmaDraft] = {}
    for n, row in enumerate(table.rows, start=1):
        record: Mapping[str, object] = dict(zip(table.columns, row, strict=False))
        head = _header(n, record.get, problems)
        if head is None:
            continue
        draft = drafts.setdefault(head.number, head)
        mine = {"order_number": head.order_number, "status": head.status, **head.labels}
        first = {"order_number": draft.order_number, "status": draft.status, **draft.labels}
        for column in HEADER:
            if mine[column] != first[column] and text(record.get(column)):
                problems.add(
                    n,
                    column,
                    f"{mine[column]!r} conflicts with {first[column]!r} on row {draft.row}",
                )
        line = _line(n, "", record.get, problems)
        if line is not None:
            draft.lines.append(line)
    return list(drafts.values())


def parse_rma_object(n: int, item: Mapping[str, Any], problems: Problems) -> RmaDraft | None:
    """One RMA given as an object (a JSON file's entry, the console's form) as row ``n``."""
    check_keys(item, n, ("rma_number", "items", *HEADER), problems)
    head = _header(n, item.get, problems)
    lines = item.get("items")
    if not isinstance(lines, list) or not lines:
        problems.add(n, "items", "an RMA needs a non-empty array of items")
        return None
    if head is None:
        return None
    for i, raw in enumerate(lines):
        if not isinstance(raw, dict):
            problems.add(n, f"items[{i}]", "expected an object")
            continue
        check_keys(raw, n, ("sku", "quantity", "reason"), problems, f"items[{i}].")
        line = _line(n, f"items[{i}].", raw.get, problems)
        if line is not None:
            head.lines.append(line)
    return head


def _json(source: str, problems: Problems) -> list[RmaDraft]:
    drafts: list[RmaDraft] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(read_json_array(source), start=1):
        if not isinstance(item, dict):
            problems.row(n, "expected an object")
            continue
        head = parse_rma_object(n, item, problems)
        if head is None:
            continue
        if head.number in seen:
            problems.add(n, "rma_number", f"{head.number!r} is also at row {seen[head.number]}")
            continue
        seen[head.number] = n
        drafts.append(head)
    return drafts
