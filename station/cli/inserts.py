"""``station inserts [list|count CODE N]``: the inserts of ``[[packing.inserts]]`` and their
stock at this bench; ``count`` sets the stock after a delivery or a count (audited)."""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from datetime import UTC, datetime
from typing import Any

from station.cli.opening import open_or_say
from station.config import Settings
from station.packing.inserts import restock
from station.packing.journal import Journal


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add ``inserts`` to the ``station`` parser."""
    p = sub.add_parser("inserts", help="inserts by rule and their stock at this bench")
    actions = p.add_subparsers(dest="inserts_command", metavar="ACTION")
    listing = actions.add_parser("list", help="each insert, its stock and whether it is low")
    listing.add_argument("--json", action="store_true", help="print one JSON object")
    count = actions.add_parser("count", help="set an insert's stock (a delivery, a count)")
    count.add_argument("code", help="the insert's code in [[packing.inserts]]")
    count.add_argument("on_hand", type=int, help="how many the bench holds now")
    p.set_defaults(handler=run, json=False)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """List, or set one insert's stock; 1 for an unknown code or a negative count."""
    rules = {rule.code: rule for rule in settings.packing.inserts}
    if args.inserts_command == "count":
        if args.code not in rules:
            known = ", ".join(rules) or "none configured"
            print(
                f"station: no insert {args.code!r} in [[packing.inserts]] ({known})",
                file=sys.stderr,
            )
            return 1
        if args.on_hand < 0:
            print("station: a stock cannot be negative", file=sys.stderr)
            return 1
    db = open_or_say(settings)
    if db is None:
        return 2
    raw = db.engine.raw_connection()
    try:
        conn = raw.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        if args.inserts_command == "count":
            j = Journal(cur, settings.station_name, datetime.now(UTC))
            restock(j, args.code, args.on_hand)
            j.audit(None, "inserts.counted", "insert", args.code, {"on_hand": args.on_hand})
        stock = dict(cur.execute("SELECT code, on_hand FROM insert_stock").fetchall())
        cur.execute("COMMIT")
    finally:
        raw.close()
        db.close()
    rows = [
        {
            "code": rule.code,
            "name": rule.name,
            "barcode": rule.barcode,
            "on_hand": stock.get(rule.code),
            "low": rule.code in stock and int(stock[rule.code]) <= rule.low_stock,
        }
        for rule in rules.values()
    ]
    if args.json:
        print(json.dumps({"inserts": rows}, ensure_ascii=False))
        return 0
    for row in rows:
        on_hand = "not counted" if row["on_hand"] is None else row["on_hand"]
        low = "  LOW" if row["low"] else ""
        print(f"{row['code']:16} {row['barcode']:16} {on_hand!s:>11}{low}  {row['name']}")
    if not rows:
        print("no inserts configured ([[packing.inserts]])")
    return 0
