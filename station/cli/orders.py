"""``station orders list``: the order book, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy.orm import Session

from station.cli.opening import open_or_say
from station.config import Settings
from station.db.engine import reader
from station.db.models import OrderStatus
from station.orders import OrderSummary, list_orders

_COLUMNS = ("NUMBER", "STATUS", "PRI", "CHANNEL", "TOTE", "LINES", "UNITS")


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``orders list`` to the ``station`` parser."""
    orders = sub.add_parser("orders", help="orders at this station")
    commands = orders.add_subparsers(dest="orders_command", required=True, metavar="COMMAND")
    ls = commands.add_parser("list", help="list orders, most urgent first")
    ls.add_argument("--status", choices=[s.value for s in OrderStatus], help="only this status")
    ls.add_argument("--limit", type=_limit, default=50, help="at most this many (50)")
    ls.add_argument("--json", action="store_true", help="print a JSON array")
    ls.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print the orders as a table, or as JSON with ``--json``."""
    db = open_or_say(settings)
    if db is None:
        return 2
    try:
        # A read-only transaction (BEGIN DEFERRED): listing never holds the write lock.
        with Session(reader(db.engine)) as session:
            rows = list_orders(session, status=args.status, limit=args.limit)
    finally:
        db.close()
    if args.json:
        print(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
    else:
        print(format_table(rows))
    return 0


def format_table(rows: list[OrderSummary]) -> str:
    """The orders as aligned text columns under a header line."""
    if not rows:
        return "no orders"
    cells = [
        (r.number, r.status, str(r.priority), r.channel, r.tote or "-", str(r.lines), str(r.units))
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [_COLUMNS, *cells]) for i in range(len(_COLUMNS))]
    numeric = {2, 5, 6}  # right-aligned so digits line up

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(
            v.rjust(w) if i in numeric else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    return "\n".join([line(_COLUMNS), *(line(c) for c in cells)])
